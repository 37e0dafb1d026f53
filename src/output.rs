//! Where a command's output goes: the report to standard output or to a file (written whole or
//! not at all, never onto an input), error messages to standard error in a form a CI log cannot
//! mistake for commands, and whether text output is coloured.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};
use clap::ValueEnum;

use crate::input::InputError;

/// `--color`: colour in text output (see [`crate::report::text::use_color`]).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Writes a report and returns the run's exit code. A reader that stops early
/// (`pullpath check plan.json | head`) is not an error, and it must not change the verdict:
/// under `set -o pipefail` the pipeline's status is the gate's.
pub fn write_report(path: Option<&Path>, bytes: &[u8], inputs: &[String], code: u8) -> Result<u8> {
    write_report_with(path, inputs, code, &mut |w| w.write_all(bytes))
}

/// A report written as it is rendered, straight into the output (buffered): a large report is
/// never held whole in memory. It is called once, and its I/O errors are the output's.
pub type Render<'a> = dyn FnMut(&mut dyn Write) -> std::io::Result<()> + 'a;

/// [`write_report`], the report written by `render` as it goes (see [`write_output_with`]).
pub fn write_report_with(
    path: Option<&Path>,
    inputs: &[String],
    code: u8,
    render: &mut Render<'_>,
) -> Result<u8> {
    let written = match path {
        Some(p) => refuse_input_as_output(p, inputs).and_then(|()| write_output_with(path, render)),
        None => write_output_with(path, render),
    };
    match written {
        Ok(()) => Ok(code),
        Err(e) if is_broken_pipe(&e) => Ok(code),
        Err(e) => Err(e),
    }
}

/// Writes the report to a file or standard output (buffered). A file is written whole or not
/// at all: into a new temporary file beside it, then renamed over it (a device or a named pipe
/// such as `/dev/null` is written to instead, never replaced). The rename replaces a
/// symbolic link at `path` itself and never writes through it (a committed
/// `comment.md -> ~/.ssh/authorized_keys` is replaced by the report, its target untouched),
/// and a failed write leaves neither a partial report nor the temporary file behind.
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    write_output_with(path, &mut |w| w.write_all(bytes))
}

/// [`write_output`], the output written by `render` through a buffer as it goes.
pub fn write_output_with(path: Option<&Path>, render: &mut Render<'_>) -> Result<()> {
    match path {
        Some(p) => {
            write_file_atomically(p, render).with_context(|| format!("writing {}", p.display()))
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::with_capacity(BUFFER, stdout.lock());
            render(&mut lock).context("writing to standard output")?;
            lock.flush().context("writing to standard output")
        }
    }
}

/// The output buffer: large enough that writing a report of many megabytes costs few system
/// calls.
const BUFFER: usize = 256 * 1024;

/// Writes what `render` writes to `file` through a buffer, flushed.
fn write_buffered(file: &std::fs::File, render: &mut Render<'_>) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(BUFFER, file);
    render(&mut w)?;
    w.flush()
}

/// See [`write_output`].
fn write_file_atomically(path: &Path, render: &mut Render<'_>) -> Result<()> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = path
        .file_name()
        .with_context(|| "the output path names no file".to_string())?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
        bail!("it is a directory");
    }
    // A device, pipe or socket (`-o /dev/null`, `-o /dev/stdout`, a named pipe) is written to,
    // never replaced: renaming a file over `/dev/null` would turn it into a regular file that
    // collects what every program throws away, and hands it back to every program that reads
    // it. Only a regular file (or none) is replaced atomically; a symbolic link is replaced
    // itself, never followed (above).
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        let t = meta.file_type();
        // `/dev/stdout` and `/dev/fd/N` are links the user named on purpose, and no repository
        // can plant a link there: written through, like the devices they lead to.
        let system_link = t.is_symlink() && crate::hcl::paths::is_system_path(path);
        if (!t.is_file() && !t.is_symlink()) || system_link {
            let f = std::fs::OpenOptions::new().write(true).open(path)?;
            return write_buffered(&f, render).map_err(Into::into);
        }
    }
    // The mode of a regular file that is replaced is kept (a report made readable to a web
    // server stays readable); a new file gets the default mode.
    let mode = std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.permissions());
    let mut attempt = 0;
    let (tmp, file) = loop {
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(
            ".pullpath-{}-{}.tmp",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let tmp = dir.join(tmp_name);
        // `create_new` never follows a symbolic link planted at the temporary name.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("creating a temporary file in {}", dir.display()))
            }
        }
    };
    let written = write_buffered(&file, render)
        .and_then(|()| file.sync_all())
        .and_then(|()| match &mode {
            Some(m) => file.set_permissions(m.clone()),
            None => Ok(()),
        });
    drop(file);
    let renamed = written.and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = renamed {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.into());
    }
    Ok(())
}

/// Refuses an output file that is one of the inputs, or a configuration file of an input
/// directory: the report must never replace what it was made from.
fn refuse_input_as_output(output: &Path, inputs: &[String]) -> Result<()> {
    let same_file = |a: &Path, b: &Path| match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => same_inode(&x, &y),
        _ => false,
    };
    let out_dir = match output.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let out_name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for input in inputs.iter().filter(|i| i.as_str() != "-") {
        let input_path = Path::new(input);
        if same_file(output, input_path) {
            bail!(
                "--output {}: that is the input {input}; write the report to another file",
                output.display()
            );
        }
        let is_config = [
            ".tf",
            ".tofu",
            ".tf.json",
            ".tofu.json",
            ".tfvars",
            ".tfvars.json",
        ]
        .iter()
        .any(|ext| out_name.ends_with(ext));
        if is_config && input_path.is_dir() && same_file(out_dir, input_path) {
            bail!(
                "--output {}: a configuration file of the input directory {input}; write the \
                 report to another file",
                output.display()
            );
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_inode(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_inode(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    false
}

/// Whether an error comes from writing to a reader that went away (`| head`): not an error
/// of the run.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints input errors; returns true when there were any.
pub fn report_input_errors(errors: &[InputError]) -> bool {
    for e in errors {
        eprintln!(
            "pullpath: error: {}",
            safe_for_logs(&format!("{:#}", e.error))
        );
    }
    !errors.is_empty()
}

/// An error message made safe for a CI log: messages quote the input (a line of HCL, a JSON
/// key, a program's error output), and the log is read by a machine too. Control characters
/// other than newline and tab are shown escaped (no ANSI sequences, no carriage returns that
/// overwrite the line), and no line can start with `::`, which GitHub Actions executes as a
/// workflow command wherever it stands in a log, after any indentation.
pub fn safe_for_logs(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for (n, line) in message.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        if line.trim_start().starts_with("::") {
            out.push_str("> ");
        }
        // `##[error]…`, the runner's older command form, is escaped as the reports do.
        let line = line.replace("##[", "##\\[");
        for c in line.chars() {
            let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if (c.is_control() && c != '\t') || bidi {
                out.push_str(&c.escape_unicode().to_string());
            } else {
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_cannot_issue_workflow_commands() {
        let m = safe_for_logs("main.tf:3:1: bad\n  ::error::pwned\n::add-mask::x\u{1b}[31m\r");
        assert_eq!(
            m,
            "main.tf:3:1: bad\n>   ::error::pwned\n> ::add-mask::x\\u{1b}[31m\\u{d}"
        );
        assert!(m.lines().all(|l| !l.trim_start().starts_with("::")));
    }
}
