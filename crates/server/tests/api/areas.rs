//! Every area's settings document, read and written by users of every single role and by a
//! user without roles: the server answers exactly as the matrix says.

use reqwest::StatusCode;
use serde_json::json;
use useradmin_api::AreaDocument;
use useradmin_rights::{Access, Area, Role, RoleSet};

use useradmin_test_support::{TestApp, error_code};

#[tokio::test]
async fn every_area_answers_reads_and_writes_as_the_matrix_says_for_each_single_role_and_no_role() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut sets: Vec<RoleSet> = Role::ALL.into_iter().map(RoleSet::single).collect();
    sets.push(RoleSet::EMPTY);
    let mut checked = 0;
    for (i, roles) in sets.into_iter().enumerate() {
        let client = if roles == RoleSet::single(Role::Admin) {
            admin.clone()
        } else {
            app.registered_user(&admin, &format!("user{i}@example.com"), roles).await.0
        };
        for area in Area::ALL {
            let access = roles.access(area);
            let url = app.url(&format!("/areas/{}", area.key()));
            let read = client.get(&url).send().await.unwrap();
            let expected_read = if access.can_read() { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(read.status(), expected_read, "{roles} reading {area}");
            if access.can_read() {
                let document: AreaDocument = read.json().await.unwrap();
                assert_eq!(document.access, access);
            }
            let value = format!("set by {roles}");
            let write = client.put(&url).json(&json!({"document": {"note": value}})).send().await.unwrap();
            let expected_write = if access == Access::ReadWrite { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(write.status(), expected_write, "{roles} writing {area}");
            if access == Access::ReadWrite {
                let document: AreaDocument = write.json().await.unwrap();
                assert_eq!(document.document["note"], value);
                let stored: AreaDocument = admin.get(&url).send().await.unwrap().json().await.unwrap();
                assert_eq!(stored.document["note"], value, "the write is stored");
            } else {
                assert_eq!(error_code(write).await, "forbidden");
            }
            checked += 2;
        }
    }
    assert_eq!(checked, 8 * 27 * 2);
}

#[tokio::test]
async fn an_unknown_area_is_404_and_an_invalid_document_422() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let unknown = admin.get(app.url("/areas/moon_base")).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(unknown).await, "unknown_area");
    let nested =
        admin.put(app.url("/areas/taxes")).json(&json!({"document": {"rate": {"a": 1}}})).send().await.unwrap();
    assert_eq!(nested.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let blank_key = admin.put(app.url("/areas/taxes")).json(&json!({"document": {" ": "x"}})).send().await.unwrap();
    assert_eq!(error_code(blank_key).await, "invalid_document");
    let anonymous = app.client().get(app.url("/areas/taxes")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_role_change_applies_to_the_next_request() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (client, user) = app.registered_user(&admin, "p@example.com", RoleSet::EMPTY).await;
    let url = app.url("/areas/products");
    assert_eq!(client.put(&url).json(&json!({"document": {}})).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    admin
        .patch(app.url(&format!("/users/{}", user.id)))
        .json(&json!({"roles": ["products"], "version": user.version + 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(client.put(&url).json(&json!({"document": {}})).send().await.unwrap().status(), StatusCode::OK);
}
