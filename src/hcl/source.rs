//! Reads one module directory: which files count, parsing them (HCL native syntax with source
//! positions, or Terraform's JSON syntax), inline suppressions, override files, and picking the
//! module's declarations out of the blocks.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use hcl::edit::expr::Expression;
use hcl::edit::structure::Structure;
use hcl::edit::Span;

use super::config::{
    Attr, Block, Body, Local, MemberKind, ModuleCall, ModuleConfig, Output, ProviderCfg,
    ResourceCfg, Variable,
};
use super::json;
use super::paths::join_display;
use crate::model::{InlineSuppression, Location};

/// Files larger than this are refused (a configuration file is never this large; a mistaken
/// binary or generated dump would only waste memory).
pub(crate) const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

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
    let Some(root) = super::paths::confinement_root(dir) else {
        return Ok(());
    };
    if super::paths::is_system_path(&real) || !real.starts_with(&root) {
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
pub(crate) fn select_files(mut names: Vec<String>) -> DirFiles {
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

/// Reads a file as UTF-8 text (a byte-order mark is dropped).
pub(crate) fn read_text(path: &Path, shown: &str) -> Result<String> {
    let bytes = read_bounded(path).with_context(|| format!("{shown}: cannot read"))?;
    decode_text(bytes, shown)
}

/// Reads at most [`MAX_FILE_BYTES`] of a file; a larger file is an error. The size is counted
/// while reading, not taken from the metadata, which says 0 for devices and pipes.
pub(crate) fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        bail!("the file is larger than the {MAX_FILE_BYTES} bytes pullpath reads");
    }
    Ok(bytes)
}

/// The text of an HCL file: UTF-8, as Terraform and OpenTofu require (a UTF-8 byte-order mark
/// is dropped). Anything else is refused with the position of the first bad byte; a UTF-16
/// file (as PowerShell's `>` writes) is named as such.
pub(crate) fn decode_text(bytes: Vec<u8>, shown: &str) -> Result<String> {
    for (bom, encoding) in [(&[0xFF, 0xFE], "UTF-16LE"), (&[0xFE, 0xFF], "UTF-16BE")] {
        if bytes.starts_with(bom) {
            bail!(
                "{shown}:1:1: the file is not valid UTF-8: it is {encoding} text (it starts with a \
                 {encoding} byte-order mark); save it as UTF-8"
            );
        }
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, col) = line_col_bytes(e.as_bytes(), offset);
        anyhow!("{shown}:{line}:{col}: the file is not valid UTF-8 (at byte {offset}); save it as UTF-8")
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

fn line_col_bytes(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (line, offset - start + 1)
}

/// Line starts of a file, for turning byte offsets into line and column.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(src: &str) -> Self {
        let mut starts = vec![0];
        for (i, b) in src.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn locate(&self, src: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(src.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts[line];
        let col = src
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The text of a 0-based line, without its newline.
    pub fn line<'s>(&self, src: &'s str, i: usize) -> &'s str {
        let start = self.starts[i];
        let end = self.starts.get(i + 1).map_or(src.len(), |&e| e);
        src.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// A parsed file's context: its shown path, text and line index.
pub(crate) struct FileCtx<'s> {
    pub shown: String,
    pub src: &'s str,
    pub lines: LineIndex,
}

impl FileCtx<'_> {
    pub fn loc(&self, offset: usize) -> Location {
        let (line, column) = self.lines.locate(self.src, offset);
        Location {
            file: self.shown.clone(),
            line,
            column,
        }
    }

    fn loc_of(&self, span: Option<std::ops::Range<usize>>) -> Location {
        self.loc(span.map_or(0, |s| s.start))
    }
}

