//! Messages for text that failed to parse: where hcl-edit says only "unexpected token" (or
//! gives up on a whole block), a light scan of the text finds the real problem (a string or an
//! interpolation left open, a comment without its end, a `}` that closes nothing) and says what
//! was expected. It never decides whether a text is valid.

use super::lexical::{heredoc_start, line_end, template_mark, TemplateMark};
use super::{at, parser_error, SyntaxError, UNTERMINATED_STRING};

/// What hcl-edit says when it cannot tell what it expected.
const UNEXPECTED: &str = "unexpected token";

/// Turns a parse error into the most precise message the text allows.
pub(super) fn diagnose(src: &str, e: &hcl::edit::parser::Error) -> SyntaxError {
    // hcl-edit's offset can fall inside a multi-byte character (it counts from where its
    // tokenizer stopped): move it back to the character's start before slicing.
    let mut offset = e.location().offset().min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let parser = parser_error(e);
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
                b'<' if b.get(i + 1) == Some(&b'<') => match heredoc_start(b, i) {
                    Some((delim, newline)) => {
                        stack.push(Ctx::Heredoc {
                            delim: String::from_utf8_lossy(delim).into_owned(),
                            line_start: true,
                        });
                        i = newline + 1;
                    }
                    None => i += 2,
                },
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
                    _ if template_mark(b, i).is_some() => {
                        i = template_open(&mut stack, b, i);
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
                    _ if template_mark(b, i).is_some() => {
                        i = template_open(&mut stack, b, i);
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

/// For [`scan`], at a [`TemplateMark`] in a string or heredoc: skips an escaped one, or opens
/// the interpolation; returns where the scan goes on.
fn template_open(stack: &mut Vec<Ctx>, b: &[u8], i: usize) -> usize {
    match template_mark(b, i) {
        Some(TemplateMark::Escaped) => i + 3,
        Some(TemplateMark::Open) => {
            stack.push(Ctx::Expr {
                interp: Some(i),
                braces: 0,
            });
            i + 2
        }
        None => i + 1,
    }
}
