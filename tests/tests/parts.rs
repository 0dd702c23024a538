//! Spare parts in the real app: the warehouse keeper receives parts after inspection, the
//! technician asks for them on a work order, the warehouse keeper approves and issues them
//! (the requisition slip is printed), the technician records the use, and the unused part
//! comes back — the work order's reconciliation ends at zero. A damaged one is then scrapped
//! through review and approval by two other people and destroyed in a witnessed batch.

use std::time::Duration;

use e2e::{id, App, Result};

async fn sign_in(app: &App, user: &str) -> Result<()> {
    app.wait_for(&id("signin")).await?;
    app.fill("signin-username", user).await?;
    app.fill("signin-password", "demo1234").await?;
    app.click(&id("signin-submit")).await?;
    app.wait_for(&id("user-menu")).await?;
    Ok(())
}

async fn switch_user(app: &App, user: &str) -> Result<()> {
    app.click(&id("user-menu")).await?;
    app.click(&id("switch-user")).await?;
    sign_in(app, user).await
}

async fn open(app: &App, hash: &str) -> Result<()> {
    app.client()
        .execute("location.hash = arguments[0];", vec![hash.into()])
        .await?;
    Ok(())
}

/// Types into a part picker and takes the option for `part_id`.
async fn pick_part(app: &App, testid: &str, text: &str, part_id: &str) -> Result<()> {
    app.fill(testid, text).await?;
    app.click(&format!(
        r#"{}[data-part-id="{part_id}"]"#,
        id("part-option")
    ))
    .await
}

fn on_hand(app: &App, part_id: &str) -> Result<i64> {
    Ok(app.db()?.query_row(
        "SELECT coalesce(sum(m.qty), 0) FROM stock_movements m JOIN stock_locations l ON l.id = m.location_id
         WHERE m.part_id = ?1 AND l.kind = 'store'",
        [part_id],
        |r| r.get(0),
    )?)
}

