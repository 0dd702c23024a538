//! The app starts on an empty data dir and the UI mounts its root element.

#[tokio::test]
async fn app_starts_and_renders_root() -> e2e::Result<()> {
    let app = e2e::App::start("smoke").await?;
    app.wait_for("body").await?;
    app.wait_for(r#"[data-testid="app-root"]"#).await?;
    app.screenshot("smoke").await?;
    app.quit().await
}
