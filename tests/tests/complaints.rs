//! A complaint in the real app: the front desk registers a level-3 (serious) complaint from
//! a phone call; its clocks run; the app is started again "later" (the debug build's clock
//! offset) past the acceptance deadline, and the board shows it breached and escalated to
//! level 4 — on the complaint's timeline and in the database file.

use e2e::{id, App, Result};

async fn sign_in(app: &App, user: &str, password: &str) -> Result<()> {
    app.wait_for(&id("signin")).await?;
    app.fill("signin-username", user).await?;
    app.fill("signin-password", password).await?;
    app.click(&id("signin-submit")).await?;
    app.wait_for(&id("nav-complaints")).await?;
    Ok(())
}

#[tokio::test]
async fn a_serious_complaint_breaches_and_escalates() -> Result<()> {
    let mut app = App::start_with_demo("complaints", 20).await?;
    let (name, phone): (String, String) = app.db()?.query_row(
        "SELECT c.name, k.phone FROM customers c JOIN contacts k ON k.customer_id = c.id
         WHERE length(k.phone) = 11 ORDER BY c.created_at DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;

    // The front desk takes the call.
    sign_in(&app, "qiantai", "demo1234").await?;
    app.click(&id("nav-complaints")).await?;
    app.wait_for(&id("complaint-board")).await?;
    app.click(&id("complaints-tab-new")).await?;
    app.fill("complaint-lookup", &phone[phone.len() - 4..])
        .await?;
    app.wait_for_text(&id("complaint-match"), &name).await?;
    let matches = app
        .client()
        .find_all(fantoccini::Locator::Css(&id("complaint-match")))
        .await?;
    let mut picked = false;
    for m in matches {
        if m.text().await?.contains(&name) {
            m.click().await?;
            picked = true;
            break;
        }
    }
    assert!(picked, "the caller {name} is among the matches");
    app.wait_for(&id("complaint-customer")).await?;
    app.choose("complaint-kind", "productQuality").await?;
    app.choose("complaint-level", "3").await?;
    app.wait_for(&format!(
        r#"{}[data-group="management"]"#,
        id("complaint-level-group")
    ))
    .await?;
    app.fill(
        "complaint-content",
        "新装热水器一周内漏水，泡坏了楼下邻居的天花板。",
    )
    .await?;
    app.fill("complaint-demand", "赔偿邻居损失并更换热水器。")
        .await?;
    app.screenshot("complaint-01-intake").await?;
    app.click(&id("complaint-save")).await?;
    app.wait_for(&id("complaint-page")).await?;
    app.wait_for(&format!(
        r#"{}[data-state="onTrack"]"#,
        id("complaint-clock-accept")
    ))
    .await?;
    app.wait_for(&format!(r#"{}[data-level="3"]"#, id("complaint-level")))
        .await?;
    app.screenshot("complaint-02-registered").await?;

    // What was stored: a level-3 complaint with its registration form, clocks running.
    let (cid, number, due): (String, String, String) = app.db()?.query_row(
        "SELECT c.id, c.number, k.due_at FROM complaints c JOIN complaint_clocks k ON k.complaint_id = c.id AND k.clock = 'accept'
         WHERE c.content LIKE '新装热水器一周内漏水%' AND c.level = 3",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let forms: i64 = app.db()?.query_row(
        "SELECT count(*) FROM documents WHERE subject_id = ?1 AND form = 'complaint_registration'",
        [&cid],
        |r| r.get(0),
    )?;
    assert_eq!(forms, 1, "the 顾客意见登记单 was issued");

    // Time passes: the app starts again ten minutes after the acceptance deadline.
    let due = chrono::DateTime::parse_from_rfc3339(&due)?.to_utc();
    let offset = (due - chrono::Utc::now()).num_minutes() + 10;
    assert!(offset > 0, "the deadline lies ahead at registration");
    app.restart_with(&[&format!("--test-clock-offset-minutes={offset}")])
        .await?;
    sign_in(&app, "zhuguan", "demo1234").await?;
    app.click(&id("nav-complaints")).await?;
    // Reading the board runs the sweep: breached, escalated to level 4 (emergency).
    let card = format!(
        r#"{}[data-state="breached"]"#,
        id(&format!("complaint-card-{number}"))
    );
    app.wait_for(&card).await?;
    app.wait_for(&format!("{card} {}", id("complaint-card-escalated")))
        .await?;
    app.screenshot("complaint-03-board-breached").await?;
    let (level, escalations): (i64, i64) = app.db()?.query_row(
        "SELECT level, (SELECT count(*) FROM complaint_events e WHERE e.complaint_id = c.id AND e.event = 'escalated')
         FROM complaints c WHERE id = ?1",
        [&cid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    assert_eq!((level, escalations), (4, 1), "escalated once, to level 4");

    app.click(&card).await?;
    app.wait_for(&id("complaint-page")).await?;
    app.wait_for(&format!(
        r#"{}[data-state="breached"]"#,
        id("complaint-clock-accept")
    ))
    .await?;
    app.wait_for(&format!(r#"{}[data-level="4"]"#, id("complaint-level")))
        .await?;
    app.wait_for(&id("complaint-event-escalated")).await?;
    app.screenshot("complaint-04-page-escalated").await?;

    // The escalation view lists it.
    app.click(&id("nav-complaints")).await?;
    app.click(&id("complaints-tab-escalations")).await?;
    app.wait_for_text("body", &number).await?;
    app.screenshot("complaint-05-escalations").await?;
    app.quit().await
}
