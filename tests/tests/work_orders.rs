//! A person's path through a repair in the real app: a phone call looked up by the phone's
//! tail → appointment → dispatch slip preview → parts and fees → the customer signs on the pad
//! → the signed receipt is issued, stored in the database file and carries the signature.

use std::process::Command;
use std::time::Duration;

use e2e::{artifacts_dir, id, App, Result};
use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};

/// Sets a date/time input through its value (WebKit's date widgets take no typed keys) and
/// tells Svelte with an input event.
async fn set_value(app: &App, testid: &str, value: &str) -> Result<()> {
    app.wait_for(&id(testid)).await?;
    app.client()
        .execute(
            "const el = document.querySelector(arguments[0]); el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![id(testid).into(), value.into()],
        )
        .await?;
    Ok(())
}

async fn state_is(app: &App, state: &str) -> Result<()> {
    app.wait_for(&format!(r#"{}[data-state="{state}"]"#, id("wo-state")))
        .await?;
    Ok(())
}

fn tool(cmd: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(cmd).args(args).output()?;
    if !out.status.success() {
        return Err(format!("{cmd} {args:?}: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::test]
async fn a_phone_call_ends_in_a_signed_receipt() -> Result<()> {
    let app = App::start_with_demo("work-order", 20).await?;
    // A demo customer whose unit is in the archive: the caller.
    let (name, phone): (String, String) = app.db()?.query_row(
        "SELECT c.name, k.phone FROM customers c JOIN contacts k ON k.customer_id = c.id
         WHERE length(k.phone) = 11 AND EXISTS (SELECT 1 FROM units u WHERE u.customer_id = c.id)
         ORDER BY c.created_at LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;

    app.wait_for(&id("signin")).await?;
    app.fill("signin-username", "admin").await?;
    app.fill("signin-password", "admin1234").await?;
    app.click(&id("signin-submit")).await?;

    // The call: the last four digits of the caller's number find the customer.
    app.click(&id("nav-intake")).await?;
    app.fill("intake-phone", &phone[phone.len() - 4..]).await?;
    app.wait_for_text(&id("intake-match"), &name).await?;
    let matches = app
        .client()
        .find_all(fantoccini::Locator::Css(&id("intake-match")))
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
    app.click(&id("intake-unit")).await?;
    app.wait_for(&id("intake-kind"))
        .await?
        .select_by_value("repair")
        .await?;
    app.fill(
        "intake-description",
        "空调不制冷，室外机有异响，开机十分钟后自动停机。",
    )
    .await?;
    app.screenshot("wo-01-intake").await?;
    app.click(&id("intake-submit")).await?;
    app.wait_for(&id("work-order-page")).await?;
    state_is(&app, "received").await?;

    // The appointment, tomorrow morning, with the demo technician.
    app.click(&id("wo-action-schedule")).await?;
    app.wait_for(&id("appointment-dialog")).await?;
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    set_value(&app, "appt-date", &tomorrow).await?;
    set_value(&app, "appt-start", "08:00").await?;
    set_value(&app, "appt-end", "08:30").await?;
    app.click(&format!(
        "{} input, {}[type=checkbox]",
        id("appt-tech"),
        id("appt-tech")
    ))
    .await?;
    app.fill("appt-bring", "压力表、R32 冷媒、启动电容").await?;
    app.click(&id("appt-save")).await?;
    state_is(&app, "scheduled").await?;

    // The dispatch slip, previewed in the app.
    app.click(&id("wo-action-dispatch")).await?;
    app.wait_for(&id("pdf-preview")).await?;
    app.wait_for_within(&id("pdf-page"), Duration::from_secs(20))
        .await?;
    app.screenshot("wo-02-dispatch-slip-preview").await?;
    app.click(&id("pdf-close")).await?;
    state_is(&app, "dispatched").await?;

    app.click(&id("wo-action-arrive")).await?;
    state_is(&app, "onSite").await?;

    // The on-site record: a part with the customer's consent, and a fee.
    app.click(&id("wo-action-record")).await?;
    app.wait_for(&id("work-form")).await?;
    app.fill(
        "work-done",
        "更换启动电容，补充冷媒，试机 30 分钟制冷正常。",
    )
    .await?;
    if app
        .client()
        .find(fantoccini::Locator::Css(&id("part-name-0")))
        .await
        .is_err()
    {
        app.click(&id("part-add")).await?;
    }
    app.fill("part-name-0", "启动电容").await?;
    app.fill("part-model-0", "CBB65 35μF").await?;
    app.fill("part-qty-0", "1").await?;
    app.fill("part-price-0", "45").await?;
    app.wait_for(&id("part-warranty-0"))
        .await?
        .select_by_value("out")
        .await?;
    app.click(&id("part-consent-0")).await?;
    if app
        .client()
        .find(fantoccini::Locator::Css(&id("fee-desc-0")))
        .await
        .is_err()
    {
        app.click(&id("fee-add")).await?;
    }
    app.fill("fee-desc-0", "上门维修费").await?;
    app.fill("fee-amount-0", "80").await?;
    app.wait_for(&id("work-result"))
        .await?
        .select_by_value("passed")
        .await?;
    app.click(&id("work-save")).await?;
    app.wait_for_text(&id("work-total"), "125").await?;

    // The customer signs on the pad.
    app.click(&id("wo-action-sign")).await?;
    let pad = app.wait_for(&id("signature-pad")).await?;
    let mut stroke = MouseActions::new("pen".into())
        .then(PointerAction::MoveToElement {
            element: pad.clone(),
            duration: None,
            x: -120.0,
            y: 10.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        });
    for (x, y) in [
        (-90.0, -25.0),
        (-60.0, 20.0),
        (-30.0, -20.0),
        (0.0, 15.0),
        (40.0, -10.0),
        (90.0, 5.0),
    ] {
        stroke = stroke.then(PointerAction::MoveToElement {
            element: pad.clone(),
            duration: Some(Duration::from_millis(40)),
            x,
            y,
        });
    }
    stroke = stroke.then(PointerAction::Up {
        button: MOUSE_BUTTON_LEFT,
    });
    app.client().perform_actions(stroke).await?;
    app.screenshot("wo-03-signature-pad").await?;
    app.click(&id("signature-save")).await?;
    app.wait_for(&id("pdf-preview")).await?;
    app.wait_for_within(&id("pdf-page"), Duration::from_secs(20))
        .await?;
    app.screenshot("wo-04-signed-receipt-preview").await?;
    app.click(&id("pdf-close")).await?;

    app.click(&id("wo-action-complete")).await?;
    state_is(&app, "completed").await?;
    app.wait_for(&format!(
        r#"{}[data-form="acceptanceReceipt"][data-signed="true"]"#,
        id("doc-row")
    ))
    .await?;
    app.wait_for(&id("timeline-entry")).await?;
    app.screenshot("wo-05-work-order-page").await?;

    // The signed receipt is in the database file, with the strokes drawn on the pad.
    let conn = app.db()?;
    let (number, pdf, payload): (String, Vec<u8>, String) = conn.query_row(
        "SELECT d.number, d.pdf, d.payload FROM documents d JOIN work_orders w ON w.id = d.work_order_id
         WHERE d.form = 'acceptance_receipt' AND d.signed = 1 AND w.state = 'completed'
         ORDER BY d.issued_at DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let payload: serde_json::Value = serde_json::from_str(&payload)?;
    let strokes = payload["signature"]["strokes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !strokes.is_empty(),
        "the receipt was issued with the pad's strokes"
    );
    assert!(
        strokes[0].as_array().map_or(0, Vec::len) >= 5,
        "the stroke has the points drawn: {strokes:?}"
    );
    let file = artifacts_dir().join("wo-signed-receipt.pdf");
    std::fs::write(&file, &pdf)?;
    let file = file.to_string_lossy().into_owned();
    tool("qpdf", &["--check", &file])?;
    let text = tool("pdftotext", &["-layout", &file, "-"])?;
    assert!(
        text.contains(&number),
        "the receipt shows its number {number}"
    );
    assert!(
        text.contains(&name),
        "the receipt shows the customer {name}"
    );
    let png = artifacts_dir()
        .join("wo-signed-receipt")
        .to_string_lossy()
        .into_owned();
    tool(
        "pdftoppm",
        &["-r", "80", "-png", "-singlefile", &file, &png],
    )?;
    app.quit().await
}
