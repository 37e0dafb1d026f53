//! Paths as shown in messages and reports: relative to how the user named the directory, with
//! `/` separators, `..` resolved lexically (so that a module reached as `../modules/x` from two
//! roots has one name).

/// The directory that reading is confined to for `dir` (canonical): the nearest directory at
/// or above it that holds `.git` (a directory, or a file in a linked work tree or a
/// submodule), else `dir` itself. `None` when `dir` cannot be resolved.
pub(crate) fn confinement_root(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    let dir = std::fs::canonicalize(dir).ok()?;
    let repo = dir
        .ancestors()
        .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
        .map(std::path::Path::to_path_buf);
    Some(repo.unwrap_or(dir))
}

/// Whether a resolved path lies under `/proc`, `/dev` or `/sys`, which are never read (the
/// process's environment, devices that never end).
pub(crate) fn is_system_path(real: &std::path::Path) -> bool {
    ["/proc", "/dev", "/sys"]
        .iter()
        .any(|d| real.starts_with(d))
}

/// Joins `rel` to the directory `base` and normalizes the result.
pub(crate) fn join_display(base: &str, rel: &str) -> String {
    let rel = rel.replace('\\', "/");
    if rel.starts_with('/') || base.is_empty() || base == "." {
        return normalize(&rel);
    }
    normalize(&format!("{base}/{rel}"))
}

/// Resolves `.` and `..` components lexically; `.` for an empty result.
pub(crate) fn normalize(p: &str) -> String {
    let p = p.replace('\\', "/");
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if absolute => {}
                _ => parts.push(".."),
            },
            c => parts.push(c),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// The path of `path` relative to the directory `base`, both shown paths (for `path.module`,
/// which Terraform gives relative to the root module).
pub(crate) fn relative_to(path: &str, base: &str) -> String {
    if path == base {
        return ".".to_string();
    }
    if base == "." && !path.starts_with('/') && !path.starts_with("..") {
        return path.to_string();
    }
    match path.strip_prefix(base).and_then(|r| r.strip_prefix('/')) {
        Some(rest) => rest.to_string(),
        None => {
            // Not below the root (`../modules/x`): count the steps up.
            let b: Vec<&str> = base.split('/').filter(|c| *c != ".").collect();
            let p: Vec<&str> = path.split('/').filter(|c| *c != ".").collect();
            let common = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
            let mut out: Vec<&str> = vec![".."; b.len() - common];
            out.extend(&p[common..]);
            if out.is_empty() {
                ".".to_string()
            } else {
                out.join("/")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_normalizes() {
        assert_eq!(join_display(".", "main.tf"), "main.tf");
        assert_eq!(
            join_display("infra/prod", "../modules/vpc"),
            "infra/modules/vpc"
        );
        assert_eq!(join_display("a", "./b/"), "a/b");
        assert_eq!(join_display("../x", "../../y"), "../../y");
        assert_eq!(join_display("/abs/root", "../m"), "/abs/m");
        assert_eq!(normalize("./"), ".");
    }

    #[test]
    fn relative_paths_for_path_module() {
        assert_eq!(relative_to("root/modules/vpc", "root"), "modules/vpc");
        assert_eq!(relative_to("root", "root"), ".");
        assert_eq!(
            relative_to("infra/modules/vpc", "infra/prod"),
            "../modules/vpc"
        );
        assert_eq!(relative_to("modules/vpc", "."), "modules/vpc");
    }
}
