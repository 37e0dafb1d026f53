//! HCL native syntax with Terraform's lexical rules and messages that say what was expected.
//!
//! hcl-edit's parser differs from Terraform's in two ways this module makes up for:
//! - it accepts a quoted string that runs over several lines (`"10.0.0.0/16` followed by more
//!   lines up to the next `"`), which Terraform refuses ("Invalid multi-line string"); such a
//!   string is an error here, at the quote that opens it;
//! - when a top-level attribute or block cannot be parsed at all, it reports "unexpected token"
//!   at the start of that structure, which says neither what is wrong nor what was expected.
//!   A light scan of the text then finds the real problem (a string or an interpolation left
//!   open, a comment without its end, a `}` that closes nothing) and says what was expected.
//!
//! The scan runs only on text that failed to parse: it improves messages and never decides
//! whether a file is valid.

use hcl::edit::expr::Expression;
use hcl::edit::structure::Body;
use hcl::edit::template::{HeredocTemplate, StringTemplate};
use hcl::edit::visit::{self, Visit};
use hcl::edit::{Decorated, Span, Spanned};

use super::source::LineIndex;

/// A syntax error at a position (1-based line, column in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// What hcl-edit says when it cannot tell what it expected.
const UNEXPECTED: &str = "unexpected token";

const UNTERMINATED_STRING: &str = "unterminated string; expected a closing `\"` on the same line \
     (a quoted string cannot span lines: write `\\n` for a line break, or use a heredoc `<<EOT`)";

/// Parses a body (a configuration file, a variables file, a `.pullpath.hcl`).
pub(crate) fn parse_body(src: &str) -> Result<Body, SyntaxError> {
    match hcl::edit::parser::parse_body(src) {
        Ok(body) => match multi_line_string(&body, src) {
            Some(offset) => Err(at(src, offset, UNTERMINATED_STRING.to_string())),
            None => Ok(body),
        },
        Err(e) => Err(diagnose(src, &e)),
    }
}

fn at(src: &str, offset: usize, message: String) -> SyntaxError {
    let (line, column) = LineIndex::new(src).locate(src, offset);
    SyntaxError {
        line: line as usize,
        column: column as usize,
        message,
    }
}

