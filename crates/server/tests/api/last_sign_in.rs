//! The last sign-in of each user, and the filter of users not signed in for N days.

use reqwest::StatusCode;
use useradmin_api::{User, UserPage};
use useradmin_rights::RoleSet;

use useradmin_test_support::{PASSWORD, TestApp, error_code};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

async fn user(app: &TestApp, client: &reqwest::Client, email: &str) -> User {
    let page: UserPage = app.get_json(client, &format!("/users?search={email}")).await;
    page.items.into_iter().find(|user| user.email == email).expect("the user is listed")
}

#[tokio::test]
async fn registering_is_no_sign_in_but_signing_in_with_the_password_is() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.registered_user(&admin, "new@example.com", RoleSet::EMPTY).await;
    assert_eq!(user(&app, &admin, "new@example.com").await.last_sign_in_at, None, "shown as Never");
    let before = useradmin_server::db::now().millis();
    assert_eq!(app.sign_in(&app.client(), "new@example.com", PASSWORD).await.status(), StatusCode::OK);
    let signed_in = user(&app, &admin, "new@example.com").await.last_sign_in_at.expect("recorded");
    assert!(signed_in.millis() >= before && signed_in.millis() <= useradmin_server::db::now().millis());
    assert_eq!(
        app.sign_in(&app.client(), "new@example.com", "a wrong password").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(user(&app, &admin, "new@example.com").await.last_sign_in_at, Some(signed_in), "a failure is none");
}

#[tokio::test]
async fn the_list_filters_users_not_signed_in_for_n_days_page_by_page() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let now = useradmin_server::db::now().millis();
    // (e-mail, registered days ago, last sign-in days ago)
    let people = [
        ("a-stale@example.com", 400, Some(100)),
        ("b-recent@example.com", 400, Some(10)),
        ("c-never-old@example.com", 200, None),
        ("d-never-new@example.com", 1, None),
        ("e-ancient@example.com", 900, Some(500)),
    ];
    let pool = app.pool().await;
    for (email, registered, signed_in) in people {
        app.registered_user(&admin, email, RoleSet::EMPTY).await;
        sqlx::query("UPDATE users SET registered_at = $1, last_sign_in_at = $2 WHERE email_lower = $3")
            .bind(now - registered * DAY_MS)
            .bind(signed_in.map(|days: i64| now - days * DAY_MS))
            .bind(email)
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
    app.invited(&admin, "f-pending@example.com", RoleSet::EMPTY).await;

    for (days, expected) in [
        (30, &["a-stale@example.com", "c-never-old@example.com", "e-ancient@example.com"][..]),
        (90, &["a-stale@example.com", "c-never-old@example.com", "e-ancient@example.com"]),
        (180, &["c-never-old@example.com", "e-ancient@example.com"]),
        (365, &["e-ancient@example.com"]),
    ] {
        let emails = app.user_emails(&admin, &format!("not_signed_in_for_days={days}"), 1).await;
        assert_eq!(emails, expected, "{days} days, one per page");
    }
    let combined = app.user_emails(&admin, "not_signed_in_for_days=90&search=never", 10).await;
    assert_eq!(combined, ["c-never-old@example.com"], "the filter combines with search");

    for bad in ["0", "3651", "-1", "many"] {
        let response = admin.get(app.url(&format!("/users?not_signed_in_for_days={bad}"))).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(error_code(response).await, "invalid_query");
    }
}
