//! `cargo xtask`: the project's own commands.
//!
//! - `setup`: installs what is missing, idempotently (wasm32 target, trunk, wasm-bindgen-cli at
//!   the version in `Cargo.lock`, wasm-opt from npm's binaryen, Chromium and chromedriver).
//! - `test`: setup, then formatting, clippy, native tests (rights, API against the real server),
//!   the release build of the app, component tests in headless Chromium, and end-to-end tests
//!   driving Chromium over WebDriver against the real server and the built app.
//! - `run`: setup, build the app, start `useradmin-server` on <http://127.0.0.1:8080>; it prints
//!   the first administrator's invitation link.
//! - `dev`: setup, then `trunk serve` on <http://127.0.0.1:8080> (rebuilds and reloads on every
//!   change) and the server behind it on 127.0.0.1:8081 with data in `target/dev-data`; one
//!   Ctrl-C stops both.
//! - `build`: setup, then the release build of the app into `dist/`.
//! - `bench [--quick]`: bundle size, rights checks and API throughput with their budgets
//!   (`docs/benchmarks.md`).
//! - `fuzz`: setup, then a long schemathesis run against the API (the test runs a short one;
//!   `docs/fuzzing.md` says what it checks and how to read a failure).

mod bench;
mod dev;
mod setup;
mod shell;

use std::process::ExitCode;
use std::time::Instant;

use shell::{Env, Fallible};

const USAGE: &str = "usage: cargo xtask <setup | test | run | dev | build | fuzz | bench [--quick]>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let env = Env::discover();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(&env),
        Some("test") => test(&env),
        Some("run") => run(&env),
        Some("dev") => dev::run(&env),
        Some("build") => setup::run(&env).and_then(|()| build_app(&env)),
        Some("bench") => bench::run(&env, args.get(1).is_some_and(|arg| arg == "--quick")),
        Some("fuzz") => {
            setup::run(&env).and_then(|()| env.step("API fuzzing (schemathesis, long)", fuzz_tests(&env, Some("300"))))
        }
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Everything CI checks, in the order that fails fastest.
fn test(env: &Env) -> Fallible {
    let started = Instant::now();
    setup::run(env)?;
    env.step("formatting", env.cargo(["fmt", "--all", "--", "--check"]))?;
    env.step(
        "clippy (native)",
        env.cargo(["clippy", "--locked", "--workspace", "--all-targets", "--", "-D", "warnings"]),
    )?;
    env.step(
        "clippy (wasm app)",
        env.cargo([
            "clippy",
            "--locked",
            "--package",
            "useradmin-web",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    env.step("native tests", env.cargo(["test", "--locked", "--workspace"]))?;
    let mut on_postgres = env.cargo(["test", "--locked", "--package", "useradmin-server", "--test", "api"]);
    on_postgres.env("USERADMIN_TEST_DATABASE", "postgres");
    env.step("API tests again, on PostgreSQL (throwaway cluster)", on_postgres)?;
    build_app(env)?;
    env.step("wasm component tests in headless Chromium", wasm_tests(env))?;
    env.step("end-to-end tests (Chromium over WebDriver, real server, built app)", e2e_tests(env))?;
    env.step("API fuzzing (schemathesis, bounded)", fuzz_tests(env, None))?;
    println!("xtask: all checks passed in {:.0?}", started.elapsed());
    Ok(())
}

/// The app's wasm-bindgen tests, run by wasm-bindgen-test-runner in headless Chromium
/// (options in `webdriver.json`).
fn wasm_tests(env: &Env) -> std::process::Command {
    let mut command =
        env.cargo(["test", "--locked", "--package", "useradmin-web", "--target", "wasm32-unknown-unknown"]);
    command
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", setup::CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    command
}

/// The browser journeys against the real server and the app built into `dist/`; they are
/// `#[ignore]`d in plain `cargo test` because they need that build.
fn e2e_tests(env: &Env) -> std::process::Command {
    let mut command =
        env.cargo(["test", "--locked", "--package", "useradmin-server", "--test", "e2e", "--", "--ignored"]);
    command
        .env("CHROMEDRIVER", setup::CHROMEDRIVER)
        .env("CHROMIUM", setup::CHROMIUM)
        .env("USERADMIN_E2E_SCREENSHOTS", env.root.join("target/screenshots"));
    command
}

/// schemathesis against the OpenAPI document, as an administrator and as a user without
/// roles; `examples` raises the number of cases per operation and phase for `cargo xtask fuzz`,
/// whose phases then repeat until 15 minutes per run are spent.
fn fuzz_tests(env: &Env, examples: Option<&str>) -> std::process::Command {
    let mut command = env.cargo([
        "test",
        "--locked",
        "--package",
        "useradmin-server",
        "--test",
        "fuzz",
        "--",
        "--ignored",
        "--nocapture",
    ]);
    command.env("SCHEMATHESIS", setup::schemathesis_path(env));
    if let Some(examples) = examples {
        command.env("FUZZ_MAX_EXAMPLES", examples).env("FUZZ_MAX_TIME", "900");
    }
    command
}

/// The release build of the app into `dist/`, with wasm-opt, never downloading anything; then
/// every file is precompressed (brotli and gzip, by Node's zlib) for the server to send.
fn build_app(env: &Env) -> Fallible {
    env.step("release build of the app (trunk)", env.trunk(["build", "--release", "--offline"]))?;
    compress_dist(env).map(|_| ())
}

/// Writes `.br` and `.gz` beside every file of `dist/` and returns the sizes as JSON.
pub fn compress_dist(env: &Env) -> Fallible<String> {
    let mut node = env.tool("node", ["-e", include_str!("compress.js")]);
    node.arg(env.root.join("dist"));
    env.output(node).ok_or_else(|| "compressing dist/ with Node failed".to_owned())
}

fn run(env: &Env) -> Fallible {
    setup::run(env)?;
    build_app(env)?;
    println!("xtask: starting useradmin on http://127.0.0.1:8080 (data in ./data, Ctrl-C stops it)");
    env.step(
        "useradmin-server",
        env.cargo([
            "run",
            "--locked",
            "--package",
            "useradmin-server",
            "--",
            "--listen",
            "127.0.0.1:8080",
            "--static-dir",
            "dist",
            "--data-dir",
            "data",
        ]),
    )
}
