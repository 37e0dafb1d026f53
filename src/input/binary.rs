//! Binary plan files (`terraform plan -out FILE`): zip archives that only Terraform/OpenTofu
//! can read. pullpath runs `<bin> show -json FILE` (never through a shell) and reads its output.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// The environment variable naming the program, after `--terraform-bin`.
pub const BIN_ENV: &str = "PULLPATH_TERRAFORM_BIN";

/// True for a zip archive (a binary plan file).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Runs `<bin> show -json FILE` and returns its standard output.
pub fn show_json(file: &Path, explicit: Option<&Path>) -> Result<Vec<u8>> {
    let shown = file.display().to_string().replace('\\', "/");
    let Some(bin) = find_program(explicit) else {
        bail!(
            "a binary plan file; reading it needs terraform or tofu, and neither was found \
             (looked at --terraform-bin, ${BIN_ENV}, then PATH). Convert it by hand and check \
             the JSON: `terraform show -json {shown} > plan.json && pullpath check plan.json`"
        );
    };
    let output = Command::new(&bin)
        .arg("show")
        .arg("-json")
        .arg(file)
        .output()
        .with_context(|| format!("could not run `{} show -json {shown}`", bin.display()))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(5)
            .collect();
        bail!(
            "`{} show -json {shown}` failed ({}): {}",
            bin.display(),
            output.status,
            if first.is_empty() {
                "no error output".to_string()
            } else {
                first.join(" / ")
            }
        );
    }
    Ok(output.stdout)
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
