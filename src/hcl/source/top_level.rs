//! The checks Terraform makes of a file's top-level blocks before reading them: a known
//! block type, its number of labels, and labels that are valid names.

use anyhow::{bail, Result};

use crate::hcl::config::Block;

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
    let at = b.loc.to_string();
    if b.kind == "required_providers" {
        bail!("{at}: a `required_providers` block must be inside the `terraform` block");
    }
    let Some((_, labels)) = BLOCK_TYPES.iter().find(|(n, _)| *n == b.kind) else {
        let hint = did_you_mean(&b.kind, BLOCK_TYPES.iter().map(|(n, _)| *n));
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

/// ` (did you mean `NAME`?)` for the candidate nearest to `word` (at most two edits away, the
/// first of equals), or nothing: the hint of a message about a misspelt name.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    candidates
        .into_iter()
        .map(|n| (edit_distance(n, word), n))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, n)| format!(" (did you mean `{n}`?)"))
        .unwrap_or_default()
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
