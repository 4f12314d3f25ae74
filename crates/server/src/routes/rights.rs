use axum::Json;
use useradmin_api::RightsMatrix;

use crate::auth::{AuthError, CurrentUser};

/// `GET /rights`: the matrix for the reference page; any signed-in user.
#[utoipa::path(get, path = "/api/v1/rights", tag = "rights",
    responses((status = 200, body = RightsMatrix), (status = 401, body = useradmin_api::ErrorBody)))]
pub async fn get_rights(_user: CurrentUser) -> Result<Json<RightsMatrix>, AuthError> {
    Ok(Json(RightsMatrix::current()))
}
