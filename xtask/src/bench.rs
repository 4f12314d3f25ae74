//! `cargo xtask bench [--quick]`: bundle size, the rights checks (criterion), rendering in
//! headless Chromium against a plain-DOM control, and API throughput on SQLite and PostgreSQL
//! beside a plain handler, in release mode. Prints one table, writes `target/bench/report.json`
//! and, for a full run, `docs/benchmarks.md`'s figures.

mod render;

use serde_json::{Value, json};

use crate::setup;
use crate::shell::{Env, Fallible};

/// Budgets from the product's performance issue.
const BUNDLE_BROTLI_BUDGET: u64 = 150 * 1024;
const ACCESS_BUDGET_NS: f64 = 50.0;
const MENU_BUDGET_NS: f64 = 1000.0;
const API_RATIO_BUDGET: f64 = 0.5;
const API_P99_BUDGET_MS: f64 = 5.0;
const SEARCH_MANY_P99_BUDGET_MS: f64 = 20.0;

pub fn run(env: &Env, quick: bool) -> Fallible {
    setup::run(env)?;
    if env.output(env.tool("wrk", ["--version"])).is_none() && !std::path::Path::new("/usr/bin/wrk").exists() {
        env.step("install wrk (Debian)", setup::apt_install(env, &["wrk"]))?;
    }
    let out = env.root.join("target/bench");
    std::fs::create_dir_all(&out).map_err(|err| format!("cannot create {}: {err}", out.display()))?;

    env.step("release build of the app (trunk)", env.trunk(["build", "--release", "--offline"]))?;
    let bundle: Value = parse(&crate::compress_dist(env)?)?;

    let mut criterion = env.cargo(["bench", "--locked", "--package", "useradmin-rights", "--bench", "rights", "--"]);
    if quick {
        criterion.args(["--warm-up-time", "0.3", "--measurement-time", "1"]);
    }
    env.step("rights checks (criterion)", criterion)?;
    let rights = json!({
        "access_one_area_ns": criterion_mean(env, "access_one_area")?,
        "access_all_27_areas_ns": criterion_mean(env, "access_all_27_areas")?,
        "visible_menu_three_roles_ns": criterion_mean(env, "visible_menu_three_roles")?,
        "visible_menu_administrator_ns": criterion_mean(env, "visible_menu_administrator")?,
    });

    let render = render::run(env)?;

    env.step(
        "server build (release optimisations, profile perf, with the plain reference handler)",
        env.cargo([
            "build",
            "--locked",
            "--profile",
            "perf",
            "--package",
            "useradmin-server",
            "--features",
            "bench-plain",
        ]),
    )?;
    let server = env.root.join("target/perf/useradmin-server");
    let mut api = Vec::new();
    for engine in ["sqlite", "postgres"] {
        println!("xtask: ▶ API throughput on {engine}");
        let mut script = env.tool("python3", [env.root.join("xtask/bench/api.py")]);
        script.arg(&server).arg(out.join(format!("api-{engine}"))).arg(engine).arg(if quick { "1" } else { "0" });
        let text = env.output(script).ok_or_else(|| format!("the API benchmark on {engine} failed"))?;
        api.push(parse(&text)?);
    }

    let report = json!({"quick": quick, "bundle": bundle, "rights": rights, "render": render, "api": api});
    let text = serde_json::to_string_pretty(&report).map_err(|err| err.to_string())?;
    std::fs::write(out.join("report.json"), &text).map_err(|err| err.to_string())?;
    let table = table(&report);
    println!("{table}");
    if !quick {
        let docs = env.root.join("docs/benchmarks.md");
        let current = std::fs::read_to_string(&docs).unwrap_or_default();
        let start = "<!-- figures -->";
        let end = "<!-- /figures -->";
        if let (Some(a), Some(b)) = (current.find(start), current.find(end)) {
            let updated = format!("{}{start}\n{table}\n{}", &current[..a], &current[b..]);
            std::fs::write(&docs, updated).map_err(|err| err.to_string())?;
        }
    }
    println!("xtask: report in {}", out.join("report.json").display());
    Ok(())
}

fn parse(text: &str) -> Fallible<Value> {
    serde_json::from_str(text).map_err(|err| format!("unreadable benchmark output: {err}: {text}"))
}

fn criterion_mean(env: &Env, name: &str) -> Fallible<f64> {
    let path = env.root.join(format!("target/criterion/{name}/new/estimates.json"));
    let text = std::fs::read_to_string(&path).map_err(|err| format!("{}: {err}", path.display()))?;
    parse(&text)?["mean"]["point_estimate"].as_f64().ok_or_else(|| format!("no mean in {}", path.display()))
}

fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "MISSED" }
}

