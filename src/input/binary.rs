//! Binary plan files (`terraform plan -out FILE`): zip archives that only Terraform/OpenTofu
//! can read. pullpath runs `<bin> show -json -no-color FILE` (never through a shell), with a
//! timeout, and reads its output.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// The environment variable naming the program, after `--terraform-bin`.
pub const BIN_ENV: &str = "PULLPATH_TERRAFORM_BIN";

/// True for a zip archive (a binary plan file).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// How long `show -json` may take before it is stopped, unless `$PULLPATH_SHOW_TIMEOUT` (seconds)
/// says otherwise: reading a plan loads its providers' schemas, which takes seconds, not minutes.
pub const SHOW_TIMEOUT_SECS: u64 = 300;

/// The environment variable that sets the timeout of `show -json`, in seconds.
pub const SHOW_TIMEOUT_ENV: &str = "PULLPATH_SHOW_TIMEOUT";

/// At most this much of the program's standard error is kept for the message.
const MAX_STDERR_BYTES: u64 = 64 * 1024;

/// Runs `<bin> show -json -no-color FILE` (never through a shell) and returns its standard
/// output, at most `max_bytes` of it.
pub fn show_json(file: &Path, explicit: Option<&Path>, max_bytes: u64) -> Result<Vec<u8>> {
    let shown = file.display().to_string();
    let Some(bin) = find_program(explicit) else {
        bail!(
            "a binary plan file; reading it needs terraform or tofu, and neither was found \
             (looked at --terraform-bin, ${BIN_ENV}, then PATH). Convert it by hand and check \
             the JSON: `terraform show -json {shown} > plan.json && pullpath check plan.json`"
        );
    };
    let timeout = show_timeout()?;
    let arg = file_argument(file);
    let command_line = format!("{} show -json -no-color {}", bin.display(), arg.display());
    let mut child = Command::new(&bin)
        .arg("show")
        .arg("-json")
        .arg("-no-color")
        .arg(&arg)
        // No update check over the network, no prompts, no colour in messages.
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_INPUT", "0")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not run `{command_line}`"))?;
    let (Some(out), Some(err)) = (child.stdout.take(), child.stderr.take()) else {
        bail!("could not run `{command_line}`: its output could not be read");
    };
    // Both pipes are drained on their own threads so that neither can fill up and block it.
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let r = out.take(max_bytes.saturating_add(1)).read_to_end(&mut v);
        (v, r)
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let mut err = err;
        let _ = (&mut err).take(MAX_STDERR_BYTES).read_to_end(&mut v);
        // The rest is read and dropped, so that a chatty program does not block on a full pipe.
        let _ = std::io::copy(&mut err, &mut std::io::sink());
        v
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child
            .try_wait()
            .with_context(|| format!("waiting for `{command_line}`"))?
        {
            break Some(status);
        }
        if started.elapsed() >= timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let Some(status) = status else {
        // The readers are not waited for: a process the program started may still hold the
        // pipes open. They end with pullpath.
        bail!(
            "`{command_line}` did not finish within {} s and was stopped (${SHOW_TIMEOUT_ENV} \
             sets the limit in seconds)",
            timeout.as_secs(),
        );
    };
    let (stdout, read) = out_reader
        .join()
        .map_err(|_| anyhow::anyhow!("reading the output of `{command_line}` failed"))?;
    let stderr = err_reader.join().unwrap_or_default();
    read.with_context(|| format!("reading the output of `{command_line}`"))?;
    if stdout.len() as u64 > max_bytes {
        bail!(
            "the output of `{command_line}` is larger than {} (--max-input-size, \
             $PULLPATH_MAX_INPUT_SIZE)",
            super::show_size(max_bytes)
        );
    }
    if !status.success() {
        bail!(
            "`{command_line}` failed ({status}){}",
            if stderr.iter().all(u8::is_ascii_whitespace) {
                ": no error output".to_string()
            } else {
                error_output(&stderr)
            }
        );
    }
    Ok(stdout)
}

/// The plan file as an argument: a relative path that starts with `-` would be read as a flag
/// (`-no-color` is a plan file here, not an option), so it is given as `./-no-color`.
fn file_argument(file: &Path) -> PathBuf {
    if file.is_relative() && file.as_os_str().as_encoded_bytes().starts_with(b"-") {
        Path::new(".").join(file)
    } else {
        file.to_path_buf()
    }
}

/// `$PULLPATH_SHOW_TIMEOUT`, else [`SHOW_TIMEOUT_SECS`].
fn show_timeout() -> Result<Duration> {
    match std::env::var(SHOW_TIMEOUT_ENV) {
        Ok(v) if !v.trim().is_empty() => {
            let secs: u64 = v.trim().parse().ok().filter(|&n| n > 0).with_context(|| {
                format!("${SHOW_TIMEOUT_ENV}={v:?}: expected a whole number of seconds above 0")
            })?;
            Ok(Duration::from_secs(secs))
        }
        _ => Ok(Duration::from_secs(SHOW_TIMEOUT_SECS)),
    }
}

/// The program's whole error output, for the message: colour codes removed (older versions
/// colour even with `-no-color` in some warnings), other control characters shown escaped,
/// every line indented under the message. The real error often follows pages of warnings
/// (CLI configuration, deprecated settings), so nothing is cut but the size bound.
fn error_output(stderr: &[u8]) -> String {
    let text = strip_ansi(&String::from_utf8_lossy(stderr));
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.trim_end())
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.chars()
                .map(|c| {
                    if c.is_control() && c != '\t' {
                        c.escape_unicode().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        })
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    let mut out = String::from(":");
    for l in lines {
        out.push_str("\n    ");
        out.push_str(&l);
    }
    if stderr.len() as u64 >= MAX_STDERR_BYTES {
        out.push_str("\n    (error output cut at 64 KiB)");
    }
    out
}

/// Removes ANSI escape sequences (CSI `ESC [ … final` and OSC `ESC ] … BEL/ST`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('[') => {
                chars.next();
                // Parameters and intermediates, then one final byte in @..~.
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            Some(']') => {
                chars.next();
                while let Some(c) = chars.next() {
                    if c == '\u{7}' {
                        break;
                    }
                    if c == '\u{1b}' && chars.peek() == Some(&'\\') {
                        chars.next();
                        break;
                    }
                }
            }
            _ => {
                chars.next();
            }
        }
    }
    out
}

/// `--terraform-bin`, else `$PULLPATH_TERRAFORM_BIN`, else `terraform`, else `tofu` on PATH.
pub fn find_program(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os(BIN_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    ["terraform", "tofu"].iter().find_map(|name| on_path(name))
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        let candidate = dir.join(name);
        if is_executable(&candidate) {
            return Some(candidate);
        }
        let exe = dir.join(format!("{name}.exe"));
        is_executable(&exe).then_some(exe)
    })
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_named_like_a_flag_is_given_as_a_path() {
        assert_eq!(
            file_argument(Path::new("-no-color")),
            Path::new("./-no-color")
        );
        assert_eq!(file_argument(Path::new("plan.bin")), Path::new("plan.bin"));
        assert_eq!(file_argument(Path::new("/tmp/-x")), Path::new("/tmp/-x"));
    }

    #[test]
    fn error_output_keeps_every_line_without_colour() {
        let err = b"\x1b[33mWarning: CLI config\x1b[0m\n\nfoo\n\x1b]8;;http://x\x07link\n\x1b[31mError: bad plan\x01\x1b[0m\n";
        let shown = error_output(err);
        assert_eq!(
            shown,
            ":\n    Warning: CLI config\n    foo\n    link\n    Error: bad plan\\u{1}"
        );
    }
}
