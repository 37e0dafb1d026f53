//! Quoted strings that span lines: hcl-edit accepts them, Terraform refuses them ("Invalid
//! multi-line string"); found in a parsed body, reported at the quote that opens them.

use hcl::edit::expr::Expression;
use hcl::edit::structure::Body;
use hcl::edit::template::{HeredocTemplate, StringTemplate};
use hcl::edit::visit::{self, Visit};
use hcl::edit::{Decorated, Span, Spanned};

/// The offset of the first quoted string of a parsed body that spans lines, if any.
pub(super) fn multi_line_string(body: &Body, src: &str) -> Option<usize> {
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
