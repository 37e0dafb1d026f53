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
//!
//! One check does run before the parser, on every text: the nesting guard ([`nesting`]). The
//! parser takes time exponential in the nesting of some invalid text (a bracket in the operand
//! of a chain's second operator is read twice when the chain fails, so `c = {u+u != (u+u != (…`
//! doubles per level: 20 levels take about a second, 24 take 20 s), and refuses nesting only
//! past 64 levels. The guard refuses, in linear time, more than [`MAX_NESTING`] levels of
//! brackets and more than [`MAX_CHAINED_NESTING`] of them in such operands, at the bracket that
//! crosses the limit.

use hcl::edit::expr::Expression;
use hcl::edit::structure::Body;
use hcl::edit::template::{HeredocTemplate, StringTemplate, Template};
use hcl::edit::visit::{self, Visit};
use hcl::edit::{Decorated, Span, Spanned};

use super::line_index::LineIndex;

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
    let big = nesting(src, Start::Code)?;
    let text = with_big_numbers(src, &big);
    match hcl::edit::parser::parse_body(&text) {
        Ok(body) => match multi_line_string(&body, &text) {
            Some(offset) => Err(at(src, offset, UNTERMINATED_STRING.to_string())),
            None => Ok(body),
        },
        Err(e) => Err(diagnose(src, &e)),
    }
}

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

/// Parses an expression on its own (a `type` string of a `.tf.json` file), with the nesting
/// guard; other errors are hcl-edit's.
pub(crate) fn parse_expr(src: &str) -> Result<Expression, SyntaxError> {
    let big = nesting(src, Start::Code)?;
    hcl::edit::parser::parse_expr(&with_big_numbers(src, &big)).map_err(|e| parser_error(&e))
}

/// Parses a template on its own (a string of a `.tf.json` file, a `templatefile`), with the
/// nesting guard; other errors are hcl-edit's.
pub(crate) fn parse_template(src: &str) -> Result<Template, SyntaxError> {
    let big = nesting(src, Start::Template)?;
    hcl::edit::parser::parse_template(&with_big_numbers(src, &big)).map_err(|e| parser_error(&e))
}

fn parser_error(e: &hcl::edit::parser::Error) -> SyntaxError {
    SyntaxError {
        line: e.location().line(),
        column: e.location().column(),
        message: e.message().to_string(),
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

/// What starts at `i` in a quoted string or a heredoc: a template's `${` / `%{`, or its escaped
/// form `$${` / `%%{` (literal text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TemplateMark {
    /// `$${` or `%%{`: 3 bytes of text.
    Escaped,
    /// `${` or `%{`: an interpolation or a directive opens (2 bytes).
    Open,
}

fn template_mark(b: &[u8], i: usize) -> Option<TemplateMark> {
    let c = *b.get(i)?;
    if c != b'$' && c != b'%' {
        return None;
    }
    match (b.get(i + 1).copied(), b.get(i + 2).copied()) {
        (Some(n), Some(b'{')) if n == c => Some(TemplateMark::Escaped),
        (Some(b'{'), _) => Some(TemplateMark::Open),
        _ => None,
    }
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

fn line_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| from + p)
}

/// The deepest nesting of brackets pullpath reads: `{`, `[`, `(` and the `${` / `%{` of
/// templates, counted together (a block's braces count too). The parser's own limit is about
/// the same (64 nested levels, counted its way); the configurations in `testdata/` nest 9 at
/// most.
pub(crate) const MAX_NESTING: usize = 64;

/// The deepest nesting of brackets in chained operands that pullpath reads: a bracket (or a
/// template's `${` / `%{`) opened in an operand after the second operator of a chain or a later
/// one (`a + b * (…)`, `x == y && f(…)`), inside as many others. The parser reads such an
/// operand twice when the chain fails, so its time on invalid text doubles with each level:
/// with 6, a text takes at most 64 times as long as its size alone asks (in a release build, a
/// text made for it takes 0.14 s for 64 KB, 2 s for 1 MB). The configurations in `testdata/`
/// have none; a hand-written expression rarely has more than two. Terraform has no such limit:
/// an expression past it is refused although valid.
pub(crate) const MAX_CHAINED_NESTING: usize = 6;

