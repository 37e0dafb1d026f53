//! Line breaks inside `for` expressions: Terraform ignores them there (its parser reads a `for`
//! expression with newlines off, so `k => v != "" ? v :` followed by the false result on the
//! next line is one expression), hcl-edit does not and reports a syntax error. The
//! cloudposse label module (`terraform-null-label`), under every cloudposse module, is written
//! that way.
//!
//! Only when a body failed to parse, [`join_for_lines`] gives the same text with the line breaks
//! that sit directly in a `for` expression (not in an object constructor nested in it, where
//! they separate attributes, nor in strings) turned into spaces, and the line comments there
//! blanked (they would otherwise run on to the next line). Every byte keeps its offset, so
//! positions read from the parsed body still point into the original text.

use super::lexical::{heredoc_start, template_mark, TemplateMark};

/// What a bracket opened.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    /// `{ for …` or `[ for …`: line breaks directly inside are spaces.
    For,
    /// Any other bracket, or a template interpolation: line breaks stay.
    Other,
}

/// The text with the line breaks of `for` expressions joined, or `None` when there are none
/// to join (or the scan meets text it does not follow, a heredoc in a `for` expression).
pub(super) fn join_for_lines(src: &str) -> Option<String> {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let mut stack: Vec<Open> = Vec::new();
    let mut changed = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let in_for = stack.last() == Some(&Open::For);
        match c {
            b'"' => i = skip_string(b, i + 1)?,
            b'#' => i = comment_to_line_end(b, &mut out, i, in_for, &mut changed),
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = comment_to_line_end(b, &mut out, i, in_for, &mut changed)
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = src[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                if in_for {
                    for o in &mut out[i..end] {
                        if matches!(*o, b'\n' | b'\r') {
                            *o = b' ';
                            changed = true;
                        }
                    }
                }
                i = end;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => match heredoc_start(b, i) {
                Some(_) if stack.contains(&Open::For) => return None,
                Some((delim, newline)) => i = skip_heredoc(b, newline, delim),
                None => i += 2,
            },
            b'{' | b'[' => {
                stack.push(if starts_for(b, i + 1) {
                    Open::For
                } else {
                    Open::Other
                });
                i += 1;
            }
            b'(' => {
                stack.push(Open::Other);
                i += 1;
            }
            b'}' | b']' | b')' => {
                stack.pop();
                i += 1;
            }
            b'\n' | b'\r' if in_for => {
                out[i] = b' ';
                changed = true;
                i += 1;
            }
            _ => i += 1,
        }
    }
    if !changed {
        return None;
    }
    String::from_utf8(out).ok()
}

/// Whether a `for` keyword follows (after spaces and line breaks) at `i`.
fn starts_for(b: &[u8], mut i: usize) -> bool {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    b.get(i..i + 3) == Some(b"for")
        && b.get(i + 3)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
}

/// A line comment from `i` to its line break; in a `for` expression it is blanked, its line
/// break included. Returns where the scan goes on.
fn comment_to_line_end(
    b: &[u8],
    out: &mut [u8],
    i: usize,
    in_for: bool,
    changed: &mut bool,
) -> usize {
    let end = b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p + 1);
    if in_for {
        for o in &mut out[i..end] {
            // Keep multi-byte characters whole: blank only ASCII bytes, and the bytes of a
            // character beyond ASCII as spaces too (each byte becomes one space).
            *o = b' ';
        }
        *changed = true;
    }
    end
}

/// The offset after the closing quote of a string whose text starts at `i`; `None` when it
/// does not close (the parser then reports it).
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            b'\n' => return None,
            _ => match template_mark(b, i) {
                Some(TemplateMark::Escaped) => i += 3,
                Some(TemplateMark::Open) => i = skip_interpolation(b, i + 2)?,
                None => i += 1,
            },
        }
    }
    None
}

/// The offset after the `}` that closes an interpolation whose code starts at `i`.
fn skip_interpolation(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'"' => i = skip_string(b, i + 1)?,
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return Some(i + 1),
            b'}' => {
                depth -= 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The offset after a heredoc's closing line; its text starts after the line break at
/// `newline`.
fn skip_heredoc(b: &[u8], newline: usize, delim: &[u8]) -> usize {
    let mut line = newline + 1;
    while line < b.len() {
        let end = b[line..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(b.len(), |p| line + p);
        let text = &b[line..end];
        let trimmed = text
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .map_or(&text[text.len()..], |s| &text[s..]);
        let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
        if trimmed == delim {
            return end;
        }
        line = end + 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::join_for_lines;

    #[test]
    fn joins_a_conditional_broken_after_its_colon() {
        let src = "t = { for k, v in x : k => v != \"\" ? v :\n  \"none\" }\n";
        assert_eq!(
            join_for_lines(src).unwrap(),
            "t = { for k, v in x : k => v != \"\" ? v :   \"none\" }\n"
        );
    }

    #[test]
    fn keeps_the_lines_of_objects_in_a_for_and_of_strings() {
        let src = "t = [for v in x : {\n  a = v\n  b = \"#\"\n} if v\n  != null]\n";
        let joined = join_for_lines(src).unwrap();
        assert_eq!(
            joined,
            "t = [for v in x : {\n  a = v\n  b = \"#\"\n} if v   != null]\n"
        );
    }

    #[test]
    fn blanks_line_comments_in_a_for_and_leaves_other_text() {
        let src = "t = { for k, v in x : # each\n k => v }\n# after\nu = {\n a = 1\n}\n";
        let joined = join_for_lines(src).unwrap();
        assert_eq!(
            joined,
            "t = { for k, v in x :         k => v }\n# after\nu = {\n a = 1\n}\n"
        );
        assert_eq!(joined.len(), src.len());
        assert_eq!(join_for_lines("u = {\n a = 1\n}\n"), None);
    }
}
