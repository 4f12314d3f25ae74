//! The rendering benchmark: `tests/render_bench.rs` (the User Accounts table against a plain-DOM
//! control, in headless Chromium), built in release mode and run by wasm-bindgen-test-runner.

use serde_json::Value;

use crate::setup;
use crate::shell::{Env, Fallible};

const FIRST_RENDER_1000_BUDGET: f64 = 1.3;
const FIRST_RENDER_10000_BUDGET: f64 = 1.0;
const INTERACTION_RATIO_BUDGET: f64 = 1.5;
const INTERACTION_MS_BUDGET: f64 = 16.0;
/// Growth of the JS heap over five load/clear cycles still counted as none (collector noise).
const HEAP_NOISE_BYTES: f64 = 512.0 * 1024.0;

/// Chromium flags the benchmark needs beyond the tests' `webdriver.json`: a garbage collector
/// it can call and exact heap figures, and a window of a typical laptop.
const EXTRA_CHROMIUM_ARGS: [&str; 3] =
    ["--js-flags=--expose-gc", "--enable-precise-memory-info", "--window-size=1280,900"];

pub fn run(env: &Env) -> Fallible<Value> {
    let out = env.root.join("target/bench");
    let config_path = out.join("webdriver.json");
    let base =
        std::fs::read_to_string(env.root.join("webdriver.json")).map_err(|err| format!("webdriver.json: {err}"))?;
    let mut config: Value = super::parse(&base)?;
    let args = config["goog:chromeOptions"]["args"].as_array_mut().ok_or("webdriver.json has no Chromium args")?;
    args.extend(EXTRA_CHROMIUM_ARGS.map(Value::from));
    std::fs::write(&config_path, config.to_string()).map_err(|err| format!("{}: {err}", config_path.display()))?;

    let mut command = env.cargo([
        "test",
        "--locked",
        "--profile",
        "wasm-release",
        "--package",
        "useradmin-web",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "render_bench",
        "--",
        "--include-ignored",
        "--nocapture",
    ]);
    command
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", setup::CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &config_path)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "900");
    println!("xtask: ▶ rendering in headless Chromium (the app's size-optimised build, then about three minutes)");
    let output = command.output().map_err(|err| format!("could not start the rendering benchmark: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().find_map(|line| line.strip_prefix("RENDER_BENCH "));
    match (output.status.success(), line) {
        (true, Some(line)) => super::parse(line),
        _ => Err(format!(
            "the rendering benchmark failed ({}):\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

fn ms(value: &Value) -> f64 {
    value.as_f64().unwrap_or(f64::NAN)
}

fn mib(value: &Value) -> String {
    value.as_f64().map_or_else(|| "not measured".to_owned(), |bytes| format!("{:.1} MiB", bytes / 1_048_576.0))
}

/// The report's rows for the table of `cargo xtask bench`.
pub fn rows(report: &Value) -> Vec<String> {
    let mut rows = vec![format!(
        "| rendering: a frame doing nothing (the floor of every \"to paint\") | {:.1} ms | | |",
        ms(&report["idle_frame_ms"])
    )];
    for size in report["sizes"].as_array().cloned().unwrap_or_default() {
        let accounts = size["accounts"].as_u64().unwrap_or(0);
        let measures = &size["measures"];
        let describe = |name: &str| {
            let (work, paint) = (&measures[name]["work"], &measures[name]["to_paint"]);
            let text = format!(
                "to paint {:.1} ms vs {:.1} ms ({:.2}×); work {:.1} ms vs {:.1} ms ({:.2}×)",
                ms(&paint["app_ms"]),
                ms(&paint["control_ms"]),
                ms(&paint["ratio"]),
                ms(&work["app_ms"]),
                ms(&work["control_ms"]),
                ms(&work["ratio"])
            );
            (text, ms(&paint["ratio"]).max(ms(&work["ratio"])), ms(&work["app_ms"]))
        };
        let budget = if accounts >= 10_000 { FIRST_RENDER_10000_BUDGET } else { FIRST_RENDER_1000_BUDGET };
        let (text, ratio, _) = describe("render");
        rows.push(format!(
            "| rendering {accounts} accounts ({} rows in the document): first render, app vs control | {text} | ≤ {budget}× | {} |",
            size["app_rows_in_document"],
            super::verdict(ratio <= budget)
        ));
        for (name, label) in [
            ("edit_mode_on", "row into edit mode"),
            ("tick_role", "tick a role"),
            ("edit_mode_off", "row back to read mode"),
        ] {
            let (text, ratio, work) = describe(name);
            rows.push(format!(
                "| rendering {accounts} accounts: {label} | {text} | ≤ {INTERACTION_RATIO_BUDGET}×, work < {INTERACTION_MS_BUDGET} ms | {} |",
                super::verdict(ratio <= INTERACTION_RATIO_BUDGET && work < INTERACTION_MS_BUDGET)
            ));
        }
    }
    let app = &report["memory"]["app"];
    let (loaded, after) = (&app["js_heap_loaded"], &app["js_heap_after_5_cycles"]);
    let grew = match (loaded.as_f64(), after.as_f64()) {
        (Some(loaded), Some(after)) => after - loaded > HEAP_NOISE_BYTES,
        _ => true,
    };
    let wasm_grew = app["wasm_memory_after_5_cycles"] != app["wasm_memory_loaded"];
    let control = &report["memory"]["control"];
    rows.push(format!(
        "| memory with 1000 accounts loaded, then after 5 more load/clear cycles | app: JS heap {} → {}, wasm memory {} → {} (control: JS heap {} → {}) | no growth | {} |",
        mib(loaded),
        mib(after),
        mib(&app["wasm_memory_loaded"]),
        mib(&app["wasm_memory_after_5_cycles"]),
        mib(&control["js_heap_loaded"]),
        mib(&control["js_heap_after_5_cycles"]),
        super::verdict(!grew && !wasm_grew)
    ));
    rows
}