/// Where a text starts: in HCL code (a file, an expression), or in a template read on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    Code,
    Template,
}

/// A level of the nesting guard's scan.
enum Level<'s> {
    /// Code: the text itself (`close` 0), or the inside of a `{`, `[` or `(`, or of a
    /// template's `${` / `%{` (`interp`), closed by `close`. `ops` counts the binary operators
    /// of the expression being read at this level (since its start: `=`, `,`, `?`, `:`, or a
    /// line break where the parser would not go on); `multiline` tells whether a bracket opened
    /// in it since its `=` or `,` (after one the parser reads the expression on past line
    /// breaks); `chained` whether this bracket sits in a chained operand.
    Code {
        close: u8,
        interp: bool,
        ops: usize,
        multiline: bool,
        chained: bool,
    },
    /// A quoted string.
    Quoted,
    /// A heredoc whose closing line holds `delim`.
    Heredoc { delim: &'s [u8] },
    /// A template read on its own: it runs to the end of the text.
    Template,
}

/// Refuses text nested deeper than [`MAX_NESTING`] brackets, or deeper than
/// [`MAX_CHAINED_NESTING`] in chained operands, at the bracket that crosses the limit. A linear
/// scan with the parser's lexical rules: quoted strings (with their escapes), heredocs and
/// comments are skipped, except for the templates' `${` / `%{` in strings and heredocs.
///
/// It also returns where the number literals are that a 64-bit float cannot hold (see
/// [`with_big_numbers`]): the scan knows what is code and what is text.
fn nesting(src: &str, start: Start) -> Result<Vec<std::ops::Range<usize>>, SyntaxError> {
    let b = src.as_bytes();
    let mut stack = vec![match start {
        Start::Code => Level::Code {
            close: 0,
            interp: false,
            ops: 0,
            multiline: false,
            chained: false,
        },
        Start::Template => Level::Template,
    }];
    // The brackets open (the text itself is not one), and those in chained operands.
    let (mut depth, mut chained) = (0, 0);
    // Number literals past a float, and where the last number literal seen ends (its digits
    // are not the start of another).
    let (mut big, mut number_end) = (Vec::new(), 0);
    // Whether the last code byte (not a space nor a comment) leaves the expression open: a
    // traversal's `.` or an operator. The parser then reads on past a line break (`a.# …` then
    // `b + {` on the next line is `a.b + {`), so the chain does not end there.
    let mut continues = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        let was_continuing = continues;
        if matches!(stack.last(), Some(Level::Code { .. })) {
            let comment = c == b'#' || (c == b'/' && matches!(next, Some(b'/') | Some(b'*')));
            if !comment && !matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
                continues = matches!(
                    c,
                    b'.' | b'+'
                        | b'-'
                        | b'*'
                        | b'/'
                        | b'%'
                        | b'<'
                        | b'>'
                        | b'&'
                        | b'|'
                        | b'='
                        | b'!'
                );
            }
        }
        // A bracket opens at `i`: its length, what closes it, and whether it is a template's.
        let mut open = None;
        match stack.last_mut() {
            Some(Level::Code {
                close,
                interp,
                ops,
                multiline,
                ..
            }) => match c {
                b'#' => i = line_end(b, i),
                b'/' if next == Some(b'/') => i = line_end(b, i),
                b'/' if next == Some(b'*') => {
                    i = src[i + 2..]
                        .find("*/")
                        .map_or(b.len(), |end| i + 2 + end + 2)
                }
                b'"' => {
                    stack.push(Level::Quoted);
                    i += 1;
                }
                b'<' if next == Some(b'<') => match heredoc_start(b, i) {
                    Some((delim, newline)) => {
                        stack.push(Level::Heredoc { delim });
                        // From the line break: the closing line is found after one.
                        i = newline;
                    }
                    None => {
                        *ops += 1;
                        i += 1;
                    }
                },
                b'{' | b'[' | b'(' => {
                    *multiline = true;
                    open = Some((1, if c == b'(' { b')' } else { c + 2 }, false));
                }
                b'}' | b']' | b')' => {
                    // A bracket that closes nothing open is left to the parser.
                    if *close == c {
                        if let Some(Level::Code { chained: was, .. }) = stack.pop() {
                            depth -= 1;
                            chained -= usize::from(was);
                        }
                    }
                    i += 1;
                }
                b'=' | b'!' | b'<' | b'>' if next == Some(b'=') => {
                    *ops += 1;
                    i += 2;
                }
                b'=' => {
                    *ops = 0;
                    *multiline = false;
                    i += if next == Some(b'>') { 2 } else { 1 };
                }
                b'&' | b'|' if next == Some(c) => {
                    *ops += 1;
                    i += 2;
                }
                // `-` and `*` also count where they are a sign or a splat: counting more is
                // safe.
                b'+' | b'-' | b'*' | b'/' | b'%' | b'<' | b'>' | b'&' | b'|' => {
                    *ops += 1;
                    i += 1;
                }
                b',' => {
                    *ops = 0;
                    *multiline = false;
                    i += 1;
                }
                b':' if next == Some(b':') => i += 2,
                b'?' | b':' => {
                    *ops = 0;
                    i += 1;
                }
                // In a block or an object the parser reads an expression past a line break only
                // after a bracket; in parentheses, brackets and templates always.
                b'\n'
                    if (*close == b'}' && !*interp || *close == 0)
                        && !*multiline
                        && !was_continuing =>
                {
                    *ops = 0;
                    i += 1;
                }
                b'0'..=b'9' if i >= number_end && starts_number(b, i) => {
                    number_end = literal_end(b, i);
                    // Followed by what would continue the identifier it becomes (`1e400x` is a
                    // syntax error; `1e400-1`, without spaces, stays one too: a limit), it is
                    // left as it is.
                    let attached = b.get(number_end).is_some_and(|&c| is_ident_byte(c));
                    if !attached && unrepresentable(&src[i..number_end]) {
                        big.push(i..number_end);
                    }
                    i += 1;
                }
                _ => i += 1,
            },
            Some(level) => {
                let quoted = matches!(level, Level::Quoted);
                match c {
                    b'\\' if quoted => i += 2,
                    b'"' if quoted => {
                        stack.pop();
                        i += 1;
                    }
                    _ if template_mark(b, i) == Some(TemplateMark::Escaped) => i += 3,
                    _ if template_mark(b, i) == Some(TemplateMark::Open) => {
                        open = Some((2, b'}', true))
                    }
                    b'\n' => {
                        i += 1;
                        if let Level::Heredoc { delim } = level {
                            let delim: &[u8] = delim;
                            let mut j = i;
                            while b.get(j).is_some_and(|&c| c == b' ' || c == b'\t') {
                                j += 1;
                            }
                            if b[j..].starts_with(delim)
                                && !b.get(j + delim.len()).is_some_and(|&c| is_ident_byte(c))
                            {
                                stack.pop();
                                i = j + delim.len();
                            }
                        }
                    }
                    _ => i += 1,
                }
            }
            None => break,
        }
        let Some((len, close, interp)) = open else {
            continue;
        };
        // In a chained operand when the expression that holds the bracket has two operators
        // before it (a string's template is in the expression that holds the string).
        let is_chained = stack.iter().rev().find_map(|l| match l {
            Level::Code { ops, .. } => Some(*ops >= 2),
            _ => None,
        }) == Some(true);
        depth += 1;
        chained += usize::from(is_chained);
        if depth > MAX_NESTING {
            return Err(at(src, i, too_deep_message()));
        }
        if chained > MAX_CHAINED_NESTING {
            return Err(at(src, i, too_deep_chained_message()));
        }
        stack.push(Level::Code {
            close,
            interp,
            ops: 0,
            multiline: false,
            chained: is_chained,
        });
        i += len;
    }
    Ok(big)
}

