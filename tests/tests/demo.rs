//! Demo data one click away: an admin on an empty archive loads it from the customer list,
//! then browses the list, a customer, the catalog and the settings, in English too.

use e2e::{id, App, Result};

#[tokio::test]
async fn an_admin_loads_the_demo_archive_with_one_click() -> Result<()> {
    let app = App::start("demo").await?;
    app.wait_for(&id("setup")).await?;
    app.fill("setup-site-name", "杭州西湖特约服务网点").await?;
    app.fill("setup-site-code", "HZ02").await?;
    app.fill("setup-site-hotline", "0571-87654321").await?;
    app.fill("setup-admin-username", "admin").await?;
    app.fill("setup-admin-display-name", "李敏").await?;
    app.fill("setup-admin-password", "admin1234").await?;
    app.fill("setup-admin-password2", "admin1234").await?;
    app.click(&id("setup-submit")).await?;

    app.click(&id("demo-load")).await?;
    app.wait_for_text_within(
        &id("demo-summary"),
        "300",
        std::time::Duration::from_secs(60),
    )
    .await?;
    let conn = rusqlite::Connection::open_with_flags(
        app.data_dir().join("desk.sqlite"),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )?;
    let n: i64 = conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
    assert_eq!(n, 300, "the demo archive is in the database file");
    app.click(&id("nav-customers")).await?;
    app.wait_for(&id("customer-row")).await?;
    app.screenshot("demo-01-customer-list").await?;

    // The name in the row is the link (WebKit does not click a table row itself).
    app.click(&format!("{} a", id("customer-row"))).await?;
    app.wait_for(&id("unit-row")).await?;
    app.screenshot("demo-02-customer").await?;

    app.click(&id("nav-models")).await?;
    app.wait_for_text(&id("model-row"), "格力").await?;
    app.screenshot("demo-03-models").await?;

    app.click(&id("nav-settings")).await?;
    app.click(&id("settings-users")).await?;
    app.wait_for_text(&id("user-row"), "qiantai").await?;
    app.wait_for(&id("lang-select"))
        .await?
        .select_by_value("en")
        .await?;
    app.wait_for_text(&id("nav-customers"), "Customers").await?;
    app.screenshot("demo-04-users-en").await?;
    app.quit().await
}