/// Parses one file of HCL native syntax into blocks. A top-level attribute is an error, as in
/// Terraform (a configuration file holds only blocks).
pub(crate) fn parse_hcl_file(src: &str, shown: &str) -> Result<Vec<Block>> {
    let (body, rewritten) = super::syntax::parse_config_body(src).map_err(|e| {
        anyhow!(
            "{shown}:{}:{}: syntax error: {}",
            e.line,
            e.column,
            e.message
        )
    })?;
    // Where a repeated object key was quoted, the spans refer to that text.
    let src = rewritten.as_deref().unwrap_or(src);
    let f = FileCtx {
        shown: shown.to_string(),
        src,
        lines: LineIndex::new(src),
    };
    let supp = Suppressions::scan(&f);
    let mut blocks = Vec::new();
    for s in body {
        let b = match s {
            Structure::Block(b) => b,
            Structure::Attribute(a) => {
                let loc = f.loc_of(a.span());
                bail!(
                    "{}:{}:{}: unexpected attribute `{}` at the top level; expected a block ({})",
                    loc.file,
                    loc.line,
                    loc.column,
                    a.key.value().as_str(),
                    block_type_list()
                );
            }
        };
        let span = b.span();
        let mut block = convert_block(b, &f);
        if matches!(block.kind.as_str(), "resource" | "data") {
            if let Some(span) = span {
                block.suppressions = supp.for_block(&f, span.start, span.end);
            }
        }
        blocks.push(block);
    }
    Ok(blocks)
}

/// The block types a Terraform or OpenTofu configuration file may hold at its top level, with
/// the names of their labels (Terraform's `configFileSchema`; `ephemeral` since Terraform 1.10
/// and OpenTofu 1.11, `action` since Terraform 1.14).
pub(crate) const BLOCK_TYPES: &[(&str, &[&str])] = &[
    ("terraform", &[]),
    ("provider", &["name"]),
    ("variable", &["name"]),
    ("locals", &[]),
    ("output", &["name"]),
    ("module", &["name"]),
    ("resource", &["type", "name"]),
    ("data", &["type", "name"]),
    ("ephemeral", &["type", "name"]),
    ("action", &["type", "name"]),
    ("moved", &[]),
    ("import", &[]),
    ("removed", &[]),
    ("check", &["name"]),
];

/// "terraform, provider, …, check", for messages.
pub(crate) fn block_type_list() -> String {
    let names: Vec<&str> = BLOCK_TYPES.iter().map(|(n, _)| *n).collect();
    names.join(", ")
}

/// Checks a top-level block as Terraform does before reading it: a known block type, the
/// number of labels it takes, and labels that are valid names. Terraform refuses the
/// configuration otherwise, and pullpath would skip the block without a word.
pub(crate) fn check_top_level(b: &Block) -> Result<()> {
    let at = format!("{}:{}:{}", b.loc.file, b.loc.line, b.loc.column);
    if b.kind == "required_providers" {
        bail!("{at}: a `required_providers` block must be inside the `terraform` block");
    }
    let Some((_, labels)) = BLOCK_TYPES.iter().find(|(n, _)| *n == b.kind) else {
        let hint = BLOCK_TYPES
            .iter()
            .map(|(n, _)| (edit_distance(n, &b.kind), *n))
            .filter(|(d, _)| *d <= 2)
            .min()
            .map(|(_, n)| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        bail!(
            "{at}: unknown block type `{}`{hint}; expected one of {}",
            b.kind,
            block_type_list()
        );
    };
    if b.labels.len() != labels.len() {
        let wanted = match labels.len() {
            0 => "no labels".to_string(),
            1 => format!("1 label ({})", labels[0]),
            n => format!("{n} labels ({})", labels.join(" and ")),
        };
        bail!(
            "{at}: a `{}` block takes {wanted}; found {}",
            b.kind,
            match b.labels.len() {
                0 => "none".to_string(),
                n => format!("{n} ({})", quoted_list(&b.labels)),
            }
        );
    }
    for (label, what) in b.labels.iter().zip(labels.iter()) {
        if !is_identifier(label) {
            bail!(
                "{at}: {label:?} is not a valid {} {what}: a name starts with a letter or `_` and \
                 holds only letters, digits, `_` and `-`",
                b.kind
            );
        }
    }
    Ok(())
}

fn quoted_list(labels: &[String]) -> String {
    let q: Vec<String> = labels.iter().map(|l| format!("{l:?}")).collect();
    q.join(", ")
}

/// A valid Terraform name: an HCL identifier (a letter or `_`, then letters, digits, `_`, `-`,
/// with Unicode's definition of a letter, as in Terraform).
pub(crate) fn is_identifier(s: &str) -> bool {
    hcl::edit::Ident::try_new(s).is_ok()
}

/// Levenshtein distance, for "did you mean" hints on short names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn convert_block(b: hcl::edit::structure::Block, f: &FileCtx<'_>) -> Block {
    let loc = f.loc_of(b.span());
    let kind = b.ident.value().as_str().to_string();
    let labels = b.labels.iter().map(|l| l.as_str().to_string()).collect();
    Block {
        kind,
        labels,
        body: convert_body(b.body, f),
        loc,
        suppressions: Vec::new(),
    }
}

