//! The app starts on an empty data dir and the UI mounts its root element.

#[tokio::test]
async fn app_starts_and_renders_root() -> e2e::Result<()> {
    let app = e2e::App::start("smoke").await?;
    app.wait_for("body").await?;
    app.wait_for(r#"[data-testid="app-root"]"#).await?;
    app.screenshot("smoke").await?;
    app.quit().await
}

/// The harness can quit the app and start it again on the same data dir, which the
/// persistence scenarios rely on.
#[tokio::test]
async fn app_restarts_on_same_data_dir() -> e2e::Result<()> {
    let mut app = e2e::App::start("restart").await?;
    app.wait_for(r#"[data-testid="app-root"]"#).await?;
    let dir = app.data_dir().to_path_buf();
    app.restart().await?;
    assert_eq!(app.data_dir(), dir, "restart must reuse the data dir");
    app.wait_for(r#"[data-testid="app-root"]"#).await?;
    app.quit().await
}