/// Turns a parse error into the most precise message the text allows.
fn diagnose(src: &str, e: &hcl::edit::parser::Error) -> SyntaxError {
    let offset = e.location().offset();
    let parser = SyntaxError {
        line: e.location().line(),
        column: e.location().column(),
        message: e.message().to_string(),
    };
    let unexpected = e.message() == UNEXPECTED;
    // Where hcl-edit gives up on a whole attribute or block (at the top level: "unexpected
    // token"; in a block: "invalid block body"), the offset is where that structure starts and
    // the problem lies somewhere after it.
    let whole_structure = (unexpected || e.message().starts_with("invalid block body"))
        && src[offset.min(src.len())..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_');
    if let Some((found, message)) = scan(src) {
        if found <= offset || whole_structure {
            return at(src, found, message);
        }
    }
    if unexpected {
        return at(src, offset, unexpected_at(src, offset));
    }
    parser
}

/// What to say about an "unexpected token" at `offset`, where a top-level attribute or block
/// should start.
fn unexpected_at(src: &str, offset: usize) -> String {
    let rest = &src[offset.min(src.len())..];
    let Some(c) = rest.chars().next() else {
        return "unexpected end of the file; expected an attribute or a block".to_string();
    };
    let expected = "expected an attribute (`name = value`), a block (`type \"label\" { … }`) \
                    or the end of the file";
    if c == '}' {
        return format!("unexpected `}}`: there is no open block to close here; {expected}");
    }
    if c.is_alphabetic() || c == '_' {
        return format!("the attribute or block that starts here cannot be read; {expected}");
    }
    let json = c == '{' && src[..offset].trim().is_empty();
    let shown = if c.is_control() || c.is_whitespace() {
        format!("{c:?}")
    } else {
        format!("`{c}`")
    };
    let mut msg = format!("unexpected {shown}; {expected}");
    if json {
        msg.push_str(" (the file looks like JSON, but it is read as HCL)");
    }
    msg
}

/// Where a scanner context began and what it is.
enum Ctx {
    /// Expressions: the top level, or inside `${ … }` / `%{ … }` (`Some(start)`), with the depth
    /// of braces opened inside it.
    Expr {
        interp: Option<usize>,
        braces: usize,
    },
    /// A quoted string that opened at `start`.
    Quoted { start: usize },
    /// A heredoc whose closing line is `delim`.
    Heredoc { delim: String, line_start: bool },
}

/// The first lexical problem in text that failed to parse: an unterminated string, an
/// interpolation left open, a block comment without its end. `None` when the scan finds none
/// (or reaches a heredoc that does not end, which the parser reports well).
fn scan(src: &str) -> Option<(usize, String)> {
    let b = src.as_bytes();
    let mut stack = vec![Ctx::Expr {
        interp: None,
        braces: 0,
    }];
    let mut i = 0;
    while i < b.len() {
        let top = stack.last_mut()?;
        match top {
            Ctx::Expr { interp, braces } => match b[i] {
                b'#' => i = line_end(b, i),
                b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
                b'/' if b.get(i + 1) == Some(&b'*') => match src[i + 2..].find("*/") {
                    Some(end) => i += end + 4,
                    None => {
                        return Some((
                            i,
                            "unterminated comment; expected `*/` to end the comment that \
                             starts here"
                                .to_string(),
                        ))
                    }
                },
                b'"' => {
                    stack.push(Ctx::Quoted { start: i });
                    i += 1;
                }
                b'<' if b.get(i + 1) == Some(&b'<') => {
                    let mut j = i + 2;
                    if b.get(j) == Some(&b'-') {
                        j += 1;
                    }
                    let name_end = j + b[j..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-')
                        .count();
                    let after = if b.get(name_end) == Some(&b'\r') {
                        name_end + 1
                    } else {
                        name_end
                    };
                    if name_end > j && b.get(after) == Some(&b'\n') {
                        stack.push(Ctx::Heredoc {
                            delim: src[j..name_end].to_string(),
                            line_start: true,
                        });
                        i = after + 1;
                    } else {
                        i += 2;
                    }
                }
                b'{' => {
                    *braces += 1;
                    i += 1;
                }
                b'}' => {
                    if *braces > 0 {
                        *braces -= 1;
                    } else if interp.is_some() {
                        stack.pop();
                    }
                    i += 1;
                }
                _ => i += 1,
            },
            Ctx::Quoted { start } => {
                let start = *start;
                match b[i] {
                    b'\\' if b.get(i + 1).is_some_and(|&c| c != b'\n') => i += 2,
                    b'"' => {
                        stack.pop();
                        i += 1;
                    }
                    b'$' | b'%' if b.get(i + 1) == Some(&b[i]) && b.get(i + 2) == Some(&b'{') => {
                        i += 3
                    }
                    b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                        stack.push(Ctx::Expr {
                            interp: Some(i),
                            braces: 0,
                        });
                        i += 2;
                    }
                    b'\n' | b'\r' => return Some(open_string(&stack, start)),
                    _ => i += 1,
                }
            }
            Ctx::Heredoc { delim, line_start } => {
                if *line_start {
                    let end = line_end(b, i);
                    if src[i..end].trim() == delim.as_str() {
                        stack.pop();
                        i = end;
                        continue;
                    }
                    *line_start = false;
                }
                match b[i] {
                    b'$' | b'%' if b.get(i + 1) == Some(&b[i]) && b.get(i + 2) == Some(&b'{') => {
                        i += 3
                    }
                    b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                        stack.push(Ctx::Expr {
                            interp: Some(i),
                            braces: 0,
                        });
                        i += 2;
                    }
                    b'\n' => {
                        *line_start = true;
                        i += 1;
                    }
                    _ => i += 1,
                }
            }
        }
    }
    match stack.last()? {
        Ctx::Quoted { start } => Some(open_string(&stack, *start)),
        Ctx::Expr {
            interp: Some(start),
            ..
        } => Some((*start, open_interpolation(src, *start))),
        _ => None,
    }
}

/// The problem when the quoted string at `start` (the top of `stack`) reaches the end of its
/// line: the string itself, or the interpolation it sits in when that was left open (`"${"`,
/// `"${var.x"`), which is the likelier mistake.
fn open_string(stack: &[Ctx], start: usize) -> (usize, String) {
    if let [.., Ctx::Quoted { .. }, Ctx::Expr {
        interp: Some(open),
        braces: 0,
    }, Ctx::Quoted { .. }] = stack
    {
        return (*open, open_interpolation_message());
    }
    (start, UNTERMINATED_STRING.to_string())
}

fn open_interpolation(src: &str, start: usize) -> String {
    if src[start..].starts_with('%') {
        "unterminated template directive; expected `}` to end the `%{` that starts here \
         (write `%%{` for a literal `%{`)"
            .to_string()
    } else {
        open_interpolation_message()
    }
}

fn open_interpolation_message() -> String {
    "unterminated interpolation; expected an expression and `}` after the `${` that starts here \
     (write `$${` for a literal `${`)"
        .to_string()
}

fn line_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| from + p)
}

/// The offset of the first quoted string of a parsed body that spans lines, if any.
fn multi_line_string(body: &Body, src: &str) -> Option<usize> {
    let mut v = MultiLine {
        src,
        quoted: None,
        found: None,
    };
    v.visit_body(body);
    v.found
}

