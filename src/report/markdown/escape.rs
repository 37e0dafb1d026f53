//! Text for the comment: input text (addresses, messages, reasons, policy code) made inert as
//! markdown, code spans, table cells and HTML, so that it can neither format the comment nor
//! hide or forge pullpath's own markup.

use std::fmt::Write as _;

use crate::report::{is_hostile_char, visible};

/// A code fence longer than any backtick run in the text.
pub(super) fn fence_for(s: &str) -> String {
    "`".repeat((longest_backtick_run(s) + 1).max(3))
}

/// An inline code span that survives backticks in the text: its delimiters are one backtick
/// longer than the longest run inside (CommonMark closes a span only at a run of the same
/// length), padded with spaces when the text has backticks. Control characters are written
/// visibly: a raw `\r` or `\n` would end the line.
pub(super) fn code(s: &str) -> String {
    let s = visible(s);
    if markup_like(&s) {
        return html_code(&s);
    }
    let longest = longest_backtick_run(&s);
    if longest == 0 {
        format!("`{s}`")
    } else {
        let ticks = "`".repeat(longest + 1);
        format!("{ticks} {s} {ticks}")
    }
}

/// Whether code holds what would be HTML outside it: a comment or declaration (`<!`, `<?`), a
/// closing tag, or a tag with attribute values (`<img src=…>`). A placeholder such as `<region>`
/// or `<why this is acceptable>` is not: pullpath's own messages and fixes use those.
pub(super) fn markup_like(s: &str) -> bool {
    s.match_indices('<').any(|(i, _)| {
        let rest = &s[i + 1..];
        if rest.starts_with(['!', '?', '/']) {
            return true;
        }
        let name = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        let after = &rest[name..];
        name > 0
            && rest[..name].starts_with(|c: char| c.is_ascii_alphabetic())
            && (after.starts_with('/')
                || (after.starts_with(char::is_whitespace)
                    && after.split('>').next().is_some_and(|a| a.contains('='))))
    })
}

/// Code that is [`markup_like`] as an HTML `<code>` element, every ASCII punctuation character as a character
/// reference: a backtick span would keep `<!--` or `<img` raw in the comment's source, where a bot
/// looking for the marker (or a careless reader of the source) would find them. References are
/// never markup, not even `|` in a table row.
pub(super) fn html_code(s: &str) -> String {
    let mut out = String::from("<code>");
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            let _ = write!(out, "&#{};", c as u32);
        } else {
            out.push(c);
        }
    }
    out.push_str("</code>");
    out
}

fn longest_backtick_run(s: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// A code span in a table cell: `|` would end the cell.
pub(super) fn cell_code(s: &str) -> String {
    cell_pipes(&code(s))
}

/// `|` as `\|` in code that sits in a table cell. A backslash of the text right before a `|`
/// is written as `\u{5c}`: GFM would read it as escaping the escape, and the `|` would end the
/// cell.
fn cell_pipes(s: &str) -> String {
    s.replace("\\|", "\\u{5c}|").replace('|', "\\|")
}

/// Text for HTML (the `<summary>` line), control characters written visibly (a `\r\r` would
/// end the HTML block and let markdown in).
pub(super) fn html(s: &str) -> String {
    visible(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Markdown text from a message, which mixes pullpath's words and code spans with input text.
/// Code spans are kept where CommonMark sees them (a backtick run closed by the next run of the
/// same length); everything else is made inert:
/// - `<` and `>` as entities (GitHub would take `<region>`, `<img …>`, `<!--` or `</details>`
///   for HTML), `*` escaped (emphasis), a backtick that opens no span escaped, and a backslash
///   before punctuation doubled so that it cannot escape pullpath's own markup;
/// - `|` escaped (a table cell); `](` broken up as `]\(` (links, images);
/// - `@` before a name gets a zero-width space, so that `@org/team` pings nobody;
/// - control characters written visibly; a line break becomes a markdown hard break, and a line
///   that starts with `#`, `-`, `+`, `=`, `~`, `[` or a digit and `.`/`)` starts escaped (no
///   heading, list, rule, fence or link definition made from the input).
pub(crate) fn text(s: &str) -> String {
    text_in(s, false)
}

/// [`text`] for a table cell: a `|` inside a code span is escaped too (GFM splits the row
/// before it parses spans).
pub(super) fn cell_text(s: &str) -> String {
    text_in(s, true)
}

fn text_in(s: &str, cell: bool) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut line_start = true;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if line_start {
            line_start = false;
            // Indentation would make a code block; a line's own text starts at its first
            // character that is not a space.
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
            if i >= chars.len() {
                break;
            }
            let first = chars[i];
            if matches!(first, '#' | '-' | '+' | '=' | '~' | '[') {
                out.push('\\');
            } else if first.is_ascii_digit() {
                let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                if matches!(chars.get(i + digits), Some('.' | ')')) {
                    out.extend(&chars[i..i + digits]);
                    out.push('\\');
                    i += digits;
                }
            }
            continue;
        }
        match c {
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                match closing_run(&chars, i + run, run) {
                    Some(close) => {
                        let inner: String = chars[i + run..close].iter().collect();
                        let ticks = "`".repeat(run);
                        let inner = visible(&inner);
                        if markup_like(&inner) {
                            out.push_str(&html_code(&inner));
                            i = close + run;
                            continue;
                        }
                        let inner = if cell {
                            cell_pipes(&inner)
                        } else {
                            inner.into_owned()
                        };
                        let _ = write!(out, "{ticks}{inner}{ticks}");
                        i = close + run;
                    }
                    None => {
                        for _ in 0..run {
                            out.push_str("\\`");
                        }
                        i += run;
                    }
                }
                continue;
            }
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push_str("\\\\")
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' => out.push_str("\\*"),
            '|' => out.push_str("\\|"),
            // `[text](url)` and `![alt](url)` need `](`; a reference needs a definition, which
            // only a line can start.
            ']' if chars.get(i + 1) == Some(&'(') => out.push_str("]\\"),
            '@' if chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())
                && !i
                    .checked_sub(1)
                    .is_some_and(|p| chars[p].is_alphanumeric() || chars[p] == '_') =>
            {
                out.push_str("@&#8203;")
            }
            '\n' => {
                out.push_str("  \n");
                line_start = true;
            }
            c if is_hostile_char(c) => out.push_str(&visible(&c.to_string())),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Where the code span opened by a run of `run` backticks before `from` closes: the start of
/// the next run of exactly that length (CommonMark's rule), if any.
fn closing_run(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let len = chars[j..].iter().take_while(|&&c| c == '`').count();
            if len == run {
                return Some(j);
            }
            j += len;
        } else {
            j += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_outside_code() {
        assert_eq!(
            text("bucket prod-<region>-x and `prod-<region>-x` and module.*"),
            "bucket prod-&lt;region&gt;-x and `prod-<region>-x` and module.\\*"
        );
        assert_eq!(text("odd ` tick <b>"), "odd \\` tick &lt;b&gt;");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(cell_code("a|b"), "`a\\|b`");
        assert_eq!(html("m[\"a\"] <x>"), "m[&quot;a&quot;] &lt;x&gt;");
    }
}
