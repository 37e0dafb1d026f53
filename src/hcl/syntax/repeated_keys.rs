//! Object constructors that repeat a key: valid HCL (the last value wins), which hcl-edit
//! refuses; the repeated key is quoted and the text parsed again.

use hcl::edit::structure::Body;

use super::{parse_body, SyntaxError};

/// What hcl-edit says of an object constructor that repeats a key.
const REDEFINED_KEY: &str = "found redefined object key";

/// [`parse_body`] for configuration files. An object constructor that repeats a key is valid
/// HCL — the last value wins (only `for` expressions refuse duplicates) — but hcl-edit refuses
/// it. The repeated key is written again as a quoted key, which has the same value and which
/// hcl-edit does not compare with the bare name (`foo` becomes `"foo"`, `"foo"` becomes
/// `("foo")`), and parsing goes on. Returns the text the body's spans refer to when it had to
/// be changed: two more characters per repeated key, no line added, so lines stay exact and
/// only the columns after such a key on its line move.
pub(crate) fn parse_config_body(src: &str) -> Result<(Body, Option<String>), SyntaxError> {
    let mut text: Option<String> = None;
    // Each round removes one repeated key; a file has far fewer than this.
    for _ in 0..10_000 {
        let current = text.as_deref().unwrap_or(src);
        match parse_body(current) {
            Ok(body) => return Ok((body, text)),
            Err(e) if e.message.contains(REDEFINED_KEY) => {
                let Some(rewritten) = quote_key_at(current, e.line, e.column) else {
                    return Err(e);
                };
                text = Some(rewritten);
            }
            Err(e) => return Err(e),
        }
    }
    parse_body(text.as_deref().unwrap_or(src)).map(|b| (b, text))
}

/// The text with the object key at a line and column (1-based, in characters) quoted, or `None`
/// where the key is not a bare name or a plain quoted string.
fn quote_key_at(text: &str, line: usize, column: usize) -> Option<String> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let start = line_start
        + text[line_start..]
            .char_indices()
            .nth(column.checked_sub(1)?)
            .map(|(i, _)| i)?;
    let rest = &text[start..];
    let first = rest.chars().next()?;
    let (open, close, end) = if first.is_alphabetic() || first == '_' {
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        ("\"", "\"", start + len)
    } else if first == '"' {
        // A plain string: to its closing quote, with no interpolation.
        let mut escaped = false;
        let mut len = None;
        for (i, c) in rest.char_indices().skip(1) {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    len = Some(i + 1);
                    break;
                }
                '\n' => return None,
                _ => {}
            }
        }
        let len = len?;
        if rest[..len].contains("${") || rest[..len].contains("%{") {
            return None;
        }
        ("(", ")", start + len)
    } else {
        return None;
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push_str(&text[..start]);
    out.push_str(open);
    out.push_str(&text[start..end]);
    out.push_str(close);
    out.push_str(&text[end..]);
    Some(out)
}