/// Finds quoted strings with a line break in their text (not an escape: the character itself).
struct MultiLine<'s> {
    src: &'s str,
    /// The start of the quoted template being visited (`None` in a heredoc, whose literal
    /// parts span lines by design).
    quoted: Option<usize>,
    found: Option<usize>,
}

impl MultiLine<'_> {
    fn check(&mut self, span: Option<std::ops::Range<usize>>, start: Option<usize>) {
        if self.found.is_some() {
            return;
        }
        let (Some(span), Some(start)) = (span, start) else {
            return;
        };
        if self.src.get(span).is_some_and(|t| t.contains('\n')) {
            self.found = Some(start);
        }
    }
}

impl Visit for MultiLine<'_> {
    fn visit_expr(&mut self, node: &Expression) {
        if self.found.is_none() {
            visit::visit_expr(self, node);
        }
    }

    fn visit_string(&mut self, node: &Decorated<String>) {
        self.check(node.span(), node.span().map(|r| r.start));
    }

    fn visit_literal(&mut self, node: &Spanned<String>) {
        self.check(node.span(), self.quoted);
    }

    fn visit_string_template(&mut self, node: &StringTemplate) {
        let outer = self.quoted.replace(node.span().map_or(0, |r| r.start));
        visit::visit_string_template(self, node);
        self.quoted = outer;
    }

    fn visit_heredoc_template(&mut self, node: &HeredocTemplate) {
        let outer = self.quoted.take();
        visit::visit_heredoc_template(self, node);
        self.quoted = outer;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(src: &str) -> (usize, usize, String) {
        let e = parse_body(src).expect_err(src);
        (e.line, e.column, e.message)
    }

    #[test]
    fn valid_text_parses() {
        for src in [
            "a = \"x\"\n",
            "a = \"x\\ny\"\n",
            "a = \"${b + \n 1}\"\n",
            "a = <<EOT\nline \"one\n  ${x}\nEOT\n",
            "a = <<-EOT\n  quoted \" here\n  EOT\n",
            "a = \"$${literal} %%{also}\"\n",
            "# comment with \"quote\n/* block \" */\nb {\n  c = { d = \"}\" }\n}\n",
            "a = \"${ {x = \"y\"}.x }\"\n",
        ] {
            assert!(
                parse_body(src).is_ok(),
                "{src:?}: {:?}",
                parse_body(src).err()
            );
        }
    }

    #[test]
    fn strings_that_span_lines_are_refused_where_they_start() {
        // Closed on a later line: hcl-edit accepts it, Terraform does not.
        let (l, c, m) = error("a = 1\nb = \"x\ny\"\n");
        assert_eq!((l, c), (2, 5));
        assert!(
            m.starts_with("unterminated string; expected a closing `\"`"),
            "{m}"
        );
        let (l, c, _) = error("b {\n  c = [\"x ${d} y\nz\"]\n}\n");
        assert_eq!((l, c), (2, 8));
        let (l, c, _) = error("resource \"a\nb\" \"c\" {}\n");
        assert_eq!((l, c), (1, 10));
        // Never closed.
        let (l, c, m) = error("a = \"10.0.1.0/24\n");
        assert_eq!((l, c), (1, 5));
        assert!(m.contains("expected a closing"), "{m}");
        let (l, c, _) = error("x {\n  a = \"open\n}\n\ny \"z\" {\n}\n");
        assert_eq!((l, c), (2, 7));
    }

    #[test]
    fn open_interpolations_and_comments() {
        let (l, c, m) = error("a = \"${\"\n");
        assert_eq!((l, c), (1, 6));
        assert!(m.contains("expected an expression and `}`"), "{m}");
        let (_, c, _) = error("a = \"x ${var.b\"\n");
        assert_eq!(c, 8);
        let (l, c, m) = error("a = 1\n/* not closed\nb = 2\n");
        assert_eq!((l, c), (2, 1));
        assert!(m.contains("expected `*/`"), "{m}");
    }

    #[test]
    fn unexpected_tokens_say_what_was_expected() {
        let (l, c, m) = error("a {\n}\n}\n");
        assert_eq!((l, c), (3, 1));
        assert!(
            m.starts_with("unexpected `}`: there is no open block"),
            "{m}"
        );
        assert!(m.contains("expected an attribute"), "{m}");
        let (l, c, m) = error("{\"fail_on\": \"warning\"}\n");
        assert_eq!((l, c), (1, 1));
        assert!(
            m.contains("expected an attribute") && m.contains("looks like JSON"),
            "{m}"
        );
        // Errors hcl-edit describes well are kept.
        let (_, _, m) = error("a {\n  b = \n}\n");
        assert!(m.starts_with("invalid expression; expected"), "{m}");
    }
}
