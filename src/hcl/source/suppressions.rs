//! Inline suppressions: the `# pullpath:ignore=CODE,… reason` comments of a file, and which
//! block each one belongs to.

use super::native::FileCtx;
use crate::model::{InlineSuppression, Location};

/// The `pullpath:ignore` comments of a file.
pub(super) struct Suppressions {
    /// (0-based line, suppression), in line order.
    found: Vec<(usize, InlineSuppression)>,
    /// Lines holding only a comment.
    comment_only: Vec<bool>,
}

impl Suppressions {
    pub(super) fn scan(f: &FileCtx<'_>) -> Self {
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
    pub(super) fn for_block(
        &self,
        f: &FileCtx<'_>,
        start: usize,
        end: usize,
    ) -> Vec<InlineSuppression> {
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
fn parse_suppression(line: &str) -> Option<(usize, (Vec<String>, String))> {
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
}