/// Whether the digit at `i` starts a number literal rather than continuing an identifier
/// (`a1`, `x-1`), a legacy index (`list.0`) or another literal.
fn starts_number(b: &[u8], i: usize) -> bool {
    match i.checked_sub(1).map(|p| b[p]) {
        None => true,
        Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || c >= 0x80 => false,
        Some(b'-') => !i
            .checked_sub(2)
            .is_some_and(|p| b[p].is_ascii_alphabetic() || b[p] == b'_'),
        Some(_) => true,
    }
}

/// The end of the number literal that starts at `i` (hcl-edit's grammar: digits, then an
/// optional `.digits`, then an optional exponent `e`/`E`, sign, digits).
fn literal_end(b: &[u8], i: usize) -> usize {
    let digits = |mut j: usize| {
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        j
    };
    let mut j = digits(i);
    if b.get(j) == Some(&b'.') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
        j = digits(j + 1);
    }
    if matches!(b.get(j), Some(b'e' | b'E')) {
        let k = if matches!(b.get(j + 1), Some(b'+' | b'-')) {
            j + 2
        } else {
            j + 1
        };
        if b.get(k).is_some_and(u8::is_ascii_digit) {
            j = digits(k);
        }
    }
    j
}

/// Whether a number literal is one a 64-bit float cannot hold: it overflows (`1e400`, which
/// hcl-edit then refuses as a syntax error) or a non-zero one rounds to zero (`1e-400`, which
/// would silently become 0).
fn unrepresentable(lit: &str) -> bool {
    let Ok(f) = lit.parse::<f64>() else {
        return false;
    };
    let mantissa = lit.split(['e', 'E']).next().unwrap_or(lit);
    !f.is_finite() || (f == 0.0 && mantissa.bytes().any(|c| (b'1'..=b'9').contains(&c)))
}

