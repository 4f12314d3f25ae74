//! Running commands with the project's tool paths, and reporting each step.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub type Fallible<T = ()> = Result<T, String>;

/// Where things are: the workspace, the tools xtask owns, cargo's bin folder.
#[derive(Debug)]
pub struct Env {
    pub root: PathBuf,
    /// `target/xtask-tools`: npm packages (binaryen's wasm-opt) installed by setup.
    pub tools: PathBuf,
    path: OsString,
}

impl Env {
    pub fn discover() -> Env {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf();
        let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
        let tools = target.join("xtask-tools");
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
            .unwrap_or_else(|| PathBuf::from(".cargo"));
        let cargo_bin = cargo_home.join("bin");
        // wasm-opt from npm first (Debian's is too old for today's rustc), then cargo's tools.
        let mut dirs = vec![tools.join("node_modules/.bin"), cargo_bin];
        dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        let path = std::env::join_paths(dirs).expect("PATH entries without separators");
        Env { root, tools, path }
    }

    /// A command run in the workspace root with the project's PATH.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", &self.path);
        command
    }

    /// `program args…` in the workspace root with the project's PATH.
    pub fn tool<I, S>(&self, program: impl AsRef<OsStr>, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = self.command(program);
        command.args(args);
        command
    }

    pub fn cargo<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.tool(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()), args)
    }

    pub fn trunk<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.tool("trunk", args)
    }

    /// Runs a command to completion with inherited output, timing it.
    pub fn step(&self, name: &str, mut command: Command) -> Fallible {
        println!("xtask: ▶ {name}");
        let started = Instant::now();
        let status = command.status().map_err(|err| format!("{name}: could not start {command:?}: {err}"))?;
        if status.success() {
            println!("xtask: ✔ {name} ({:.1?})", started.elapsed());
            Ok(())
        } else {
            Err(format!("{name} failed ({status})"))
        }
    }

    /// The trimmed standard output of a command, or `None` when it cannot run or fails.
    pub fn output(&self, mut command: Command) -> Option<String> {
        let output = command.stderr(Stdio::null()).output().ok()?;
        output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }
}