fn convert_body(body: hcl::edit::structure::Body, f: &FileCtx<'_>) -> Body {
    let mut out = Body::default();
    for s in body {
        match s {
            Structure::Attribute(a) => {
                let loc = f.loc_of(a.span());
                out.attrs.push(Attr {
                    name: a.key.value().as_str().to_string(),
                    expr: a.value,
                    loc,
                });
            }
            Structure::Block(b) => out.blocks.push(convert_block(b, f)),
        }
    }
    out
}

/// The `pullpath:ignore` comments of a file.
struct Suppressions {
    /// (0-based line, suppression), in line order.
    found: Vec<(usize, InlineSuppression)>,
    /// Lines holding only a comment.
    comment_only: Vec<bool>,
}

impl Suppressions {
    fn scan(f: &FileCtx<'_>) -> Self {
        let n = f.lines.line_count();
        let mut found = Vec::new();
        let mut comment_only = vec![false; n];
        for (i, slot) in comment_only.iter_mut().enumerate() {
            let text = f.lines.line(f.src, i);
            let t = text.trim_start();
            *slot = t.starts_with('#') || t.starts_with("//");
            if let Some((col, s)) = parse_suppression(text) {
                found.push((
                    i,
                    InlineSuppression {
                        codes: s.0,
                        reason: s.1,
                        location: Location {
                            file: f.shown.clone(),
                            line: i as u32 + 1,
                            column: col as u32,
                        },
                    },
                ));
            }
        }
        Suppressions {
            found,
            comment_only,
        }
    }

    /// Suppressions inside the block or on the comment lines directly above it.
    fn for_block(&self, f: &FileCtx<'_>, start: usize, end: usize) -> Vec<InlineSuppression> {
        if self.found.is_empty() {
            return Vec::new();
        }
        let (first, _) = f.lines.locate(f.src, start);
        let (last, _) = f.lines.locate(f.src, end.saturating_sub(1));
        let mut from = first as usize - 1;
        while from > 0 && self.comment_only[from - 1] {
            from -= 1;
        }
        let to = last as usize - 1;
        self.found
            .iter()
            .filter(|(l, _)| *l >= from && *l <= to)
            .map(|(_, s)| s.clone())
            .collect()
    }
}

/// Parses `# pullpath:ignore=PP401,PP402 reason` (also `//`) in a line: the 1-based column of
/// the comment marker, the codes and the reason.
pub(crate) fn parse_suppression(line: &str) -> Option<(usize, (Vec<String>, String))> {
    const KEY: &str = "pullpath:ignore=";
    let at = line.find(KEY)?;
    let before = line[..at].trim_end();
    let marker = if before.ends_with("//") {
        before.len() - 2
    } else if before.ends_with('#') {
        before.len() - 1
    } else {
        return None;
    };
    let col = line[..marker].chars().count() + 1;
    let mut rest = &line[at + KEY.len()..];
    let mut codes = Vec::new();
    loop {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        if end > 0 {
            codes.push(rest[..end].to_string());
        }
        rest = &rest[end..];
        let trimmed = rest.trim_start();
        if let Some(after) = trimmed.strip_prefix(',') {
            rest = after.trim_start();
            continue;
        }
        break;
    }
    let reason = rest.trim().trim_end_matches("*/").trim().to_string();
    if codes.is_empty() {
        return None;
    }
    Some((col, (codes, reason)))
}

/// Parses and merges every file of a module directory into its configuration.
pub(crate) fn load_module_dir(dir: &str) -> Result<ModuleConfig> {
    let files = list_files(Path::new(dir), dir)?;
    if files.is_empty() {
        bail!(
            "{dir}: no Terraform configuration files (*.tf, *.tf.json, *.tofu) in this directory"
        );
    }
    let mut blocks = Vec::new();
    for name in &files.base {
        blocks.extend(parse_file(dir, name, &files)?);
    }
    let mut notes = Vec::new();
    for name in &files.overrides {
        for ov in parse_file(dir, name, &files)? {
            apply_override(&mut blocks, ov, &mut notes);
        }
    }
    let mut cfg = build_config(dir, blocks)?;
    cfg.notes.extend(notes);
    Ok(cfg)
}

