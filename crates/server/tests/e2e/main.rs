//! End-to-end tests: real Chromium over WebDriver, against the real server serving the built
//! app (`dist/`, built by `cargo xtask test` before it runs these with `--ignored`). Elements
//! are found by their label and accessible name, the way a person finds them.

mod trunk_serve;
mod webdriver;

use std::path::PathBuf;

use useradmin_rights::{Access, Role, RoleSet};
use useradmin_test_support::{ADMIN_EMAIL, PASSWORD, TestApp};
use webdriver::{Browser, Driver};

fn dist() -> PathBuf {
    let dist = std::env::var_os("USERADMIN_E2E_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../dist")));
    assert!(dist.join("index.html").exists(), "{} has no built app: run `cargo xtask build`", dist.display());
    dist
}

async fn app() -> TestApp {
    let dist = dist();
    TestApp::spawn_with(|settings| settings.static_dir = dist).await
}

/// Registers from an invitation link in the browser.
async fn register(browser: &Browser, link: &str, name: &str) {
    browser.goto(link).await;
    browser.fill("Name", name).await;
    browser.fill("Password", PASSWORD).await;
    browser.fill("Confirm password", PASSWORD).await;
    browser.press("Complete registration").await;
    browser.sees(&format!("Welcome, {name}")).await;
}

async fn open_user_accounts(admin: &Browser) {
    let link = admin.link("User Accounts").await;
    admin.click(&link).await;
    admin.field("E-mail").await;
}

async fn invite(admin: &Browser, email: &str) {
    admin.fill("E-mail", email).await;
    admin.press("Invite user").await;
    admin.sees(&format!("Invitation sent to {email}.")).await;
}

/// A browser in which the first administrator, Ada Admin, registered from the printed link.
async fn registered_admin(driver: &Driver, app: &TestApp) -> Browser {
    let admin = driver.browser().await;
    register(&admin, &app.admin_link, "Ada Admin").await;
    admin
}

/// Invites `email` from the open User Accounts page and registers them as `name` from the mailed
/// link in a browser of their own.
async fn invited(app: &TestApp, driver: &Driver, admin: &Browser, email: &str, name: &str) -> Browser {
    invite(admin, email).await;
    let browser = driver.browser().await;
    register(&browser, &app.latest_link_for(email).await, name).await;
    browser
}

/// Fills in and sends the sign-in form.
async fn sign_in(browser: &Browser, email: &str, password: &str) {
    browser.fill("E-mail", email).await;
    browser.fill("Password", password).await;
    browser.press("Sign in").await;
}

