//! What the file functions (`file`, `templatefile`, `fileexists`, …) may read: only regular
//! files inside the configuration, cached; and `path.module`.

use std::path::{Path, PathBuf};

use super::State;

impl State {
    /// Reads a file for `file()` / `templatefile()` (cached; bounded in size): `real` is the
    /// path [`State::confined`] allowed, `shown` how messages name it.
    pub(crate) fn read_file(&mut self, real: &Path, shown: &str) -> Result<String, String> {
        if let Some(r) = self.files.get(shown) {
            return r.clone();
        }
        let r = crate::hcl::source::read_text(real, shown).map_err(|e| format!("{e:#}"));
        self.files.insert(shown.to_string(), r.clone());
        r
    }

    /// Where a file function may read `written` (the path as the configuration writes it,
    /// relative to the root module): the input is untrusted, and what a file holds can end in a
    /// report (an image name, a policy, an error message), so only regular files inside the
    /// configuration are read — under the git work tree that holds the root module, or under
    /// the root module's directory when it is in none. Checked on the path with every symbolic
    /// link resolved, so a link out of the tree is outside; `/proc`, `/dev` and `/sys` are
    /// always outside (a repository at `/` would hold them); a FIFO or a device is never opened
    /// (a FIFO blocks until someone writes to it).
    ///
    /// `Ok(Some(path))`: a regular file inside, to read at `path`. `Ok(None)`: inside, but
    /// nothing is there (`fileexists` says false, `file` says it cannot read it). `Err(reason)`:
    /// outside; the value is unknown with that reason, whether or not something is there.
    pub(crate) fn confined(&self, written: &str) -> Result<Option<PathBuf>, String> {
        let outside = |why: &str| {
            format!(
                "`{written}` is outside the configuration{why}: pullpath reads files only inside \
                 the root module's directory tree (or the git repository holding it), and leaves \
                 the value unknown"
            )
        };
        let Some(root) = &self.confine else {
            return Err(outside(" (the root module's directory cannot be resolved)"));
        };
        // Lexically first: `..` out of the tree, or an absolute path elsewhere, is outside
        // whether or not something is there (its existence is not revealed either).
        let lexical = PathBuf::from(crate::hcl::paths::join_display(&self.cwd, written));
        if !lexical.starts_with(root) {
            return Err(outside(""));
        }
        let real = match std::fs::canonicalize(&lexical) {
            Ok(p) => p,
            // Nothing there, or not reachable: inside, but nothing to read.
            Err(_) => return Ok(None),
        };
        if !real.starts_with(root) || crate::hcl::paths::is_system_path(&real) {
            return Err(outside(" (a symbolic link leads out of it)"));
        }
        match std::fs::metadata(&real) {
            Ok(m) if m.is_file() => Ok(Some(real)),
            Ok(m) if m.is_dir() => Ok(None),
            Ok(_) => Err(outside(" (not a regular file: a FIFO, socket or device)")),
            Err(_) => Ok(None),
        }
    }

    /// `path.module`: the directory of a module instance, relative to the root module.
    pub(crate) fn path_module(&self, inst: usize) -> String {
        crate::hcl::paths::relative_to(&self.insts[inst].cfg.dir, &self.root_dir)
    }
}