/// The report as a Markdown table.
fn table(report: &Value) -> String {
    let mut lines = vec!["| measure | value | target | |".to_owned(), "|---|---|---|---|".to_owned()];
    let files = report["bundle"].as_array().cloned().unwrap_or_default();
    let first_load: Vec<&Value> =
        files.iter().filter(|f| !f["file"].as_str().unwrap_or("").ends_with(".html")).collect();
    for file in &first_load {
        lines.push(format!(
            "| bundle: {} | {} B raw, {} B gzip, {} B brotli | | |",
            file["file"].as_str().unwrap_or("?"),
            file["raw"],
            file["gzip"],
            file["brotli"]
        ));
    }
    let brotli: u64 = first_load.iter().filter_map(|f| f["brotli"].as_u64()).sum();
    lines.push(format!(
        "| bundle: wasm + JS + CSS, brotli | {:.1} kB | ≤ {} kB | {} |",
        brotli as f64 / 1024.0,
        BUNDLE_BROTLI_BUDGET / 1024,
        verdict(brotli <= BUNDLE_BROTLI_BUDGET)
    ));
    let rights = &report["rights"];
    let access = rights["access_one_area_ns"].as_f64().unwrap_or(f64::NAN);
    let menu = rights["visible_menu_administrator_ns"].as_f64().unwrap_or(f64::NAN);
    lines.push(format!(
        "| `RoleSet::access` | {access:.2} ns | ≤ {ACCESS_BUDGET_NS} ns | {} |",
        verdict(access <= ACCESS_BUDGET_NS)
    ));
    lines.push(format!(
        "| `visible_menu` (Administrator, all 27 areas) | {menu:.0} ns | ≤ {MENU_BUDGET_NS} ns | {} |",
        verdict(menu <= MENU_BUDGET_NS)
    ));
    lines.extend(render::rows(&report["render"]));
    for api in report["api"].as_array().cloned().unwrap_or_default() {
        let engine = api["engine"].as_str().unwrap_or("?").to_owned();
        for (name, endpoint) in api["endpoints"].as_object().cloned().unwrap_or_default() {
            let ratio = endpoint["ratio"].as_f64().unwrap_or(0.0);
            let p99 = endpoint["p99_ms"].as_f64().unwrap_or(f64::NAN);
            lines.push(format!(
                "| API {engine}, {} users: {name} | {:.0} req/s ({:.2}× plain {:.0}), p50 {:.2} ms, p99 {p99:.2} ms | ≥ {API_RATIO_BUDGET}×, p99 ≤ {API_P99_BUDGET_MS} ms | {} |",
                api["users"],
                endpoint["rps"].as_f64().unwrap_or(0.0),
                ratio,
                endpoint["plain_rps"].as_f64().unwrap_or(0.0),
                endpoint["p50_ms"].as_f64().unwrap_or(f64::NAN),
                verdict(ratio >= API_RATIO_BUDGET && p99 <= API_P99_BUDGET_MS && endpoint["non_2xx"] == 0)
            ));
        }
        let many = &api["search_many"];
        let p99 = many["p99_ms"].as_f64().unwrap_or(f64::NAN);
        lines.push(format!(
            "| API {engine}, {} users: search | {:.0} req/s, p99 {p99:.2} ms | p99 ≤ {SEARCH_MANY_P99_BUDGET_MS} ms | {} |",
            api["many_users"],
            many["rps"].as_f64().unwrap_or(0.0),
            verdict(p99 <= SEARCH_MANY_P99_BUDGET_MS)
        ));
        if let Some(writes) = api["writes"].as_object() {
            for (writers, now) in writes {
                let before = &api["writes_one_writer"][writers];
                let (rps, before_rps) = (now["rps"].as_f64().unwrap_or(0.0), before["rps"].as_f64().unwrap_or(0.0));
                lines.push(format!(
                    "| API {engine}: edits of distinct users, {writers} writer(s) | {rps:.0} edits/s, p99 {:.2} ms (all on one write lock: {before_rps:.0} edits/s, p99 {:.2} ms; {:.2}×) | writers do not queue | {} |",
                    now["p99_ms"].as_f64().unwrap_or(f64::NAN),
                    before["p99_ms"].as_f64().unwrap_or(f64::NAN),
                    rps / before_rps,
                    verdict(now["non_2xx"] == 0)
                ));
            }
        }
        lines.push(format!(
            "| server memory ({engine}) | idle {} MiB, after the run {} MiB, with {} users {} MiB | | |",
            api["rss_idle_kib"].as_u64().unwrap_or(0) / 1024,
            api["rss_after_kib"].as_u64().unwrap_or(0) / 1024,
            api["many_users"],
            api["rss_many_kib"].as_u64().unwrap_or(0) / 1024
        ));
    }
    lines.join("\n")
}
