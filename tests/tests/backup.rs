//! Backup and restore in the real app: the admin backs up now from the settings, the backup
//! is listed and is a sound copy on disk; restoring it backs up the current data first and
//! returns to the sign-in screen; the app's own daily backup shows up without anyone asking.

use std::time::{Duration, Instant};

use e2e::fantoccini::Locator;
use e2e::{id, App, Result};

async fn sign_in_admin(app: &App) -> Result<()> {
    app.wait_for(&id("signin")).await?;
    app.fill("signin-username", "admin").await?;
    app.fill("signin-password", "admin1234").await?;
    app.click(&id("signin-submit")).await?;
    app.wait_for(&id("user-menu")).await?;
    Ok(())
}

async fn open(app: &App, hash: &str) -> Result<()> {
    app.client()
        .execute("location.hash = arguments[0];", vec![hash.into()])
        .await?;
    Ok(())
}

fn row(reason: &str) -> String {
    format!(r#"{}[data-reason="{reason}"]"#, id("backup-row"))
}

#[tokio::test]
async fn an_admin_backs_up_now_and_restores_the_backup() -> Result<()> {
    let app = App::start_with_demo("backup", 30).await?;
    sign_in_admin(&app).await?;
    app.click(&id("nav-settings")).await?;
    app.click(&id("settings-backup")).await?;
    app.wait_for(&id("backup-settings")).await?;

    app.click(&id("backup-now")).await?;
    app.wait_for_text(&id("backup-made"), "desk-").await?;
    let manual = app.wait_for(&row("manual")).await?;
    let name = manual
        .attr("data-file-name")
        .await?
        .ok_or("a backup row names its file")?;
    let file = app.data_dir().join("backups").join(&name);
    let copy =
        rusqlite::Connection::open_with_flags(&file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let (check, customers): (String, i64) = copy.query_row(
        "SELECT (SELECT quick_check FROM pragma_quick_check), (SELECT count(*) FROM customers)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    assert_eq!(
        (check.as_str(), customers),
        ("ok", 30),
        "{name} on disk is a sound copy of the demo data"
    );
    drop(copy);
    app.screenshot("backup-01-list").await?;

    manual
        .find(Locator::Css(&id("backup-restore")))
        .await?
        .click()
        .await?;
    app.wait_for_text(&id("backup-confirm-file"), &name).await?;
    app.screenshot("backup-02-confirm").await?;
    app.click(&id("backup-confirm-restore")).await?;
    // The session ended with the restore: back to the sign-in screen.
    app.wait_for(&id("signin")).await?;
    let pre_restore: Vec<String> = std::fs::read_dir(app.data_dir().join("backups"))?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<std::io::Result<Vec<_>>>()?
        .into_iter()
        .filter(|n| n.ends_with("-pre-restore.sqlite"))
        .collect();
    assert_eq!(
        pre_restore.len(),
        1,
        "the data was backed up before the restore"
    );

    sign_in_admin(&app).await?;
    open(&app, "#/settings/backup").await?;
    app.wait_for(&row("preRestore")).await?;
    // The app's own daily backup, taken shortly after it started: look again until it is listed.
    let start = Instant::now();
    while app
        .client()
        .find_all(Locator::Css(&row("daily")))
        .await?
        .is_empty()
    {
        if start.elapsed() > Duration::from_secs(90) {
            return Err("no daily backup was listed within 90 s of the app starting".into());
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        open(&app, "#/settings/site").await?;
        app.wait_for(&id("site-form")).await?;
        open(&app, "#/settings/backup").await?;
        app.wait_for(&row("preRestore")).await?;
    }
    app.screenshot("backup-03-after-restore").await?;
    app.quit().await
}
