//! `cargo xtask dev`: the app from `trunk serve` on <http://127.0.0.1:8080>, rebuilt and reloaded
//! in the browser on every change, with `/api` proxied (Trunk.toml) to useradmin-server on
//! 127.0.0.1:8081. The server is told Trunk's address as its public URL: the browser's writes
//! come from that origin, and the server refuses writes from any other as cross-site. Its data
//! (database, mail files) stays in `target/dev-data`, apart from `cargo xtask run`'s `data/`.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::setup;
use crate::shell::{Env, Fallible};

/// Where the browser opens the app (Trunk.toml's `[serve]`).
const APP_URL: &str = "http://127.0.0.1:8080";
/// Where the server listens (Trunk.toml's `[[proxy]]` backend).
const API_ADDRESS: &str = "127.0.0.1:8081";
const DATA_DIR: &str = "target/dev-data";

pub fn run(env: &Env) -> Fallible {
    setup::run(env)?;
    env.step("the server (debug build)", env.cargo(["build", "--locked", "--package", "useradmin-server"]))?;
    // From here Ctrl-C (or the terminal closing) only raises this flag: the children run in
    // process groups of their own, which are stopped below, whole, with what they started.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(|err| format!("signal handler: {err}"))?;
    }
    let server = env.cargo([
        "run",
        "--locked",
        "--quiet",
        "--package",
        "useradmin-server",
        "--",
        "--listen",
        API_ADDRESS,
        "--public-url",
        APP_URL,
        "--data-dir",
        DATA_DIR,
    ]);
    let mut children = Vec::new();
    let outcome = spawn_all(&mut children, [("useradmin-server", server), ("trunk serve", env.trunk(["serve", "--offline"]))])
        .and_then(|()| {
            println!(
                "xtask: the app is on {APP_URL} once Trunk has built it (the API on http://{API_ADDRESS}, data in {DATA_DIR}); \
                 Ctrl-C stops both"
            );
            watch(&mut children, &stop)
        });
    for (name, child) in &mut children {
        stop_group(name, child);
    }
    outcome
}

fn spawn_all<const N: usize>(
    children: &mut Vec<(&'static str, Child)>,
    commands: [(&'static str, Command); N],
) -> Fallible {
    for (name, mut command) in commands {
        command.stdin(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command.spawn().map_err(|err| format!("could not start {name}: {err}"))?;
        children.push((name, child));
    }
    Ok(())
}

/// Waits for Ctrl-C, or for a child to end on its own (a port already taken, a bad flag), which
/// ends the other too.
fn watch(children: &mut [(&'static str, Child)], stop: &AtomicBool) -> Fallible {
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        for (name, child) in children.iter_mut() {
            if let Some(status) = child.try_wait().map_err(|err| format!("{name}: {err}"))? {
                return Err(format!("{name} stopped ({status}); stopping the rest"));
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Asks the child's process group to stop as Ctrl-C would, and kills it if it has not within a
/// few seconds.
fn stop_group(name: &str, child: &mut Child) {
    let group = format!("-{}", child.id());
    let signal = |signal: &str| Command::new("kill").args([signal, "--", &group]).stderr(Stdio::null()).status();
    if matches!(child.try_wait(), Ok(Some(_))) {
        // Whatever it started may still run.
        let _ = signal("-KILL");
        return;
    }
    let _ = signal("-INT");
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            let _ = signal("-KILL");
            println!("xtask: {name} stopped");
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = signal("-KILL");
    let _ = child.wait();
    println!("xtask: {name} killed");
}
