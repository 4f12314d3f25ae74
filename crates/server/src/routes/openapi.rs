//! `GET /api/v1/openapi.json`: the API described for people and for generic clients and fuzzers.

use axum::Json;
use utoipa::OpenApi;

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
    components(schemas(useradmin_api::ErrorBody, useradmin_api::ErrorDetail, useradmin_api::UserStatus)),
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

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