#[tokio::test]
async fn parts_go_from_receipt_to_a_work_order_and_the_unused_come_back() -> Result<()> {
    let app = App::start_with_demo("parts", 10).await?;
    // A demo work order with its technician on site, and the demo's capacitor.
    let (order_id, order_number): (String, String) = app.db()?.query_row(
        "SELECT id, number FROM work_orders WHERE state = 'on_site' ORDER BY created_at LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let part_id: String =
        app.db()?
            .query_row("SELECT id FROM parts WHERE code = 'CAP-35'", [], |r| {
                r.get(0)
            })?;
    let start = on_hand(&app, &part_id)?;

    // The warehouse keeper receives ten capacitors that passed inspection.
    sign_in(&app, "cangku").await?;
    app.wait_for(&id("nav-parts")).await?;
    open(&app, "#/parts").await?;
    app.fill("parts-query", "CAP-35").await?;
    app.click(&format!(
        r#"{}[data-id="{part_id}"] {}"#,
        id("part-row"),
        id("part-link")
    ))
    .await?;
    app.wait_for(&id("part-page")).await?;
    app.click(&id("stock-receive")).await?;
    app.wait_for(&id("receive-dialog")).await?;
    app.fill("receive-qty", "10").await?;
    app.fill("receive-supplier", "格力配件中心").await?;
    app.click(&id("receive-save")).await?;
    app.wait_for(&format!(
        r#"{}[data-qty="{}"]"#,
        id("part-on-hand"),
        start + 10
    ))
    .await?;
    app.screenshot("parts-01-received").await?;
    assert_eq!(
        on_hand(&app, &part_id)?,
        start + 10,
        "the receipt is in the ledger"
    );

    // The technician asks for three on the work order.
    switch_user(&app, "jishi").await?;
    open(&app, &format!("#/work-orders/{order_id}")).await?;
    app.click(&id("wo-request-parts")).await?;
    app.wait_for(&id("requisition-dialog")).await?;
    pick_part(&app, "req-part-0", "CAP-35", &part_id).await?;
    app.fill("req-qty-0", "3").await?;
    app.fill("req-purpose", "更换启动电容").await?;
    app.click(&id("req-save")).await?;
    app.wait_for(&id("wo-req-row")).await?;

    // The warehouse keeper approves and issues it; the requisition slip is printed.
    switch_user(&app, "cangku").await?;
    app.wait_for(&id("nav-approvals")).await?;
    open(&app, "#/approvals").await?;
    app.wait_for_text(&id("approval-row"), &order_number)
        .await?;
    app.screenshot("parts-02-approvals").await?;
    app.click(&id("approval-approve")).await?;
    app.click(&id("issue-go")).await?;
    app.wait_for(&id("issue-dialog")).await?;
    app.click(&id("issue-save")).await?;
    app.wait_for_within(&id("pdf-page"), Duration::from_secs(20))
        .await?;
    app.screenshot("parts-03-requisition-slip").await?;
    app.click(&id("pdf-close")).await?;
    assert_eq!(on_hand(&app, &part_id)?, start + 7, "three were issued");
    let slips: i64 = app.db()?.query_row(
        "SELECT count(*) FROM documents WHERE form = 'requisition_slip' AND work_order_id = ?1",
        [&order_id],
        |r| r.get(0),
    )?;
    assert_eq!(slips, 1, "the slip is an issued document of the work order");

    // The technician used two: the record names the catalog part.
    switch_user(&app, "jishi").await?;
    open(&app, &format!("#/work-orders/{order_id}")).await?;
    app.click(&id("wo-action-record")).await?;
    app.wait_for(&id("work-form")).await?;
    pick_part(&app, "part-catalog-0", "CAP-35", &part_id).await?;
    app.fill("part-qty-0", "2").await?;
    app.click(&id("work-save")).await?;
    app.wait_for(&format!(r#"{}[data-difference="1"]"#, id("reconcile-row")))
        .await?;
    app.screenshot("parts-04-reconcile-outstanding").await?;

    // The unused one comes back: reconciled.
    switch_user(&app, "cangku").await?;
    open(&app, &format!("#/work-orders/{order_id}")).await?;
    app.click(&id("reconcile-return-0")).await?;
    app.wait_for(&id("unused-dialog")).await?;
    app.click(&id("unused-save")).await?;
    app.wait_for(&format!(r#"{}[data-difference="0"]"#, id("reconcile-row")))
        .await?;
    app.screenshot("parts-05-reconciled").await?;
    assert_eq!(
        on_hand(&app, &part_id)?,
        start + 8,
        "the unused part is back in stock"
    );

    // A damaged capacitor is scrapped: the technician asks, the warehouse keeper reviews, the
    // supervisor approves; the part moves into the scrap-holding area, then is destroyed.
    switch_user(&app, "jishi").await?;
    open(&app, "#/stock/scrap").await?;
    app.click(&id("scrap-new")).await?;
    app.wait_for(&id("scrap-dialog")).await?;
    pick_part(&app, "scrap-part-0", "CAP-35", &part_id).await?;
    app.fill("scrap-qty-0", "1").await?;
    app.fill("scrap-reason", "运输中外壳破裂，漏液，无法使用。")
        .await?;
    app.click(&id("scrap-save")).await?;
    app.wait_for_within(&id("pdf-page"), Duration::from_secs(20))
        .await?;
    app.click(&id("pdf-close")).await?;
    switch_user(&app, "cangku").await?;
    open(&app, "#/approvals").await?;
    app.click(&id("scrap-review-ok")).await?;
    app.wait_for(&id("scrap-review-empty")).await?;
    switch_user(&app, "zhuguan").await?;
    open(&app, "#/approvals").await?;
    app.click(&id("scrap-approve-ok")).await?;
    app.wait_for(&id("scrap-approve-empty")).await?;
    assert_eq!(
        on_hand(&app, &part_id)?,
        start + 7,
        "approved scrap leaves the stock"
    );
    switch_user(&app, "cangku").await?;
    open(&app, "#/stock/scrap").await?;
    app.click(&id("dispose-pick")).await?;
    app.click(&id("scrap-dispose")).await?;
    app.wait_for(&id("dispose-dialog")).await?;
    app.fill("dispose-batch", "2026-11").await?;
    app.fill("dispose-method", "拆解后交有资质单位回收").await?;
    app.fill("dispose-witness", "刘洋").await?;
    app.click(&id("dispose-save")).await?;
    app.wait_for_within(&id("pdf-page"), Duration::from_secs(20))
        .await?;
    app.screenshot("parts-06-disposal-record").await?;
    app.click(&id("pdf-close")).await?;
    app.wait_for(&format!(r#"{}[data-state="disposed"]"#, id("scrap-row")))
        .await?;
    app.screenshot("parts-07-scrap-list").await?;
    let forms: Vec<String> = {
        let conn = app.db()?;
        let mut stmt = conn.prepare(
            "SELECT DISTINCT form FROM documents WHERE form IN ('scrap_request', 'disposal_record') ORDER BY form",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    assert_eq!(
        forms,
        ["disposal_record", "scrap_request"],
        "both papers were issued"
    );
    let held: i64 = app.db()?.query_row(
        "SELECT coalesce(sum(m.qty), 0) FROM stock_movements m JOIN stock_locations l ON l.id = m.location_id
         WHERE m.part_id = ?1 AND l.kind = 'scrap'",
        [&part_id],
        |r| r.get(0),
    )?;
    assert_eq!(
        held, 0,
        "the destroyed part no longer sits in the scrap-holding area"
    );
    app.quit().await
}
