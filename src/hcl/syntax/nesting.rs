//! The nesting guard: refuses, in linear time and before the parser runs, text nested deeper
//! than the parser reads in reasonable time (see the module documentation of `syntax`).

use super::lexical::{heredoc_start, is_ident_byte, line_end, template_mark, TemplateMark};
use super::numbers::{literal_end, starts_number, unrepresentable};
use super::{at, SyntaxError};

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
pub(super) enum Start {
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
pub(super) fn nesting(src: &str, start: Start) -> Result<Vec<std::ops::Range<usize>>, SyntaxError> {
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
