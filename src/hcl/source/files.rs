//! Which files of a module directory are configuration: names Terraform and OpenTofu read
//! (`.tofu` shadowing `.tf`, override files apart), names that are not UTF-8, and entries that
//! cannot be read (symbolic links out of the configuration, dangling or looping links, FIFOs
//! and devices).

use std::collections::HashMap;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::hcl::paths::join_display;

/// The Terraform files of a directory, by kind.
#[derive(Debug, Default)]
pub(crate) struct DirFiles {
    /// Base configuration files, in the order Terraform reads them (lexical by name).
    pub base: Vec<String>,
    /// `override.tf`, `*_override.tf` (and JSON / `.tofu` variants).
    pub overrides: Vec<String>,
    /// The names on disk of the files whose name is not valid UTF-8, by their shown name
    /// ([`shown_name`]): Terraform reads them like any other file.
    pub raw_names: HashMap<String, std::ffi::OsString>,
}

impl DirFiles {
    pub fn is_empty(&self) -> bool {
        self.base.is_empty() && self.overrides.is_empty()
    }
}

/// True for names Terraform or OpenTofu reads as configuration.
pub(crate) fn is_config_name(name: &str) -> bool {
    config_stem(name).is_some()
}

/// The name without its configuration extension, and whether the file is a `.tofu` one.
fn config_stem(name: &str) -> Option<(&str, bool)> {
    if name.starts_with('.') {
        return None;
    }
    for (ext, tofu) in [
        (".tf.json", false),
        (".tofu.json", true),
        (".tf", false),
        (".tofu", true),
    ] {
        if let Some(stem) = name.strip_suffix(ext) {
            if !stem.is_empty() {
                return Some((stem, tofu));
            }
        }
    }
    None
}

/// Lists a directory's configuration files. A `x.tofu` file shadows `x.tf` (and `x.tofu.json`
/// shadows `x.tf.json`), as OpenTofu does. A configuration file that cannot be opened (a
/// dangling or looping symbolic link) is an error, as in Terraform, unless it is shadowed; the
/// names Terraform ignores ([`is_config_name`]) are not looked at.
pub(crate) fn list_files(dir: &Path, shown: &str) -> Result<DirFiles> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("{shown}: cannot read"))?;
    let mut names = Vec::new();
    let mut raw_names = HashMap::new();
    let mut unreadable: HashMap<String, String> = HashMap::new();
    for e in entries {
        let e = e.with_context(|| format!("{shown}: cannot read"))?;
        let os_name = e.file_name();
        let name = shown_name(&os_name);
        if !is_config_name(&name) {
            continue;
        }
        if os_name.to_str() != Some(name.as_str()) {
            if names.contains(&name) || raw_names.contains_key(&name) {
                bail!(
                    "{}: two files of this directory are shown under this name (one of them is \
                     not valid UTF-8); rename one",
                    join_display(shown, &name)
                );
            }
            raw_names.insert(name.clone(), os_name);
        }
        check_config_entry(&e.path(), &join_display(shown, &name))?;
        // Follow symlinks: a linked shared file is part of the module.
        match std::fs::metadata(e.path()) {
            // Terraform skips directories named like configuration files.
            Ok(m) if m.is_dir() => continue,
            // A named pipe would block the run, a device would be read without end: Terraform
            // would try to read either as configuration, so it is an error, never skipped.
            Ok(m) if !m.is_file() => bail!(
                "{}: not a regular file (a named pipe, socket or device) named like a \
                 configuration file; Terraform would read it as configuration: remove or rename it",
                join_display(shown, &name)
            ),
            Ok(_) => {}
            Err(err) => {
                let why = unreadable_entry(&e.path(), &join_display(shown, &name), &err);
                unreadable.insert(name.clone(), why);
            }
        }
        names.push(name);
    }
    let mut files = select_files(names);
    files.raw_names = raw_names;
    if let Some(why) = files
        .base
        .iter()
        .chain(&files.overrides)
        .find_map(|n| unreadable.get(n))
    {
        bail!("{why}");
    }
    Ok(files)
}

