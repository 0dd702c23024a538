//! A front-desk clerk's first day, in the real app: first-run setup → sign out and in →
//! a customer with a Chinese name (a bad phone first: the field error shows and nothing is
//! saved) → a unit → found by a two-character fragment and by a phone tail → quit and
//! restart → still there.

use chrono::{Days, Local};
use e2e::fantoccini::key::Key;
use e2e::{id, App, Result};

async fn sign_in(app: &App) -> Result<()> {
    app.wait_for(&id("signin")).await?;
    app.fill("signin-username", "admin").await?;
    app.fill("signin-password", "admin1234").await?;
    app.click(&id("signin-submit")).await?;
    app.wait_for(&id("user-menu")).await?;
    Ok(())
}

fn customers_in(app: &App) -> i64 {
    let conn = rusqlite::Connection::open_with_flags(
        app.data_dir().join("desk.sqlite"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap()
}

/// Types into the global search box and waits for a hit containing `expect`.
async fn search_finds(app: &App, query: &str, expect: &str) -> Result<()> {
    let el = app.wait_for(&id("global-search")).await?;
    el.clear().await?;
    el.send_keys(query).await?;
    app.wait_for_text(&id("search-result"), expect).await?;
    Ok(())
}

#[tokio::test]
async fn first_day_at_the_desk() -> Result<()> {
    let mut app = App::start("archive").await?;

    // First run: the site and its first administrator.
    eprintln!("e2e step: First run: the site and its first administrator.");
    app.wait_for(&id("setup")).await?;
    app.fill("setup-site-name", "上海浦东顾客服务中心").await?;
    app.fill("setup-site-code", "SH01").await?;
    app.fill("setup-site-hotline", "400-820-8820").await?;
    app.fill("setup-admin-username", "admin").await?;
    app.fill("setup-admin-display-name", "系统管理员").await?;
    app.fill("setup-admin-password", "admin1234").await?;
    app.fill("setup-admin-password2", "admin1234").await?;
    app.screenshot("archive-01-setup").await?;
    app.click(&id("setup-submit")).await?;
    app.wait_for_text(&id("site-label"), "SH01").await?;

    // Sign out, sign in again.
    eprintln!("e2e step: Sign out, sign in again.");
    app.click(&id("user-menu")).await?;
    app.click(&id("signout")).await?;
    sign_in(&app).await?;

    // A new customer; the phone is one digit short.
    eprintln!("e2e step: A new customer; the phone is one digit short.");
    app.click(&id("nav-customers")).await?;
    app.click(&id("customer-new")).await?;
    app.fill("customer-name", "欧阳晓燕").await?;
    app.fill("contact-phone-0", "1381234567").await?;
    app.fill("address-province-0", "上海市").await?;
    app.fill("address-city-0", "上海市").await?;
    app.fill("address-district-0", "浦东新区").await?;
    app.fill("address-detail-0", "张杨路500号3栋1202室").await?;
    app.click(&id("customer-save")).await?;
    let error = app.wait_for(&id("field-error-contacts.0.phone")).await?;
    let text = error.text().await?;
    assert!(
        text.contains("手机") || text.contains("电话"),
        "the error explains the phone rule in Chinese: {text:?}"
    );
    app.screenshot("archive-02-phone-error").await?;
    assert_eq!(customers_in(&app), 0, "a refused form saves nothing");
    assert_eq!(
        app.wait_for(&id("customer-name"))
            .await?
            .prop("value")
            .await?
            .as_deref(),
        Some("欧阳晓燕"),
        "what the clerk typed is kept"
    );

    // Corrected with Ctrl+S from the keyboard.
    eprintln!("e2e step: Corrected with Ctrl+S from the keyboard.");
    app.fill("contact-phone-0", "138 1234 5678").await?;
    app.wait_for(&id("contact-phone-0"))
        .await?
        .send_keys(&format!("{}s{}", Key::Control, Key::Control))
        .await?;
    app.wait_for_text(&id("customer-title"), "欧阳晓燕").await?;
    assert_eq!(customers_in(&app), 1);

    // A unit, with a model added on the spot.
    eprintln!("e2e step: A unit, with a model added on the spot.");
    app.click(&id("unit-add")).await?;
    app.wait_for(&id("unit-dialog")).await?;
    app.click(&id("unit-new-model")).await?;
    app.fill("unit-new-brand", "格力").await?;
    app.fill("unit-new-model-name", "KFR-35GW/NhGc1B").await?;
    app.fill("unit-new-category", "空调").await?;
    app.click(&id("unit-new-model-save")).await?;
    app.wait_for_text(&id("unit-model"), "KFR-35GW/NhGc1B")
        .await?;
    let purchased = Local::now().date_naive() - Days::new(100);
    app.fill("unit-serial", "GL2403A77X9").await?;
    app.fill("unit-purchase-date", &purchased.to_string())
        .await?;
    app.fill("unit-install-date", &(purchased + Days::new(2)).to_string())
        .await?;
    app.fill("unit-seller", "苏宁易购浦东店").await?;
    app.click(&id("unit-save")).await?;
    app.wait_for_text(&id("unit-row"), "GL2403A77X9").await?;
    let badge = app.wait_for(&id("warranty-status")).await?;
    assert_eq!(
        badge.attr("data-status").await?.as_deref(),
        Some("inWarranty"),
        "bought 100 days ago: in warranty"
    );
    app.screenshot("archive-03-customer-page").await?;

    // Found by a two-character fragment and by a phone tail.
    eprintln!("e2e step: Found by a two-character fragment and by a phone tail.");
    search_finds(&app, "晓燕", "欧阳晓燕").await?;
    search_finds(&app, "5678", "欧阳晓燕").await?;
    search_finds(&app, "A77X", "欧阳晓燕").await?;
    app.screenshot("archive-04-search").await?;

    // Quit, start again: still there.
    eprintln!("e2e step: Quit, start again: still there.");
    app.restart().await?;
    sign_in(&app).await?;
    search_finds(&app, "晓燕", "欧阳晓燕").await?;
    app.wait_for(&id("global-search"))
        .await?
        .send_keys(&Key::Enter.to_string())
        .await?;
    app.wait_for_text(&id("customer-title"), "欧阳晓燕").await?;
    app.wait_for_text(&id("unit-row"), "GL2403A77X9").await?;
    app.screenshot("archive-05-after-restart").await?;
    app.quit().await
}

#[tokio::test]
async fn the_language_choice_survives_a_restart() -> Result<()> {
    let mut app = App::start("language").await?;
    app.wait_for(&id("setup")).await?;
    let select = app.wait_for(&id("lang-select")).await?;
    select.select_by_value("en").await?;
    app.wait_for_text("body", "Site").await?;
    app.restart().await?;
    app.wait_for(&id("setup")).await?;
    app.wait_for_text("body", "Site").await?;
    let value = app
        .wait_for(&id("lang-select"))
        .await?
        .prop("value")
        .await?;
    assert_eq!(value.as_deref(), Some("en"));
    app.quit().await
}