/// The text with each unrepresentable number literal replaced by an identifier of the same
/// length (so that every position stays where it was), which [`big_number`] turns back into the
/// literal: the first digit `d` becomes the letter `A + d`, `.` and an exponent's `+` become `_`,
/// the rest stays (`1.5e+400` -> `B_5e_400`). The evaluator makes such a name an unknown
/// number that says why. Cost: nothing when there is none (the text is borrowed).
fn with_big_numbers<'s>(src: &'s str, big: &[std::ops::Range<usize>]) -> std::borrow::Cow<'s, str> {
    if big.is_empty() {
        return std::borrow::Cow::Borrowed(src);
    }
    let mut out = src.as_bytes().to_vec();
    for r in big {
        for (k, c) in out[r.clone()].iter_mut().enumerate() {
            *c = match *c {
                d @ b'0'..=b'9' if k == 0 => b'A' + (d - b'0'),
                b'.' | b'+' => b'_',
                other => other,
            };
        }
    }
    // Only ASCII bytes of ASCII literals changed, to ASCII.
    std::borrow::Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// The number literal a name made by [`with_big_numbers`] stands for, if it is one.
pub(crate) fn big_number(name: &str) -> Option<String> {
    let b = name.as_bytes();
    let first = *b.first()?;
    if !(b'A'..=b'J').contains(&first) {
        return None;
    }
    let mut lit = String::with_capacity(b.len());
    lit.push(char::from(b'0' + (first - b'A')));
    let mut exponent = false;
    for &c in &b[1..] {
        lit.push(match c {
            b'0'..=b'9' | b'-' => char::from(c),
            b'e' | b'E' => {
                exponent = true;
                char::from(c)
            }
            b'_' if exponent => '+',
            b'_' => '.',
            _ => return None,
        });
    }
    // Only a literal of the grammar that a float cannot hold was rewritten.
    (literal_end(lit.as_bytes(), 0) == lit.len() && unrepresentable(&lit)).then_some(lit)
}

fn too_deep_message() -> String {
    format!(
        "nesting too deep: more than {MAX_NESTING} levels of brackets (pullpath's limit; \
         `{{`, `[`, `(`, `${{` and `%{{` count as levels); expected at most {MAX_NESTING} nested \
         levels"
    )
}

