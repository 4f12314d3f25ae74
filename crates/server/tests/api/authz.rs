//! Every right, every role set: for each of the 34 valid role sets, a registered user holding
//! exactly that set reads and writes every area, lists, invites, edits, resends and removes
//! users and reads the audit log; every answer must be what the matrix says.

use std::collections::BTreeMap;

use reqwest::{Client, StatusCode};
use serde_json::json;
use useradmin_api::{Me, User};
use useradmin_rights::{Access, Area, Role, RoleSet, visible_menu};

use useradmin_test_support::TestApp;

fn expect(allowed: bool) -> StatusCode {
    if allowed { StatusCode::OK } else { StatusCode::FORBIDDEN }
}

struct Checker {
    checks: usize,
    mismatches: Vec<String>,
}

impl Checker {
    fn check(&mut self, what: String, got: StatusCode, want: StatusCode) {
        self.checks += 1;
        if got != want {
            self.mismatches.push(format!("{what}: got {got}, want {want}"));
        }
    }
}

async fn status(request: reqwest::RequestBuilder) -> StatusCode {
    request.send().await.expect("the server answers").status()
}

/// A pending user to edit, resend to and remove.
async fn target(app: &TestApp, admin: &Client, n: usize) -> User {
    app.invited(admin, &format!("target{n}@example.com"), RoleSet::EMPTY).await
}

#[tokio::test]
async fn every_valid_role_set_gets_exactly_what_the_matrix_allows_and_the_menu_equals_the_servers_access() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut checker = Checker { checks: 0, mismatches: Vec::new() };
    for (n, roles) in RoleSet::all_valid().enumerate() {
        let client = if roles == RoleSet::single(Role::Admin) {
            admin.clone()
        } else {
            app.registered_user(&admin, &format!("set{n}@example.com"), roles).await.0
        };

        // The menu the browser computes from the roles equals the server's access map.
        let me: Me = app.get_json(&client, "/me").await;
        let menu: BTreeMap<Area, Access> =
            visible_menu(roles).iter().flat_map(|s| s.items.iter().map(|i| (i.area, i.access))).collect();
        assert_eq!(me.access, menu, "{roles}");

        for area in Area::ALL {
            let url = app.url(&format!("/areas/{}", area.key()));
            let access = roles.access(area);
            checker.check(format!("{roles}: read {area}"), status(client.get(&url)).await, expect(access.can_read()));
            let write = client.put(&url).json(&json!({"document": {"by": roles.to_string()}}));
            checker.check(format!("{roles}: write {area}"), status(write).await, expect(access.can_write()));
        }

        let users = roles.access(Area::UserAccounts);
        let (read, write) = (users.can_read(), users.can_write());
        let target = target(&app, &admin, n).await;
        checker.check(format!("{roles}: list users"), status(client.get(app.url("/users"))).await, expect(read));
        let invite = client.post(app.url("/users")).json(&json!({"email": format!("new{n}@example.com")}));
        checker.check(
            format!("{roles}: invite"),
            status(invite).await,
            if write { StatusCode::CREATED } else { StatusCode::FORBIDDEN },
        );
        let edit = client
            .patch(app.url(&format!("/users/{}", target.id)))
            .json(&json!({"roles": ["reports"], "version": target.version}));
        checker.check(format!("{roles}: edit"), status(edit).await, expect(write));
        let resend = client.post(app.url(&format!("/users/{}/invitation", target.id)));
        checker.check(
            format!("{roles}: resend"),
            status(resend).await,
            if write { StatusCode::ACCEPTED } else { StatusCode::FORBIDDEN },
        );
        // The target is pending: past the rights check, a writer is told it cannot be deactivated.
        let deactivate = client.post(app.url(&format!("/users/{}/deactivate", target.id))).json(&json!({"version": 1}));
        checker.check(
            format!("{roles}: deactivate"),
            status(deactivate).await,
            if write { StatusCode::CONFLICT } else { StatusCode::FORBIDDEN },
        );
        let remove = client.delete(app.url(&format!("/users/{}", target.id)));
        checker.check(
            format!("{roles}: remove"),
            status(remove).await,
            if write { StatusCode::NO_CONTENT } else { StatusCode::FORBIDDEN },
        );
        checker.check(
            format!("{roles}: audit log"),
            status(client.get(app.url("/audit-log"))).await,
            expect(roles.access(Area::AuditLog).can_read()),
        );
    }
    assert!(
        checker.mismatches.is_empty(),
        "{} mismatches:\n{}",
        checker.mismatches.len(),
        checker.mismatches.join("\n")
    );
    assert_eq!(checker.checks, 34 * (27 * 2 + 7));
    assert!(checker.checks >= 2000);
}
