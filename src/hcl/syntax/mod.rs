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
//! One check does run before the parser, on every text: the nesting guard ([`nesting()`]). The
//! parser takes time exponential in the nesting of some invalid text (a bracket in the operand
//! of a chain's second operator is read twice when the chain fails, so `c = {u+u != (u+u != (…`
//! doubles per level: 20 levels take about a second, 24 take 20 s), and refuses nesting only
//! past 64 levels. The guard refuses, in linear time, more than [`nesting::MAX_NESTING`] levels
//! of brackets and more than [`nesting::MAX_CHAINED_NESTING`] of them in such operands, at the
//! bracket that crosses the limit.
//!
//! A third difference: Terraform ignores line breaks inside `for` expressions, hcl-edit does not
//! ([`for_lines`] joins them when a body fails to parse, keeping every offset).
//!
//! The files: parsing and error positions here; [`repeated_keys`] (object keys written twice),
//! [`multi_line`] (strings that span lines), [`diagnose`] (messages for text that failed to
//! parse), [`nesting`] (the guard), [`numbers`] (literals a float cannot hold), [`lexical`]
//! (the lexical rules the scans share).

mod diagnose;
mod for_lines;
mod lexical;
mod multi_line;
mod nesting;
mod numbers;
mod repeated_keys;

#[cfg(test)]
mod tests;

use hcl::edit::expr::Expression;
use hcl::edit::structure::Body;
use hcl::edit::template::Template;

use self::diagnose::diagnose;
use self::for_lines::join_for_lines;
use self::multi_line::multi_line_string;
use self::nesting::{nesting, Start};
use self::numbers::with_big_numbers;
use crate::model::line_index::LineIndex;

pub(crate) use self::numbers::big_number;
pub(crate) use self::repeated_keys::parse_config_body;

/// A syntax error at a position (1-based line, column in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// What is said of a quoted string that reaches the end of its line.
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
        Err(e) => match join_for_lines(&text).and_then(|joined| {
            hcl::edit::parser::parse_body(&joined)
                .ok()
                .map(|b| (b, joined))
        }) {
            // The offsets of the joined text are those of `src`: positions still hold.
            Some((body, joined)) => match multi_line_string(&body, &joined) {
                Some(offset) => Err(at(src, offset, UNTERMINATED_STRING.to_string())),
                None => Ok(body),
            },
            None => Err(diagnose(src, &e)),
        },
    }
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

/// hcl-edit's error as it is, at its position.
fn parser_error(e: &hcl::edit::parser::Error) -> SyntaxError {
    SyntaxError {
        line: e.location().line(),
        column: e.location().column(),
        message: e.message().to_string(),
    }
}

/// An error at a byte offset of `src`.
fn at(src: &str, offset: usize, message: String) -> SyntaxError {
    let (line, column) = LineIndex::new(src).locate(src, offset);
    SyntaxError {
        line: line as usize,
        column: column as usize,
        message,
    }
}