fn too_deep_chained_message() -> String {
    format!(
        "nesting too deep: more than {MAX_CHAINED_NESTING} levels of brackets in operands after \
         a chain's second operator, as in `a + b * (…)` (pullpath's limit: past it, reading an \
         invalid text takes exponential time); expected at most {MAX_CHAINED_NESTING} such \
         levels (move the inner operands into locals)"
    )
}

/// A heredoc's start at `i` (`<<EOT` or `<<-EOT`, then a line break): its delimiter and the
/// offset of the line break.
fn heredoc_start(b: &[u8], i: usize) -> Option<(&[u8], usize)> {
    let mut j = i + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let name = j;
    if !b
        .get(j)
        .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_' || c >= 0x80)
    {
        return None;
    }
    while b.get(j).is_some_and(|&c| is_ident_byte(c)) {
        j += 1;
    }
    let newline = if b.get(j) == Some(&b'\r') { j + 1 } else { j };
    (b.get(newline) == Some(&b'\n')).then(|| (&b[name..j], newline))
}

/// A byte that can continue an identifier. Non-ASCII bytes count as such: where the parser
/// sees none (`EOT…`), its heredoc ends there but no expression goes on with that character, so
/// the parser reads no further than the guard.
fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c >= 0x80
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

    /// hcl-edit can report an error offset inside a multi-byte character (the HCL fuzzer's
    /// crash): every broken text with such characters where the parser stops ends in an error.
    #[test]
    fn errors_next_to_multi_byte_characters_do_not_panic() {
        let prefixes = [
            "output \"x\" {\n  value = aws_subnet",
            "locals {\n  a = ",
            "resource \"a\" \"b\" {\n  c = [1, ",
            "x = \"",
            "",
        ];
        for p in prefixes {
            for c in ['\u{fef7}', 'é', '€', '😀', '\u{feff}', '\u{200b}'] {
                for tail in ["", "\n", " }", "("] {
                    let text = format!("{p}{c}{tail}");
                    let _ = parse_body(&text);
                    let _ = parse_expr(&text);
                    let _ = parse_template(&text);
                }
            }
        }
    }

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

    /// An expression with `levels` nested brackets, one of each kind in turn (the innermost a
    /// template directive), valid HCL.
    fn nested(levels: usize) -> String {
        let kinds = [("[", "]"), ("{a = ", "}"), ("(", ")"), ("\"${", "}\"")];
        let mut open = String::new();
        let mut close = String::new();
        for k in 0..levels - 1 {
            let (o, c) = kinds[k % kinds.len()];
            open.push_str(o);
            close.insert_str(0, c);
        }
        format!("{open}\"%{{if true}}x%{{endif}}\"{close}")
    }

    /// `1 + 1 + (…)` with `levels` brackets in chained operands.
    fn chained(levels: usize) -> String {
        format!("{}1{}", "1 + 1 + (".repeat(levels), ")".repeat(levels))
    }

    /// The offset of the `n`th (1-based) occurrence of `pat` in `s`.
    fn nth(s: &str, pat: &str, n: usize) -> usize {
        s.match_indices(pat).nth(n - 1).unwrap().0
    }

    #[test]
    fn nesting_up_to_the_limits_parses() {
        // The block's braces count: 1 + 63.
        let src = format!("locals {{\n  a = {}\n}}\n", nested(MAX_NESTING - 1));
        parse_body(&src).unwrap();
        parse_expr(&nested(MAX_NESTING)).unwrap();
        parse_template(&format!("${{{}}}", nested(MAX_NESTING - 1))).unwrap();
        let src = format!("a = {}\n", chained(MAX_CHAINED_NESTING));
        parse_body(&src).unwrap();
        // Brackets that are not in chained operands, however many (to the nesting limit).
        let src = format!("a = {}1{}\n", "1 + (".repeat(40), ")".repeat(40));
        parse_body(&src).unwrap();
        let src = format!("a = {}1{}\n", "f(1 + 1, ".repeat(40), ")".repeat(40));
        assert!(parse_body(&src).is_ok(), "{:?}", parse_body(&src).err());
    }

    #[test]
    fn nesting_past_the_limit_is_refused_at_the_bracket_that_crosses_it() {
        let src = format!("locals {{\n  a = {}\n}}\n", nested(MAX_NESTING));
        let e = parse_body(&src).unwrap_err();
        let off = nth(&src, "%{", 1);
        assert_eq!((e.line, e.column), (2, off - "locals {\n".len() + 1));
        assert_eq!(
            e.message,
            "nesting too deep: more than 64 levels of brackets (pullpath's limit; `{`, `[`, `(`, \
             `${` and `%{` count as levels); expected at most 64 nested levels"
        );
        let e = parse_expr(&nested(MAX_NESTING + 1)).unwrap_err();
        assert!(
            e.message
                .starts_with("nesting too deep: more than 64 levels"),
            "{e:?}"
        );
        let e = parse_template(&format!("${{{}}}", nested(MAX_NESTING))).unwrap_err();
        assert!(
            e.message
                .starts_with("nesting too deep: more than 64 levels"),
            "{e:?}"
        );
        // In chained operands: at the 7th `(`.
        let src = format!("a = {}\n", chained(MAX_CHAINED_NESTING + 1));
        let e = parse_body(&src).unwrap_err();
        assert_eq!((e.line, e.column), (1, nth(&src, "(", 7) + 1));
        assert_eq!(
            e.message,
            "nesting too deep: more than 6 levels of brackets in operands after a chain's second \
             operator, as in `a + b * (…)` (pullpath's limit: past it, reading an invalid text \
             takes exponential time); expected at most 6 such levels (move the inner operands \
             into locals)"
        );
    }

    /// The shape a fuzzer found (`Nr = {` and `rl/rl/u != {`, 24 times, never closed): 20 s in
    /// the parser, refused before it at the 7th `!= {`.
    #[test]
    fn exponential_shapes_are_refused_before_the_parser() {
        let src = format!("c = {{\n{}", " Nr ={\n  rl/rl/  u !={\n".repeat(24));
        let e = parse_body(&src).unwrap_err();
        assert_eq!((e.line, e.column), (15, 15));
        assert!(
            e.message
                .contains("more than 6 levels of brackets in operands"),
            "{e:?}"
        );
        // Parentheses, templates, heredocs and `-`/`!` operands double the same way.
        for level in [
            "u+u!=(",
            "u+u!=\"${",
            "u+u!=-(",
            "u+u!=!{",
            "u+u != <<EOT\n${",
        ] {
            let src = format!("c = {{\n{}", level.repeat(24));
            let e = parse_body(&src).unwrap_err();
            assert!(e.message.contains("in operands after"), "{level}: {e:?}");
            let e = parse_expr(&level.repeat(24)).unwrap_err();
            assert!(e.message.contains("in operands after"), "{level}: {e:?}");
            let e = parse_template(&format!("${{{}", level.repeat(24))).unwrap_err();
            assert!(e.message.contains("in operands after"), "{level}: {e:?}");
        }
    }

    /// `.tf.json` strings are read with the guard: templates in expression positions, `type`
    /// strings of variables.
    #[test]
    fn tf_json_templates_and_types_are_guarded() {
        let shape = format!("${{ {{\n{}", " Nr ={\n  rl/rl/  u !={\n".repeat(24));
        let doc = serde_json::json!({
            "resource": {"aws_vpc": {"main": {"cidr_block": shape}}},
        });
        let e = super::super::json::parse_json_file(&doc.to_string(), "main.tf.json")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("main.tf.json:1:")
                && e.contains("invalid template")
                && e.contains("nesting too deep: more than 6 levels of brackets in operands"),
            "{e}"
        );
        let doc = serde_json::json!({
            "variable": {"v": {"type": "u+u!=(".repeat(24)}},
        });
        let e = super::super::json::parse_json_file(&doc.to_string(), "main.tf.json")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("variable `v`: invalid type") && e.contains("nesting too deep"),
            "{e}"
        );
    }

    #[test]
    fn the_guard_reads_strings_heredocs_and_comments_as_the_parser_does() {
        let deep = "(".repeat(MAX_NESTING + 1);
        // Brackets in strings, heredocs and comments are text.
        for src in [
            format!("a = \"{deep}\"\n"),
            format!("a = \"\\\"{deep}\"\n"),
            format!("a = \"$${{{deep}\"\n"),
            format!("a = <<EOT\n{deep}\nEOT\n"),
            format!("a = <<-EOT\n  {deep}\n  EOT\nb = 1\n"),
            format!("a = 1 # {deep}\n"),
            format!("a = 1 // {deep}\n"),
            format!("a = 1 /* {deep}\n */\n"),
        ] {
            assert!(nesting(&src, Start::Code).is_ok(), "{src}");
        }
        // A template's `${` is a level, in a string, a heredoc, a template read on its own.
        let templates = "${\"".repeat(MAX_NESTING + 1);
        assert!(nesting(&format!("a = \"{templates}"), Start::Code).is_err());
        assert!(nesting(&format!("a = <<EOT\n{templates}"), Start::Code).is_err());
        assert!(nesting(&templates, Start::Template).is_err());
        // The heredoc ends where the parser ends it; what follows is code again.
        assert!(nesting(&format!("a = <<EOT\nx\n  EOT\nb = {deep}"), Start::Code).is_err());
        assert!(nesting(&format!("a = <<EOT\nx\nEOTX\nb = {deep}"), Start::Code).is_ok());
        // Chained operands: the operators count in the expression that holds the bracket
        // (a template's, in the expression that holds its string), up to `=`, `,`, `?` or `:`.
        let seven = |level: &str| format!("a = {}", level.repeat(MAX_CHAINED_NESTING + 1));
        for level in [
            "a + b + (",
            "a + \"x\" != \"${",
            "a && b || f(",
            "a.* + b <= c[",
            "[a+b\n+(",
        ] {
            assert!(nesting(&seven(level), Start::Code).is_err(), "{level}");
        }
        for level in [
            "a + (",
            "a ? b + (",
            "a, b + c + d, (",
            "f(a + b + c, (",
            "k = a + b + c\n {",
        ] {
            assert!(nesting(&seven(level), Start::Code).is_ok(), "{level}");
        }
        // Past a line break, in a block or an object, only after a bracket (where the parser
        // reads the expression on).
        assert!(nesting(&seven("x = a + b + c\n y {\n"), Start::Code).is_ok());
        assert!(nesting(&seven("x = f() + b\n + c + {\n"), Start::Code).is_err());
        assert!(nesting(&seven("x = [a + b\n + ("), Start::Code).is_err());
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
    fn a_chain_goes_on_past_a_line_break_after_a_traversal_or_an_operator() {
        // `s.` + a comment + a line break, then `u + {`: the parser reads `s.u + {`, so the
        // bracket is in a chained operand (the config fuzzer's timeout, doubling per line).
        // The fuzzer's timeout, reduced.
        let src = "\n  rul= u (tess/s.# hass{\n  r+{ st+s.#\n ru+ { {ts+orts.#re\nu+{s+s.#{\nu+ {s+s.# Th= {\n  ru+ { ss+reports.\n  ru+{ \ns+pot.# s\nu+{s+reots.#e ;e \nu+ {s+r.#{\nu+{s+r.#\nu+{s+r.\n  r+{\n sts+ret+ { {ts+s.#= \nu+{s+reports.# The res{\n  ru+ { {\n  rksts+s.# Th{\n  ru+ { {ts+repors.\n  ru+ { {\n  s+reports.#\nn =\"A ";
        let e = parse_body(src).expect_err("too deep");
        assert!(e.message.contains("chain's second operator"), "{e:?}");
        // A line break that ends an expression still ends its chain.
        let fine = "x = {\n  a = b + c\n  d = {\n    e = 1\n  }\n}\n";
        assert!(parse_body(fine).is_ok());
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
