//! What every hostile case needs: the binary in an isolated environment, and a guard against
//! hangs (a guard, not a performance test).

#![allow(dead_code)]

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The date `ignore` expiries are compared with, so that the fixtures do not age.
pub const TODAY: &str = "2026-01-01";

/// The limit of [`run_within`] for cases that must not stall: far above any honest run.
pub const STALL_LIMIT: Duration = Duration::from_secs(60);

/// The binary with the environment of every run: the repository as the current directory, no
/// terraform on PATH, none of the settings a developer's environment may hold, a fixed date.
pub fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pullpath"));
    c.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", "/nonexistent")
        .env_remove("PULLPATH_TERRAFORM_BIN")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("PULLPATH_CONFIG")
        .env_remove("PULLPATH_FAIL_ON")
        .env_remove("PULLPATH_UNKNOWN")
        .env_remove("PULLPATH_MODE")
        .env_remove("PULLPATH_FORMAT")
        .env_remove("PULLPATH_REGION")
        .env_remove("PULLPATH_SOURCE")
        .env("PULLPATH_TODAY", TODAY);
    c
}

/// Runs the binary with `args` in `dir` as the current directory.
pub fn command_in(dir: &Path, args: &[&str]) -> Command {
    let mut c = command(args);
    c.current_dir(dir);
    c
}

pub fn pullpath(args: &[&str]) -> Output {
    command(args)
        .stdin(Stdio::null())
        .output()
        .expect("run pullpath")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs a command, killing it after `limit`. `None` when it had to be killed.
pub fn run_within(mut cmd: Command, limit: Duration) -> Option<Output> {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pullpath");
    // Read both pipes on their own threads so that a large report cannot block the child.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(Output {
                status,
                stdout: out_reader.join().expect("stdout reader"),
                stderr: err_reader.join().expect("stderr reader"),
            });
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A fresh temporary directory under the target directory (removed by the caller's guard).
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        TempDir::under(Path::new(env!("CARGO_TARGET_TMPDIR")), name)
    }

    /// A temporary directory outside the repository's git work tree (under the system's
    /// temporary directory), for cases where the work tree would widen what may be read.
    pub fn outside_git(name: &str) -> TempDir {
        TempDir::under(&std::env::temp_dir(), name)
    }

    fn under(parent: &Path, name: &str) -> TempDir {
        let base = parent.join(format!(
            "hostile-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).expect("create temporary directory");
        TempDir(base)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies a directory tree of regular files (a fixture module) into `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create directory");
    for e in std::fs::read_dir(from).expect("read fixture directory") {
        let e = e.expect("read fixture entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy fixture file");
        }
    }
}

/// The repository path of a fixture.
pub fn fixture(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}