fn parse_file(dir: &str, name: &str, files: &DirFiles) -> Result<Vec<Block>> {
    let shown = join_display(dir, name);
    // Read by the name on disk: a backslash or a byte that is not UTF-8 is part of it.
    let src = match files.raw_names.get(name) {
        Some(raw) => read_text(&Path::new(dir).join(raw), &shown)?,
        None => read_text(&Path::new(dir).join(name), &shown)?,
    };
    let blocks = if name.ends_with(".json") {
        json::parse_json_file(&src, &shown)?
    } else {
        parse_hcl_file(&src, &shown)?
    };
    for b in &blocks {
        check_top_level(b)?;
    }
    Ok(blocks)
}

/// The identity of a top-level block for override matching.
fn block_key(b: &Block) -> Option<String> {
    match b.kind.as_str() {
        "resource" | "data" | "variable" | "output" | "module" => {
            Some(format!("{} {}", b.kind, b.labels.join(" ")))
        }
        "provider" => {
            let alias = b
                .body
                .expr("alias")
                .and_then(literal_string)
                .unwrap_or_default();
            Some(format!(
                "provider {} {alias}",
                b.labels.first().map_or("", String::as_str)
            ))
        }
        _ => None,
    }
}

fn apply_override(blocks: &mut [Block], ov: Block, notes: &mut Vec<String>) {
    if ov.kind == "locals" {
        for a in ov.body.attrs {
            let target = blocks
                .iter_mut()
                .filter(|b| b.kind == "locals")
                .find_map(|b| b.body.attrs.iter_mut().find(|x| x.name == a.name));
            match target {
                Some(x) => *x = a,
                None => notes.push(format!(
                    "{}:{}:{}: the override of local `{}` has no base definition; ignored",
                    a.loc.file, a.loc.line, a.loc.column, a.name
                )),
            }
        }
        return;
    }
    let Some(key) = block_key(&ov) else {
        return;
    };
    match blocks
        .iter_mut()
        .find(|b| block_key(b).as_deref() == Some(key.as_str()))
    {
        Some(base) => {
            base.body.merge_override(ov.body);
            base.suppressions.extend(ov.suppressions);
        }
        None => notes.push(format!(
            "{}:{}:{}: the override block `{key}` has no base definition; ignored",
            ov.loc.file, ov.loc.line, ov.loc.column
        )),
    }
}

/// A string expression without interpolation.
pub(crate) fn literal_string(e: &Expression) -> Option<String> {
    match e {
        Expression::String(s) => Some(s.value().to_string()),
        Expression::StringTemplate(t) => {
            let mut out = String::new();
            for el in t.iter() {
                out.push_str(el.as_literal()?.value());
            }
            Some(out)
        }
        _ => None,
    }
}

/// A provider reference as written: `aws.west` (a traversal) or `"aws.west"` (JSON syntax).
pub(crate) fn provider_ref(e: &Expression) -> Option<String> {
    match e {
        Expression::Variable(v) => Some(v.value().as_str().to_string()),
        Expression::Traversal(t) => {
            let mut out = match &t.expr {
                Expression::Variable(v) => v.value().as_str().to_string(),
                _ => return None,
            };
            for op in &t.operators {
                match op.value() {
                    hcl::edit::expr::TraversalOperator::GetAttr(a) => {
                        out.push('.');
                        out.push_str(a.value().as_str());
                    }
                    _ => return None,
                }
            }
            Some(out)
        }
        other => literal_string(other),
    }
}

fn duplicate(what: &str, first: &Location, second: &Location) -> anyhow::Error {
    anyhow!(
        "{}:{}:{}: {what} is declared twice (first at {}:{}:{})",
        second.file,
        second.line,
        second.column,
        first.file,
        first.line,
        first.column
    )
}

