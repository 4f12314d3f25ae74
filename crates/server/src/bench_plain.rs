//! Benchmarks only, compiled with the `bench-plain` feature (`cargo xtask bench` enables it):
//! the files of `--bench-plain-dir` served from memory at `/__bench/plain/<name>` without any
//! check, the fastest possible answer of this HTTP stack, which the API's throughput is
//! compared with. Production builds do not contain it.

use std::path::Path;

use axum::Router;

use crate::state::AppState;

/// The benchmark's reference: the bytes of each file in `dir`, from memory, no checks at all.
pub fn routes(dir: Option<&Path>) -> Router<AppState> {
    let mut router = Router::new();
    let Some(dir) = dir else { return router };
    for entry in std::fs::read_dir(dir).into_iter().flatten().filter_map(Result::ok) {
        let (Ok(name), Ok(bytes)) = (entry.file_name().into_string(), std::fs::read(entry.path())) else {
            continue;
        };
        let body = axum::body::Bytes::from(bytes);
        router = router.route(
            &format!("/__bench/plain/{name}"),
            axum::routing::get(move || {
                let body = body.clone();
                async move { ([(axum::http::header::CONTENT_TYPE, "application/json")], body) }
            }),
        );
    }
    router
}
