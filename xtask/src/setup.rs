//! `cargo xtask setup`: install what is missing, and nothing that is already there.
//!
//! Every tool is checked by running it and reading its version, so a second run does nothing.
//! Nothing downloads a prebuilt binary: tools come from crates.io, npm and Debian's packages.

use std::path::Path;

use crate::shell::{Env, Fallible};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub fn run(env: &Env) -> Fallible {
    rust_components(env)?;
    wasm_target(env)?;
    trunk(env)?;
    wasm_bindgen_cli(env)?;
    wasm_opt(env)?;
    chromium(env)?;
    postgresql(env)?;
    schemathesis(env)?;
    println!("xtask: setup complete");
    Ok(())
}

fn rust_components(env: &Env) -> Fallible {
    for (component, probe) in [("rustfmt", "fmt"), ("clippy", "clippy")] {
        if env.output(env.cargo([probe, "--version"])).is_none() {
            env.step(&format!("install {component}"), rustup(env, ["component", "add", component]))?;
        }
    }
    Ok(())
}

fn wasm_target(env: &Env) -> Fallible {
    let installed = env.output(rustup(env, ["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    env.step("install the wasm32 target", rustup(env, ["target", "add", WASM_TARGET]))
}

fn trunk(env: &Env) -> Fallible {
    let wanted = format!("trunk {TRUNK_VERSION}");
    if env.output(env.trunk(["--version"])).as_deref() == Some(wanted.as_str()) {
        return Ok(());
    }
    env.step(
        &format!("install {wanted} (takes several minutes)"),
        env.cargo(["install", "--locked", "trunk", "--version", TRUNK_VERSION]),
    )
}

/// wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock exactly, and Trunk.toml must
/// name the same version, or trunk would try to download another.
fn wasm_bindgen_cli(env: &Env) -> Fallible {
    let lock = read(&env.root.join("Cargo.lock"))?;
    let version = locked_version(&lock, "wasm-bindgen")
        .ok_or("Cargo.lock has no wasm-bindgen package; run `cargo generate-lockfile`")?;
    let trunk_toml = read(&env.root.join("Trunk.toml"))?;
    let pinned = format!("wasm_bindgen = \"{version}\"");
    if !trunk_toml.lines().any(|line| line.trim() == pinned) {
        return Err(format!("Trunk.toml must pin `{pinned}` under [tools], the version in Cargo.lock"));
    }
    let wanted = format!("wasm-bindgen {version}");
    if env.output(env.tool("wasm-bindgen", ["--version"])).as_deref() == Some(wanted.as_str())
        && env.output(env.tool("wasm-bindgen-test-runner", ["--version"])).is_some()
    {
        return Ok(());
    }
    // Without --locked: the CLI's own lock file names a crate version the registry lacks.
    env.step(
        &format!("install wasm-bindgen-cli {version} (takes a few minutes)"),
        env.cargo(["install", "wasm-bindgen-cli", "--version", version.as_str()]),
    )
}

/// wasm-opt from npm's binaryen: Debian's binaryen cannot parse today's rustc output.
fn wasm_opt(env: &Env) -> Fallible {
    let wasm_opt = env.tools.join("node_modules/.bin/wasm-opt");
    let wanted = format!("version {BINARYEN_VERSION}");
    let current = env.output(env.tool(&wasm_opt, ["--version"]));
    if current.is_some_and(|text| text.contains(&wanted)) {
        return Ok(());
    }
    if env.output(env.tool("npm", ["--version"])).is_none() {
        env.step("install Node.js and npm", apt_install(env, &["nodejs", "npm"]))?;
    }
    std::fs::create_dir_all(&env.tools).map_err(|err| format!("cannot create {}: {err}", env.tools.display()))?;
    let mut npm = env.command("npm");
    npm.args(["install", "--no-audit", "--no-fund", "--prefix"])
        .arg(&env.tools)
        .arg(format!("binaryen@{BINARYEN_VERSION}"));
    env.step(&format!("install wasm-opt (npm binaryen@{BINARYEN_VERSION})"), npm)
}

fn chromium(env: &Env) -> Fallible {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    env.step("install Chromium and chromedriver (Debian)", apt_install(env, &["chromium", "chromium-driver"]))
}

/// Debian's PostgreSQL server, for the API suite's second run (the tests start their own
/// throwaway cluster; the package's own service is not used).
fn postgresql(env: &Env) -> Fallible {
    let installed = std::fs::read_dir("/usr/lib/postgresql")
        .map(|versions| versions.filter_map(Result::ok).any(|v| v.path().join("bin/initdb").exists()))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    env.step("install PostgreSQL (Debian)", apt_install(env, &["postgresql"]))
}

/// The schemathesis CLI (PyPI) in a virtual environment that xtask owns.
pub fn schemathesis_path(env: &Env) -> std::path::PathBuf {
    env.tools.join("venv/bin/schemathesis")
}

/// schemathesis and every package it imports, pinned: a newer hypothesis or schemathesis
/// generates other cases and warns about other things, so a fresh machine gets exactly what the
/// fuzzing was verified with. (The long run's crash, `SystemError: AST constructor recursion
/// depth mismatch`, was CPython 3.11.7's AST builder racing between schemathesis's worker
/// threads, python/cpython#106905; the fuzz test runs one worker.)
pub const SCHEMATHESIS_REQUIREMENTS: &str = include_str!("../schemathesis-requirements.txt");

fn schemathesis(env: &Env) -> Fallible {
    let binary = schemathesis_path(env);
    let venv = env.tools.join("venv");
    let installed = venv.join("installed-requirements.txt");
    let wanted = format!("version {SCHEMATHESIS_VERSION}");
    let current = env.output(env.tool(&binary, ["--version"])).is_some_and(|text| text.contains(&wanted));
    if current && std::fs::read_to_string(&installed).is_ok_and(|text| text == SCHEMATHESIS_REQUIREMENTS) {
        return Ok(());
    }
    if !venv.join("bin/pip").exists() {
        let python = if env.output(env.tool("python3", ["--version"])).is_some() { "python3" } else { "python" };
        let mut create = env.tool(python, ["-m", "venv"]);
        create.arg(&venv);
        env.step("create a Python environment for schemathesis", create)?;
    }
    let requirements = venv.join("requirements.txt");
    std::fs::write(&requirements, SCHEMATHESIS_REQUIREMENTS)
        .map_err(|err| format!("cannot write {}: {err}", requirements.display()))?;
    let mut install = env.tool(venv.join("bin/pip"), ["install", "--quiet", "--disable-pip-version-check", "-r"]);
    install.arg(&requirements);
    env.step(&format!("install schemathesis {SCHEMATHESIS_VERSION} and its pinned dependencies (PyPI)"), install)?;
    std::fs::write(&installed, SCHEMATHESIS_REQUIREMENTS)
        .map_err(|err| format!("cannot write {}: {err}", installed.display()))
}

pub fn apt_install(env: &Env, packages: &[&str]) -> std::process::Command {
    let script =
        format!("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq {}", packages.join(" "));
    let is_root = env.output(env.tool("id", ["-u"])).as_deref() == Some("0");
    if is_root { env.tool("sh", ["-c", &script]) } else { env.tool("sudo", ["sh", "-c", &script]) }
}

fn rustup<const N: usize>(env: &Env, args: [&str; N]) -> std::process::Command {
    env.tool("rustup", args)
}

fn read(path: &Path) -> Fallible<String> {
    std::fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()))
}

/// The version of `name` in a Cargo.lock (the first, if several are locked).
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines.next()?.trim().strip_prefix("version = \"")?.strip_suffix('"')?;
            return Some(version.to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::locked_version;

    #[test]
    fn the_requirements_pin_the_schemathesis_version_setup_checks() {
        let pin = format!("schemathesis=={}", super::SCHEMATHESIS_VERSION);
        assert!(super::SCHEMATHESIS_REQUIREMENTS.lines().any(|line| line == pin), "{pin}");
        assert!(
            super::SCHEMATHESIS_REQUIREMENTS.lines().filter(|l| !l.starts_with('#')).all(|l| l.contains("==")),
            "every requirement is pinned"
        );
    }

    #[test]
    fn finds_a_locked_version_by_exact_name() {
        let lock = "[[package]]\nname = \"wasm-bindgen-test\"\nversion = \"0.3.80\"\n\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n";
        assert_eq!(locked_version(lock, "wasm-bindgen").as_deref(), Some("0.2.130"));
        assert_eq!(locked_version(lock, "wasm-bindgen-test").as_deref(), Some("0.3.80"));
        assert_eq!(locked_version(lock, "yew"), None);
    }
}
