//! `useradmin-server`: the axum + sqlx backend. Its API is built in its own issue; until then
//! the binary only reports what it will serve.

fn main() {
    let matrix = useradmin_api::RightsMatrix::current();
    eprintln!(
        "useradmin-server: the API is not built yet; the rights matrix has {} areas and {} roles.",
        matrix.area_count(),
        matrix.roles.len()
    );
    std::process::exit(2);
}