const MENU: &str = "nav[aria-label='Main menu']";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: `cargo xtask test` runs it after building"]
async fn a_colleague_registers_without_roles_then_gets_exactly_what_finance_and_reports_grant() {
    let app = app().await;
    let driver = Driver::start().await;

    // The administrator registers from the link the server printed and invites a colleague.
    let admin = registered_admin(&driver, &app).await;
    open_user_accounts(&admin).await;
    invite(&admin, "colleague@example.com").await;
    admin.sees("Invitation pending").await;
    let email_field = admin.field("E-mail").await;
    assert_eq!(admin.property(&email_field, "value").await, "", "the field clears after inviting");

    // The colleague registers from the mailed link and sees no menu item.
    let link = app.latest_link_for("colleague@example.com").await;
    let colleague = driver.browser().await;
    register(&colleague, &link, "Colin League").await;
    colleague.sees("an administrator has to assign you roles").await;
    colleague.screenshot("new-user-without-roles").await;
    assert!(colleague.link_names_in(MENU).await.is_empty(), "a new user sees no menu item");
    assert!(colleague.has_button("Sign out").await);

    // The administrator ticks Finance and Reports in edit mode and saves.
    admin.refresh().await;
    admin.sees("Registered").await;
    admin.press("Edit colleague@example.com").await;
    for role in ["Finance", "Reports"] {
        let checkbox = admin.field_within("//tr[contains(@class,'editing')]", role).await;
        admin.click(&checkbox).await;
    }
    admin.sees("Gains:").await;
    admin.screenshot("user-accounts-edit-mode").await;
    // Enter saves the row.
    let name = admin.field_within("//tr[contains(@class,'editing')]", "Name").await;
    admin.type_into(&name, webdriver::ENTER).await;
    admin.sees("Saved colleague@example.com.").await;
    admin.sees("Finance, Reports").await;

    // After a reload the colleague's menu holds exactly what the matrix gives that pair.
    colleague.refresh().await;
    colleague.until("a menu", || async { !colleague.link_names_in(MENU).await.is_empty() }).await;
    let roles = RoleSet::new([Role::Finance, Role::Reports]).unwrap();
    let expected: Vec<String> = roles
        .visible_areas()
        .map(|(area, access)| match access {
            Access::Read => format!("{} read only", area.label()),
            _ => area.label().to_owned(),
        })
        .collect();
    assert_eq!(colleague.link_names_in(MENU).await, expected);
    colleague.screenshot("finance-and-reports-menu").await;

    // A read-only area cannot be changed ...
    let company = colleague.link("Company read only").await;
    colleague.click(&company).await;
    colleague.sees("You can read these settings but not change them.").await;
    assert!(!colleague.has_button("Save").await);
    assert!(!colleague.has_button("Add field").await);

    // ... and a read-write one can.
    let taxes = colleague.link("Taxes").await;
    colleague.click(&taxes).await;
    colleague.fill("Field name", "vat").await;
    colleague.fill("Value", "19").await;
    colleague.press("Add field").await;
    colleague.press("Save").await;
    colleague.sees("Saved.").await;
    admin.goto(&format!("{}/settings/taxes", app.address)).await;
    let vat = admin.field("vat").await;
    assert_eq!(admin.property(&vat, "value").await, "19");

    // The audit log tells who changed the colleague's roles, from none to Finance and Reports.
    let audit_log = admin.link("Audit log read only").await;
    admin.click(&audit_log).await;
    admin.sees("changed the settings of").await;
    admin.sees("roles: Finance, Reports").await;

    // An area the colleague cannot see is "not available", never its content.
    colleague.goto(&format!("{}/settings/webhooks", app.address)).await;
    colleague.sees("This area is not available to you.").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: `cargo xtask test` runs it after building"]
async fn a_resend_makes_the_first_link_fail_and_a_pending_invitation_can_be_revoked() {
    let app = app().await;
    let driver = Driver::start().await;
    let admin = registered_admin(&driver, &app).await;
    open_user_accounts(&admin).await;
    invite(&admin, "late@example.com").await;
    let first = app.latest_link_for("late@example.com").await;

    admin.press("Resend invitation to late@example.com").await;
    admin.sees("Invitation resent to late@example.com.").await;
    let links = app.links_for("late@example.com", 2).await;
    let second = links.into_iter().find(|link| *link != first).unwrap();
    assert_ne!(first, second);

    let invitee = driver.browser().await;
    invitee.goto(&first).await;
    invitee.sees("This invitation link cannot be used").await;
    invitee.sees("Ask the administrator who invited you to resend the invitation").await;

    admin.press("Revoke invitation late@example.com").await;
    admin.sees("The invitation link sent to late@example.com will stop working.").await;
    admin.press("Revoke invitation").await;
    admin.sees("The invitation of late@example.com is revoked.").await;
    admin.until("the row to go", || async { !admin.has_button("Revoke invitation late@example.com").await }).await;

    invitee.goto(&second).await;
    invitee.sees("This invitation link cannot be used").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: `cargo xtask test` runs it after building"]
async fn a_wrong_password_is_shown_inline_and_the_session_returns_to_the_page_after_sign_in() {
    let app = app().await;
    let driver = Driver::start().await;
    let admin = registered_admin(&driver, &app).await;
    admin.press("Sign out").await;
    admin.field("Password").await;

    admin.goto(&format!("{}/settings/user-accounts", app.address)).await;
    admin.until("the sign-in page", || async { admin.path().await.starts_with("/login") }).await;
    sign_in(&admin, ADMIN_EMAIL, "not the password").await;
    admin.sees("The e-mail or the password is wrong.").await;
    let email = admin.field("E-mail").await;
    assert_eq!(admin.property(&email, "value").await, ADMIN_EMAIL, "the typed e-mail stays");

    admin.fill("Password", PASSWORD).await;
    admin.press("Sign in").await;
    admin.until("User Accounts again", || async { admin.path().await == "/settings/user-accounts" }).await;
    admin.field("E-mail").await;

    // The session ends on the server while the page is open: the next request (a search) is
    // answered 401, and the browser signs out on its own.
    sqlx::query("DELETE FROM sessions").execute(&app.pool().await).await.unwrap();
    admin.fill("Search", "ada").await;
    admin.until("the sign-in page", || async { admin.path().await.starts_with("/login") }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: `cargo xtask test` runs it after building"]
async fn a_long_user_list_scrolls_in_its_box_and_renders_only_the_rows_on_screen() {
    let app = app().await;
    let pool = app.pool().await;
    for n in 0..240 {
        let email = format!("colleague{n:03}@example.com");
        sqlx::query(
            "INSERT INTO users (email, email_lower, name, name_lower, roles, version, invited_at, registered_at) \
             VALUES ($1, $1, $2, $3, 'reports', 1, 0, 0)",
        )
        .bind(&email)
        .bind(format!("Colleague {n}"))
        .bind(format!("colleague {n}"))
        .execute(&pool)
        .await
        .unwrap();
    }
    let driver = Driver::start().await;
    let admin = registered_admin(&driver, &app).await;
    open_user_accounts(&admin).await;
    // 50 users at a time: the list becomes long enough to be windowed after a few pages.
    for shown in [50, 100, 150, 200] {
        admin.press(&format!("Show more (showing {shown})")).await;
    }
    // Done when the table counts all 241 users and its header (the "Show more" button also
    // disappears while a page is loading, so it cannot tell).
    let row_count = "return document.querySelector('table.user-table').getAttribute('aria-rowcount');";
    admin.until("every user loaded", || async { admin.script(row_count, vec![]).await.as_str() == Some("242") }).await;
    assert!(!admin.has_button("Show more (showing 241)").await, "nothing more to show");
    admin.sees("colleague000@example.com").await;
    let rows_in_document = "return document.querySelectorAll('tbody tr:not(.spacer)').length;";
    let rows = admin.script(rows_in_document, vec![]).await.as_u64().unwrap();
    assert!(rows < 100, "only the rows on screen are in the document, not {rows}");
    assert!(!admin.page_text().await.contains("colleague239@example.com"));

    // Scrolling moves the rows by exactly what was scrolled, down from the top and up from the
    // middle, while rows are swapped in and out and measured for the first time.
    scrolls_without_jumps(&admin, 0, 97).await;
    scrolls_without_jumps(&admin, 7_000, -97).await;

    admin
        .script("const box = document.querySelector('.table-scroll'); box.scrollTop = box.scrollHeight;", vec![])
        .await;
    admin.sees("colleague239@example.com").await;
    admin.screenshot("user-accounts-long-list-scrolled").await;
    let edit = admin.button("Edit colleague239@example.com").await;
    admin.click(&edit).await;
    let name = admin.field("Name").await;
    assert_eq!(admin.property(&name, "value").await, "Colleague 239", "the last user opens in edit mode");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: `cargo xtask test` runs it after building"]
async fn removing_a_user_ten_minutes_after_sign_in_asks_for_the_password_in_a_dialog_then_removes_them() {
    let app = app().await;
    let driver = Driver::start().await;
    let admin = registered_admin(&driver, &app).await;
    open_user_accounts(&admin).await;
    let _colleague = invited(&app, &driver, &admin, "colleague@example.com", "Colin League").await;
    app.let_eleven_minutes_pass_since_the_password().await;

    admin.refresh().await;
    admin.sees("Registered").await;
    admin.press("Remove colleague@example.com").await;
    admin.press("Remove").await;
    admin.sees("Enter your password").await;
    admin.fill("Password", "not my password").await;
    admin.press("Confirm").await;
    admin.sees("The password is wrong.").await;
    admin.fill("Password", PASSWORD).await;
    admin.press("Confirm").await;
    admin.sees("colleague@example.com is removed.").await;
    admin.until("the row to go", || async { !admin.has_button("Remove colleague@example.com").await }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: `cargo xtask test` runs it after building"]
async fn a_guessable_new_password_is_refused_with_the_servers_reason_and_a_strong_one_keeps_the_browser_signed_in() {
    let app = app().await;
    let driver = Driver::start().await;
    let admin = registered_admin(&driver, &app).await;
    admin.goto(&format!("{}/settings/profile", app.address)).await;
    admin.fill("Current password", PASSWORD).await;
    admin.fill("New password", "password1234").await;
    admin.fill("Confirm new password", "password1234").await;
    admin.press("Change password").await;
    admin.sees("This password is too easy to guess.").await;

    admin.fill("New password", "vivid-quartz-meadow-42").await;
    admin.fill("Confirm new password", "vivid-quartz-meadow-42").await;
    admin.press("Change password").await;
    admin.sees("Your password is changed").await;
    // The session token was replaced; the browser holds the new one.
    admin.goto(&format!("{}/settings/user-accounts", app.address)).await;
    admin.field("E-mail").await;
}

/// Scrolls the user list from `start` in 30 steps of `step` pixels and checks that the row at the
/// top of the box moves by exactly the step each time, however the rows around it change.
async fn scrolls_without_jumps(browser: &Browser, start: i64, step: i64) {
    const TOP_ROW: &str = "const box = document.querySelector('.table-scroll'); \
        const top = box.getBoundingClientRect().top + box.querySelector('thead').offsetHeight; \
        const row = [...box.querySelectorAll('tbody tr:not(.spacer)')].find(r => r.getBoundingClientRect().bottom > top + 5); \
        return [row.children[1].textContent, row.getBoundingClientRect().top];";
    const ROW_TOP: &str = "const row = [...document.querySelectorAll('.table-scroll tbody tr')] \
        .find(r => r.children[1] && r.children[1].textContent === arguments[0]); \
        return row ? row.getBoundingClientRect().top : null;";
    let settle = || tokio::time::sleep(std::time::Duration::from_millis(120));
    browser.script("document.querySelector('.table-scroll').scrollTop = arguments[0];", vec![start.into()]).await;
    settle().await;
    for _ in 0..30 {
        let top_row = browser.script(TOP_ROW, vec![]).await;
        let (email, before) = (top_row[0].clone(), top_row[1].as_f64().unwrap());
        browser.script("document.querySelector('.table-scroll').scrollTop += arguments[0];", vec![step.into()]).await;
        settle().await;
        let after = browser.script(ROW_TOP, vec![email.clone()]).await.as_f64();
        let after = after.unwrap_or_else(|| panic!("{email} left the document after scrolling {step} px"));
        assert!(
            (before - after - step as f64).abs() <= 1.0,
            "{email} moved {} px for a scroll of {step} px",
            before - after
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: `cargo xtask test` runs it after building"]
async fn a_deactivated_colleague_is_signed_out_in_the_open_browser_and_cannot_sign_in_until_reactivated() {
    let app = app().await;
    let driver = Driver::start().await;
    let admin = registered_admin(&driver, &app).await;
    open_user_accounts(&admin).await;
    let colleague = invited(&app, &driver, &admin, "colin@example.com", "Colin Colleague").await;

    admin.refresh().await;
    admin.press("Deactivate colin@example.com").await;
    admin.sees("Deactivate Colin Colleague (colin@example.com)?").await;
    admin.sees("will be signed out at once and cannot sign in until reactivated").await;
    admin.screenshot("user-accounts-deactivate-dialog").await;
    admin.press("Deactivate").await;
    admin.sees("colin@example.com is deactivated and signed out everywhere.").await;
    admin.button("Reactivate colin@example.com").await;
    admin.screenshot("user-accounts-deactivated-row").await;

    // The colleague's open page: its next request is answered 401 and the browser signs out.
    let profile = colleague.link("My profile").await;
    colleague.click(&profile).await;
    colleague.fill("Name", "Colin C.").await;
    colleague.press("Save name").await;
    colleague.until("the sign-in page", || async { colleague.path().await.starts_with("/login") }).await;
    sign_in(&colleague, "colin@example.com", "not the password").await;
    colleague.sees("The e-mail or the password is wrong.").await;
    colleague.fill("Password", PASSWORD).await;
    colleague.press("Sign in").await;
    colleague.sees("This account is deactivated. Ask an administrator to reactivate it.").await;
    colleague.screenshot("sign-in-deactivated").await;

    admin.press("Reactivate colin@example.com").await;
    admin.sees("colin@example.com is reactivated and can sign in again.").await;
    colleague.fill("Password", PASSWORD).await;
    colleague.press("Sign in").await;
    colleague.until("the profile again", || async { colleague.path().await == "/settings/profile" }).await;
    colleague.field("Name").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: `cargo xtask test` runs it after building"]
async fn a_forgotten_password_is_reset_from_the_mailed_link_and_the_user_is_signed_in() {
    let app = app().await;
    let driver = Driver::start().await;
    let browser = driver.browser().await;
    register(&browser, &app.admin_link, "Ada Admin").await;
    browser.press("Sign out").await;

    let forgot = browser.link("Forgot password?").await;
    browser.click(&forgot).await;
    browser.fill("E-mail", ADMIN_EMAIL).await;
    browser.press("Send reset link").await;
    browser.sees(useradmin_api::RESET_REQUESTED).await;
    browser.screenshot("forgot-password-sent").await;

    let link = app.reset_links_for(ADMIN_EMAIL, 1).await.pop().unwrap();
    browser.goto(&link).await;
    browser.fill("New password", "a brand new passphrase").await;
    browser.fill("Confirm password", "a different passphrase").await;
    browser.press("Set password").await;
    browser.sees("The two passwords differ.").await;
    browser.screenshot("reset-password-form").await;
    browser.fill("Confirm password", "a brand new passphrase").await;
    browser.press("Set password").await;
    browser.sees("Welcome, Ada Admin").await;

    let old = app.sign_in(&app.client(), ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(old.status(), reqwest::StatusCode::UNAUTHORIZED, "the old password no longer works");
    browser.goto(&link).await;
    browser.sees("This reset link cannot be used").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the built app and Chromium: `cargo xtask test` runs it after building"]
async fn the_list_shows_the_last_sign_in_and_finds_who_has_not_signed_in_for_a_while() {
    let app = app().await;
    let driver = Driver::start().await;
    let admin = registered_admin(&driver, &app).await;
    admin.press("Sign out").await;
    sign_in(&admin, ADMIN_EMAIL, PASSWORD).await;
    open_user_accounts(&admin).await;
    let _idle = invited(&app, &driver, &admin, "idle@example.com", "Ida Idle").await;
    // Ida registered 100 days ago and never signed in since.
    let hundred_days_ago = useradmin_server::db::now().millis() - 100 * 24 * 3_600_000;
    sqlx::query("UPDATE users SET registered_at = $1 WHERE email_lower = 'idle@example.com'")
        .bind(hundred_days_ago)
        .execute(&app.pool().await)
        .await
        .unwrap();

    admin.refresh().await;
    admin.sees("Never").await;
    admin.sees("just now").await;
    admin.choose("Last sign-in", "Not signed in for 90 days").await;
    admin.until("only Ida", || async { !admin.has_button(&format!("Edit {ADMIN_EMAIL}")).await }).await;
    admin.button("Edit idle@example.com").await;
    admin.screenshot("user-accounts-not-signed-in-for-90-days").await;
}