/// Refuses a configuration or variables file that is a symbolic link out of the configuration:
/// its target lies outside the git work tree holding its directory (or, outside any work tree,
/// outside its directory), or under `/proc`, `/dev` or `/sys`. Such a file is never read, so
/// that a link committed in a pull request (`x.tf -> /proc/self/environ`, `-> ~/.aws/credentials`)
/// cannot bring a secret into a syntax error or a report. A dangling or looping link is left
/// to the reader, which names it.
pub(crate) fn check_config_entry(path: &Path, shown: &str) -> Result<()> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(());
    }
    let Ok(real) = std::fs::canonicalize(path) else {
        return Ok(());
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Some(root) = crate::hcl::paths::confinement_root(dir) else {
        return Ok(());
    };
    if crate::hcl::paths::is_system_path(&real) || !real.starts_with(&root) {
        bail!(
            "{shown}: a symbolic link out of the configuration (to {}); pullpath reads \
             configuration files only inside the git work tree holding the module (or the \
             module's directory), and does not read this one",
            shown_name(real.as_os_str())
        );
    }
    Ok(())
}

/// `ELOOP`: too many levels of symbolic links.
#[cfg(any(target_os = "linux", target_os = "android"))]
const ELOOP: i32 = 40;
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
const ELOOP: i32 = 62;

/// The message for a configuration file whose metadata cannot be read: the OS reason, and
/// where the file is a symbolic link, what is wrong with it.
fn unreadable_entry(path: &Path, shown: &str, err: &std::io::Error) -> String {
    let Ok(target) = std::fs::read_link(path) else {
        return format!("{shown}: cannot read: {err}");
    };
    let target = target.to_string_lossy();
    #[cfg(unix)]
    let looping = err.raw_os_error() == Some(ELOOP);
    #[cfg(not(unix))]
    let looping = false;
    let what = if looping {
        format!(
            "a symbolic link to {target} that loops, or that chains through more links than the \
             system follows"
        )
    } else if err.kind() == std::io::ErrorKind::NotFound {
        format!("a dangling symbolic link: its target {target} does not exist")
    } else {
        format!("a symbolic link to {target}")
    };
    format!("{shown}: cannot read: {err} ({what})")
}

/// A file name as shown: as it is when it is valid UTF-8; otherwise each byte that is not part
/// of a UTF-8 character is shown as `\\xNN`, so that the name stays readable and two such
/// names stay apart.
pub(crate) fn shown_name(name: &std::ffi::OsStr) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    let mut out = String::new();
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// Applies shadowing and sorts, given the candidate names of one directory.
fn select_files(mut names: Vec<String>) -> DirFiles {
    names.sort();
    let tofu: std::collections::HashSet<String> = names
        .iter()
        .filter_map(|n| {
            let (stem, is_tofu) = config_stem(n)?;
            let json = n.ends_with(".json");
            is_tofu.then(|| format!("{stem}{}", if json { ".tf.json" } else { ".tf" }))
        })
        .collect();
    let mut out = DirFiles::default();
    for n in names {
        if tofu.contains(&n) {
            continue;
        }
        let Some((stem, _)) = config_stem(&n) else {
            continue;
        };
        if stem == "override" || stem.ends_with("_override") {
            out.overrides.push(n);
        } else {
            out.base.push(n);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tofu_shadows_tf_and_overrides_are_apart() {
        let f = select_files(vec![
            "main.tf".into(),
            "main.tofu".into(),
            "vars.tf".into(),
            "override.tf".into(),
            "net_override.tf.json".into(),
            "x.tf.json".into(),
            ".hidden.tf".into(),
            "README.md".into(),
        ]);
        assert_eq!(f.base, vec!["main.tofu", "vars.tf", "x.tf.json"]);
        assert_eq!(f.overrides, vec!["net_override.tf.json", "override.tf"]);
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_shown_with_their_bytes_escaped() {
        use std::os::unix::ffi::OsStrExt as _;
        let n = std::ffi::OsStr::from_bytes(b"a\xff\xc3\xa9b\xfe.tf");
        assert_eq!(shown_name(n), "a\\xFF\u{e9}b\\xFE.tf");
        assert!(is_config_name(&shown_name(n)));
    }
}
