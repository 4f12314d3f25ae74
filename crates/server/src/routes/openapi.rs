//! `GET /api/v1/openapi.json`: the API described for people and for generic clients and fuzzers.

use std::sync::LazyLock;

use axum::Json;
use serde_json::{Value, json};
use utoipa::OpenApi;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::schema::{ObjectBuilder, Type};
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
        routes::users::deactivate_user,
        routes::users::reactivate_user,
        routes::invitations::get_invitation,
        routes::invitations::accept_invitation,
        routes::password_reset::request_reset,
        routes::password_reset::get_reset,
        routes::password_reset::reset_password,
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
        (name = "password reset", description = "\"Forgot password?\": a link by e-mail to set a new password"),
        (name = "areas", description = "One settings document per area of the rights matrix"),
        (name = "rights", description = "The rights matrix"),
        (name = "audit", description = "The audit log"),
    )
)]
pub struct ApiDoc;

/// Paths that answer without a session.
const PUBLIC: [(&str, &str); 7] = [
    ("post", "/api/v1/session"),
    ("delete", "/api/v1/session"),
    ("get", "/api/v1/invitations/{token}"),
    ("post", "/api/v1/invitations/{token}/accept"),
    ("post", "/api/v1/password-resets"),
    ("get", "/api/v1/password-resets/{token}"),
    ("post", "/api/v1/password-resets/{token}"),
];

/// Where a response leads: (operation, status) → (link name, target operation id). Every link
/// passes the user's `id`; links to `update_user`, `deactivate_user` and `reactivate_user` also
/// pass the `version` just returned, so that a client (or the fuzzer's stateful phase) can follow
/// an invitation through its edits, resends and removal, and a user through deactivation and
/// back. Pages link to the next page by their cursor.
const LINKS: [(&str, &str, &str, &str); 13] = [
    ("invite_user", "201", "EditInvitedUser", "update_user"),
    ("invite_user", "201", "ResendInvitation", "resend_invitation"),
    ("invite_user", "201", "RemoveInvitedUser", "remove_user"),
    ("resend_invitation", "202", "EditUser", "update_user"),
    ("resend_invitation", "202", "ResendAgain", "resend_invitation"),
    ("resend_invitation", "202", "RemoveUser", "remove_user"),
    ("update_user", "200", "EditAgain", "update_user"),
    ("update_user", "200", "ResendInvitation", "resend_invitation"),
    ("update_user", "200", "RemoveUser", "remove_user"),
    ("deactivate_user", "200", "ReactivateUser", "reactivate_user"),
    ("reactivate_user", "200", "DeactivateUser", "deactivate_user"),
    ("list_users", "200", "NextPage", "list_users"),
    ("list_events", "200", "NextPage", "list_events"),
];

/// The generated document, completed with what every operation can answer because of the
/// middleware and extractors around it (so that a generic client or fuzzer finds every status
/// documented), with the session cookie as its security scheme and the path parameters' exact
/// values. [`document_json`] adds the links.
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
                describe_path_parameters(operation);
            }
        }
    }
    doc
}

fn complete(operation: &mut openapi::path::Operation, method: &str, path: &str) {
    let public = PUBLIC.contains(&(method, path));
    add(operation, "400", "The path, the query string, the cursor or the JSON body is malformed");
    // Answered by the HTTP layer before any handler, without a body.
    operation.responses.responses.entry("414".to_owned()).or_insert_with(|| {
        ResponseBuilder::new().description("The URL is longer than the server reads").build().into()
    });
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

/// `{area}` is one of the area keys; `{id}` a positive integer (others answer 404).
fn describe_path_parameters(operation: &mut openapi::path::Operation) {
    for parameter in operation.parameters.iter_mut().flatten() {
        if !matches!(parameter.parameter_in, ParameterIn::Path) {
            continue;
        }
        match parameter.name.as_str() {
            "area" => parameter.schema = Some(useradmin_api::openapi::area()),
            "id" => {
                let id = ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(openapi::SchemaFormat::KnownFormat(openapi::KnownFormat::Int64)));
                parameter.schema = Some(id.minimum(Some(1)).into());
            }
            _ => {}
        }
    }
}

/// Adds [`LINKS`] to the serialized document (utoipa's `Link` serializes its fields in
/// snake case, which no OpenAPI reader understands).
fn add_links(doc: &mut Value) {
    let Some(paths) = doc["paths"].as_object_mut() else { return };
    for operation in paths.values_mut().filter_map(Value::as_object_mut).flat_map(|item| item.values_mut()) {
        let Some(source) = operation["operationId"].as_str().map(str::to_owned) else { continue };
        for (from, status, name, target) in LINKS {
            if from != source {
                continue;
            }
            let link = match target {
                "list_users" | "list_events" => {
                    json!({"operationId": target, "parameters": {"cursor": "$response.body#/next_cursor"}})
                }
                "update_user" | "deactivate_user" | "reactivate_user" => json!({
                    "operationId": target,
                    "parameters": {"id": "$response.body#/id"},
                    "requestBody": {"version": "$response.body#/version"},
                }),
                _ => json!({"operationId": target, "parameters": {"id": "$response.body#/id"}}),
            };
            let response = &mut operation["responses"][status];
            assert!(response.is_object(), "{source} documents no {status} response to link from");
            response["links"][name] = link;
        }
    }
}

fn add(operation: &mut openapi::path::Operation, status: &str, description: &str) {
    operation.responses.responses.entry(status.to_owned()).or_insert_with(|| {
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
        ResponseBuilder::new().description(description).content("application/json", content).build().into()
    });
}

/// The document as served, links included; built once.
pub fn document_json() -> &'static Value {
    static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
        let mut doc = serde_json::to_value(document()).expect("the document serializes");
        add_links(&mut doc);
        doc
    });
    &DOCUMENT
}

pub async fn openapi_json() -> Json<&'static Value> {
    Json(document_json())
}
