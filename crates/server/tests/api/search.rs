//! Searching the user list: a case-insensitive substring of the name or e-mail, taken
//! literally, paged by e-mail, whether or not the trigram index can narrow it.

use reqwest::Client;
use serde_json::json;
use useradmin_api::{User, UserPage, UserStatus};
use useradmin_rights::RoleSet;

use useradmin_test_support::{ADMIN_EMAIL, TestApp, error_code};

/// Invites `email` and gives them `name`; returns the user as it is now.
async fn named(app: &TestApp, admin: &Client, email: &str, name: &str) -> User {
    let invited = app.invited(admin, email, RoleSet::EMPTY).await;
    rename(app, admin, &invited, name).await
}

async fn rename(app: &TestApp, admin: &Client, user: &User, name: &str) -> User {
    let response = admin
        .patch(app.url(&format!("/users/{}", user.id)))
        .json(&json!({"name": name, "version": user.version}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "renaming {}: {}", user.email, response.status());
    response.json().await.unwrap()
}

async fn found(app: &TestApp, admin: &Client, search: &str) -> Vec<String> {
    let query = format!("search={}", urlencode(search));
    app.user_emails(admin, &query, 50).await
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|byte| format!("%{byte:02X}")).collect()
}

#[tokio::test]
async fn search_finds_a_substring_of_name_or_email_whatever_the_case() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    named(&app, &admin, "olaf@example.com", "Ölaf Müller").await;
    named(&app, &admin, "bea@example.org", "Beatrix").await;

    assert_eq!(found(&app, &admin, "MÜLLER").await, ["olaf@example.com"]);
    assert_eq!(found(&app, &admin, "laf m").await, ["olaf@example.com"]);
    assert_eq!(found(&app, &admin, "ÖLAF").await, ["olaf@example.com"]);
    assert_eq!(found(&app, &admin, "EXAMPLE.ORG").await, ["bea@example.org"]);
    assert_eq!(found(&app, &admin, "  trix ").await, ["bea@example.org"], "the term is trimmed");
    assert_eq!(found(&app, &admin, "example.").await, [ADMIN_EMAIL, "bea@example.org", "olaf@example.com"]);
    assert!(found(&app, &admin, "müller ö").await.is_empty());
}

#[tokio::test]
async fn a_search_term_with_control_characters_is_400_not_a_failure_or_a_match_of_everyone() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for search in ["a%00b", "%00", "%1B", "a%09b"] {
        let response = admin.get(app.url(&format!("/users?search={search}"))).send().await.unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::BAD_REQUEST, "search={search}");
        assert_eq!(error_code(response).await, "invalid_search", "search={search}");
    }
}

#[tokio::test]
async fn percent_underscore_and_backslash_are_searched_for_literally() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    named(&app, &admin, "sure@example.com", "Is 100% Sure").await;
    named(&app, &admin, "unsure@example.com", "Is 1000 Sure").await;
    named(&app, &admin, "snake@example.com", "snake_case").await;
    named(&app, &admin, "camel@example.com", "snakeXcase").await;
    named(&app, &admin, "back@example.com", r"back\slash").await;
    named(&app, &admin, "front@example.com", "backslash").await;
    named(&app, &admin, "quote@example.com", r#"Say "Hi""#).await;

    assert_eq!(found(&app, &admin, "0% s").await, ["sure@example.com"]);
    assert_eq!(found(&app, &admin, "%").await, ["sure@example.com"]);
    assert_eq!(found(&app, &admin, "e_c").await, ["snake@example.com"]);
    assert_eq!(found(&app, &admin, "_").await, ["snake@example.com"]);
    assert_eq!(found(&app, &admin, r"k\s").await, ["back@example.com"]);
    assert_eq!(found(&app, &admin, r"\").await, ["back@example.com"]);
    assert_eq!(found(&app, &admin, r#"y "h"#).await, ["quote@example.com"], "a quote is no query syntax");
    assert!(found(&app, &admin, r#""%_\"#).await.is_empty());
}

#[tokio::test]
async fn terms_of_one_or_two_characters_match_like_longer_ones() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    named(&app, &admin, "zoe@example.com", "Zoë").await;
    named(&app, &admin, "max@example.com", "Max").await;

    assert_eq!(found(&app, &admin, "Z").await, ["zoe@example.com"]);
    assert_eq!(found(&app, &admin, "OË").await, ["zoe@example.com"]);
    assert_eq!(found(&app, &admin, "ax").await, ["max@example.com"]);
    assert!(found(&app, &admin, "qq").await.is_empty());
}

#[tokio::test]
async fn search_results_page_by_email_and_combine_with_the_status_filter() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut expected = Vec::new();
    for i in [5, 2, 7, 1, 6, 3, 4] {
        let email = format!("match{i}@example.com");
        named(&app, &admin, &email, &format!("Other {i}")).await;
        expected.push(email);
    }
    named(&app, &admin, "other@example.com", "Other").await;
    let (_, registered) = app.registered_user(&admin, "registered-match@example.com", RoleSet::EMPTY).await;
    expected.push(registered.email.clone());
    expected.sort();

    assert_eq!(app.user_emails(&admin, "search=MATCH", 3).await, expected);
    assert_eq!(app.user_emails(&admin, "search=match&status=registered", 3).await, [registered.email.as_str()]);
    let pending = app.user_emails(&admin, "search=match&status=pending", 2).await;
    assert_eq!(pending.len(), 7);
    let page: UserPage = app.get_json(&admin, "/users?search=match&status=pending").await;
    assert!(page.items.iter().all(|user| user.status == UserStatus::Pending));
}

#[tokio::test]
async fn a_renamed_user_is_found_by_the_new_name_and_a_removed_one_not_at_all() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let carla = named(&app, &admin, "c@example.com", "Carla Oldname").await;
    let gone = named(&app, &admin, "gone@example.com", "Gone Soon").await;

    rename(&app, &admin, &carla, "Carla Newname").await;
    assert_eq!(found(&app, &admin, "newname").await, ["c@example.com"]);
    assert!(found(&app, &admin, "oldname").await.is_empty());

    assert_eq!(found(&app, &admin, "soon").await, ["gone@example.com"]);
    let response = admin.delete(app.url(&format!("/users/{}", gone.id))).send().await.unwrap();
    assert!(response.status().is_success());
    assert!(found(&app, &admin, "soon").await.is_empty());
    assert!(found(&app, &admin, "gone@").await.is_empty());
}

#[tokio::test]
async fn a_term_thousands_of_users_share_pages_as_completely_as_a_rare_one() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    // Written straight to the database, as an import would: the index follows every write.
    let rows: Vec<String> = (1..=2_100)
        .map(|n| format!("('u{n}@example.com', 'u{n}@example.com', 'Common {n}', 'common {n}', '', 1, 0)"))
        .collect();
    let pool = app.pool().await;
    sqlx::query(&format!(
        "INSERT INTO users (email, email_lower, name, name_lower, roles, version, invited_at) VALUES {}",
        rows.join(", ")
    ))
    .execute(&pool)
    .await
    .unwrap();

    let common = app.user_emails(&admin, "search=common", 500).await;
    assert_eq!(common.len(), 2_100);
    assert!(common.windows(2).all(|pair| pair[0] < pair[1]), "in e-mail order, each once");
    let mut rare = found(&app, &admin, "common 42").await;
    rare.sort();
    let mut expected: Vec<String> =
        [42, 420, 421, 422, 423, 424, 425, 426, 427, 428, 429].iter().map(|n| format!("u{n}@example.com")).collect();
    expected.sort();
    assert_eq!(rare, expected);
}
