//! `GET /api/v1/openapi.json`: the API described for people and for generic clients and fuzzers.

use axum::Json;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{self, ContentBuilder, Ref, ResponseBuilder};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "useradmin API", description = "User administration: invitations, roles and rights."),
    paths(
        routes::session::sign_in,
        routes::session::sign_out,
        routes::me::get_me,
        routes::me::update_me,
        routes::me::change_password,
        routes::me::confirm_password,
        routes::rights::get_rights,
        routes::users::list_users,
        routes::users::invite_user,
        routes::users::resend_invitation,
        routes::users::update_user,
        routes::users::remove_user,
        routes::invitations::get_invitation,
        routes::invitations::accept_invitation,
        routes::areas::get_area,
        routes::areas::put_area,
        routes::audit_log::list_events,
    ),
    components(schemas(
        useradmin_api::ErrorBody,
        useradmin_api::ErrorDetail,
        useradmin_api::UserStatus,
        useradmin_api::ConflictBody
    )),
    tags(
        (name = "session", description = "Signing in and out"),
        (name = "me", description = "The signed-in user's own account"),
        (name = "users", description = "The user list (needs rights over User Accounts)"),
        (name = "invitations", description = "Completing registration from an invitation link"),
        (name = "areas", description = "One settings document per area of the rights matrix"),
        (name = "rights", description = "The rights matrix"),
        (name = "audit", description = "The audit log"),
    )
)]
pub struct ApiDoc;

/// Paths that answer without a session.
const PUBLIC: [(&str, &str); 4] = [
    ("post", "/api/v1/session"),
    ("delete", "/api/v1/session"),
    ("get", "/api/v1/invitations/{token}"),
    ("post", "/api/v1/invitations/{token}/accept"),
];

/// The generated document, completed with what every operation can answer because of the
/// middleware and extractors around it (so that a generic client or fuzzer finds every status
/// documented) and with the session cookie as its security scheme.
pub fn document() -> openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::auth::SESSION_COOKIE))),
    );
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            ("get", &mut item.get),
            ("put", &mut item.put),
            ("post", &mut item.post),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation.as_mut() {
                complete(operation, method, path);
            }
        }
    }
    doc
}

fn complete(operation: &mut openapi::path::Operation, method: &str, path: &str) {
    let public = PUBLIC.contains(&(method, path));
    add(operation, "400", "The query string, the cursor or the JSON body is malformed");
    if operation.request_body.is_some() {
        add(operation, "413", "The request body is larger than 64 KiB");
        add(operation, "415", "The request body is not declared as JSON");
        add(operation, "422", "The request body does not have the expected shape");
    }
    if !public {
        add(operation, "401", "Not signed in, or the session has ended");
        add(operation, "403", "The roles of the signed-in user do not allow this");
        operation.security = Some(vec![SecurityRequirement::new("session", Vec::<String>::new())]);
    }
    if method != "get" {
        add(operation, "403", "Refused: the request came from another site, or the roles do not allow it");
    }
}

fn add(operation: &mut openapi::path::Operation, status: &str, description: &str) {
    operation.responses.responses.entry(status.to_owned()).or_insert_with(|| {
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
        ResponseBuilder::new().description(description).content("application/json", content).build().into()
    });
}

pub async fn openapi_json() -> Json<openapi::OpenApi> {
    Json(document())
}