/// Picks the module's declarations out of its blocks.
pub(crate) fn build_config(dir: &str, blocks: Vec<Block>) -> Result<ModuleConfig> {
    let mut cfg = ModuleConfig {
        dir: dir.to_string(),
        ..ModuleConfig::default()
    };
    for b in blocks {
        match b.kind.as_str() {
            "variable" => {
                let Some(name) = b.labels.first().cloned() else {
                    continue;
                };
                if let Some(&i) = cfg.var_index.get(&name) {
                    return Err(duplicate(
                        &format!("variable `{name}`"),
                        &cfg.variables[i].loc,
                        &b.loc,
                    ));
                }
                let mut body = b.body;
                cfg.var_index.insert(name.clone(), cfg.variables.len());
                // `nullable = false`: a null from the caller means "use the default".
                let nullable = !matches!(
                    body.take("nullable").map(|a| a.expr),
                    Some(Expression::Bool(ref v)) if !*v.value()
                );
                cfg.variables.push(Variable {
                    name,
                    default: body.take("default").map(|a| a.expr),
                    ty: body.take("type").map(|a| a.expr),
                    nullable,
                    loc: b.loc,
                });
            }
            "locals" => {
                for a in b.body.attrs {
                    if let Some(prev) = cfg.locals.get(&a.name) {
                        return Err(duplicate(
                            &format!("local value `{}`", a.name),
                            &prev.loc,
                            &a.loc,
                        ));
                    }
                    cfg.locals.insert(
                        a.name,
                        Local {
                            expr: a.expr,
                            loc: a.loc,
                        },
                    );
                }
            }
            "output" => {
                let Some(name) = b.labels.first().cloned() else {
                    continue;
                };
                if let Some(prev) = cfg.outputs.get(&name) {
                    return Err(duplicate(&format!("output `{name}`"), &prev.loc, &b.loc));
                }
                let mut body = b.body;
                cfg.outputs.insert(
                    name,
                    Output {
                        value: body.take("value").map(|a| a.expr),
                        loc: b.loc,
                    },
                );
            }
            "resource" | "data" => {
                let data = b.kind == "data";
                let (Some(rtype), Some(name)) = (b.labels.first(), b.labels.get(1)) else {
                    continue;
                };
                let (rtype, name) = (rtype.clone(), name.clone());
                if let Some(i) = cfg.resource(data, &rtype, &name) {
                    let what = if data {
                        format!("data source data.{rtype}.{name}")
                    } else {
                        format!("resource {rtype}.{name}")
                    };
                    return Err(duplicate(&what, &cfg.resources[i].loc, &b.loc));
                }
                let idx = cfg.resources.len();
                let r = resource_cfg(data, rtype.clone(), name.clone(), b)?;
                cfg.resources.push(r);
                let index = if data {
                    &mut cfg.data_index
                } else {
                    &mut cfg.managed_index
                };
                index.entry(rtype).or_default().insert(name, idx);
            }
            "module" => {
                let Some(name) = b.labels.first().cloned() else {
                    continue;
                };
                if let Some(&i) = cfg.call_index.get(&name) {
                    return Err(duplicate(
                        &format!("module `{name}`"),
                        &cfg.calls[i].loc,
                        &b.loc,
                    ));
                }
                let mut body = b.body;
                let source = body.take("source").and_then(|a| literal_string(&a.expr));
                body.take("version");
                body.take("depends_on");
                let count = body.take("count");
                let for_each = body.take("for_each");
                check_repetition(&format!("module `{name}`"), &count, &for_each)?;
                let providers = body
                    .take("providers")
                    .map(|a| provider_map(&a.expr))
                    .unwrap_or_default();
                cfg.call_index.insert(name.clone(), cfg.calls.len());
                cfg.calls.push(ModuleCall {
                    name,
                    source,
                    body,
                    count,
                    for_each,
                    providers,
                    loc: b.loc,
                });
            }
            "provider" => {
                let Some(name) = b.labels.first().cloned() else {
                    continue;
                };
                let mut body = b.body;
                let alias = body.take("alias").and_then(|a| literal_string(&a.expr));
                cfg.providers.push(ProviderCfg {
                    name,
                    alias,
                    region: body.take("region").map(|a| a.expr),
                    loc: b.loc,
                });
            }
            _ => {}
        }
    }
    Ok(cfg)
}

/// `providers = { aws = aws.west, "aws.east" = aws.east }`.
fn provider_map(e: &Expression) -> Vec<(String, String)> {
    let Expression::Object(o) = e else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in o.iter() {
        let key = match k {
            hcl::edit::expr::ObjectKey::Ident(i) => Some(i.value().as_str().to_string()),
            hcl::edit::expr::ObjectKey::Expression(e) => provider_ref(e),
        };
        if let (Some(key), Some(val)) = (key, provider_ref(v.expr())) {
            out.push((key, val));
        }
    }
    out
}

/// `count` and `for_each` together: Terraform refuses the block.
fn check_repetition(what: &str, count: &Option<Attr>, for_each: &Option<Attr>) -> Result<()> {
    if let (Some(_), Some(f)) = (count, for_each) {
        bail!(
            "{}:{}:{}: {what}: `count` and `for_each` cannot both be set",
            f.loc.file,
            f.loc.line,
            f.loc.column
        );
    }
    Ok(())
}

/// Checks the `dynamic` blocks of a resource body (and of its nested blocks) as Terraform does
/// before evaluating them: one label (the type of the blocks generated), a `for_each`, and one
/// `content` block. Without these checks such a block would generate nothing, silently.
fn check_dynamic_blocks(body: &Body, owner: &str) -> Result<()> {
    for b in &body.blocks {
        let at = format!("{}:{}:{}", b.loc.file, b.loc.line, b.loc.column);
        if b.kind != "dynamic" {
            check_dynamic_blocks(&b.body, owner)?;
            continue;
        }
        if b.labels.len() != 1 {
            bail!(
                "{at}: {owner}: a `dynamic` block takes 1 label (the type of the blocks it \
                 generates); found {}",
                b.labels.len()
            );
        }
        let name = &b.labels[0];
        if b.body.attr("for_each").is_none() {
            bail!("{at}: {owner}: dynamic block `{name}` needs `for_each`");
        }
        if let Some(it) = b.body.attr("iterator") {
            if !matches!(it.expr, Expression::Variable(_)) {
                bail!(
                    "{}:{}:{}: {owner}: the `iterator` of dynamic block `{name}` must be a name",
                    it.loc.file,
                    it.loc.line,
                    it.loc.column
                );
            }
        }
        let contents: Vec<&Block> = b
            .body
            .blocks
            .iter()
            .filter(|c| c.kind == "content")
            .collect();
        match contents.as_slice() {
            [content] => check_dynamic_blocks(&content.body, owner)?,
            _ => bail!(
                "{at}: {owner}: dynamic block `{name}` needs one `content` block; found {}",
                contents.len()
            ),
        }
    }
    Ok(())
}

fn resource_cfg(data: bool, rtype: String, name: String, b: Block) -> Result<ResourceCfg> {
    let mut body = b.body;
    let count = body.take("count");
    let for_each = body.take("for_each");
    let what = if data {
        format!("data.{rtype}.{name}")
    } else {
        format!("{rtype}.{name}")
    };
    check_repetition(&what, &count, &for_each)?;
    let provider = body.take("provider").and_then(|a| provider_ref(&a.expr));
    body.take("depends_on");
    body.blocks
        .retain(|x| !matches!(x.kind.as_str(), "lifecycle" | "provisioner" | "connection"));
    check_dynamic_blocks(&body, &what)?;
    let mut members = Vec::new();
    let mut member_index = HashMap::new();
    for (i, a) in body.attrs.iter().enumerate() {
        if !member_index.contains_key(&a.name) {
            member_index.insert(a.name.clone(), members.len());
            members.push((a.name.clone(), MemberKind::Attr(i)));
        }
    }
    for blk in &body.blocks {
        let n = super::config::block_member_name(blk);
        if n.is_empty() || member_index.contains_key(&n) {
            continue;
        }
        member_index.insert(n.clone(), members.len());
        members.push((n, MemberKind::Blocks));
    }
    Ok(ResourceCfg {
        data,
        rtype,
        name,
        body,
        count,
        for_each,
        provider,
        loc: b.loc,
        suppressions: b.suppressions,
        members,
        member_index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppression_comments() {
        let (col, (codes, reason)) =
            parse_suppression("  # pullpath:ignore=PP401,PP402 the bucket is ours").unwrap();
        assert_eq!(col, 3);
        assert_eq!(codes, vec!["PP401", "PP402"]);
        assert_eq!(reason, "the bucket is ours");
        let (_, (codes, reason)) = parse_suppression("// pullpath:ignore=PP110, PP109").unwrap();
        assert_eq!(codes, vec!["PP110", "PP109"]);
        assert_eq!(reason, "");
        assert!(parse_suppression("x = \"pullpath:ignore=PP401\"").is_none());
        assert!(parse_suppression("# pullpath:ignore= reason").is_none());
    }

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

    #[test]
    fn line_index_counts_characters() {
        let src = "a = 1\nb = \"é\" # x\n";
        let ix = LineIndex::new(src);
        assert_eq!(ix.locate(src, 0), (1, 1));
        let off = src.find('#').unwrap();
        assert_eq!(ix.locate(src, off), (2, 9));
    }
}
