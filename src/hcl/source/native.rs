//! A file of HCL native syntax, parsed into [`Block`]s with their locations and the
//! `pullpath:ignore` comments of each `resource` and `data` block.

use anyhow::{anyhow, bail, Result};
use hcl::edit::structure::Structure;
use hcl::edit::visit_mut::VisitMut;
use hcl::edit::Span;

use super::suppressions::Suppressions;
use super::top_level::block_type_list;
use crate::hcl::config::{Attr, Block, Body};
use crate::model::line_index::LineIndex;
use crate::model::Location;

/// A parsed file's context: its shown path, text and line index.
pub(super) struct FileCtx<'s> {
    pub shown: String,
    pub src: &'s str,
    pub lines: LineIndex,
}

impl FileCtx<'_> {
    /// The location of a byte offset of the file.
    pub fn loc(&self, offset: usize) -> Location {
        let (line, column) = self.lines.locate(self.src, offset);
        Location {
            file: self.shown.clone(),
            line,
            column,
        }
    }

    /// The location where a span starts (the file's start when there is none).
    fn loc_of(&self, span: Option<std::ops::Range<usize>>) -> Location {
        self.loc(span.map_or(0, |s| s.start))
    }
}

/// Parses one file of HCL native syntax into blocks. A top-level attribute is an error, as in
/// Terraform (a configuration file holds only blocks).
pub(crate) fn parse_hcl_file(src: &str, shown: &str) -> Result<Vec<Block>> {
    let (body, rewritten) = crate::hcl::syntax::parse_config_body(src).map_err(|e| {
        anyhow!(
            "{shown}:{}:{}: syntax error: {}",
            e.line,
            e.column,
            e.message
        )
    })?;
    // Where a repeated object key was quoted, the spans refer to that text.
    let src = rewritten.as_deref().unwrap_or(src);
    let f = FileCtx {
        shown: shown.to_string(),
        src,
        lines: LineIndex::new(src),
    };
    let supp = Suppressions::scan(&f);
    let mut blocks = Vec::new();
    for s in body {
        let b = match s {
            Structure::Block(b) => b,
            Structure::Attribute(a) => {
                let loc = f.loc_of(a.span());
                bail!(
                    "{}: unexpected attribute `{}` at the top level; expected a block ({})",
                    loc,
                    a.key.value().as_str(),
                    block_type_list()
                );
            }
        };
        let span = b.span();
        let mut block = convert_block(b, &f);
        if matches!(block.kind.as_str(), "resource" | "data") {
            if let Some(span) = span {
                block.suppressions = supp.for_block(&f, span.start, span.end);
            }
        }
        blocks.push(block);
    }
    Ok(blocks)
}

/// An hcl-edit block as a [`Block`], its location and those of its members set.
fn convert_block(b: hcl::edit::structure::Block, f: &FileCtx<'_>) -> Block {
    let loc = f.loc_of(b.span());
    let kind = b.ident.value().as_str().to_string();
    let labels = b.labels.iter().map(|l| l.as_str().to_string()).collect();
    Block {
        kind,
        labels,
        body: convert_body(b.body, f),
        loc,
        suppressions: Vec::new(),
    }
}

/// An hcl-edit body as a [`Body`] (attributes and nested blocks, in order).
fn convert_body(body: hcl::edit::structure::Body, f: &FileCtx<'_>) -> Body {
    let mut out = Body::default();
    for s in body {
        match s {
            Structure::Attribute(a) => {
                let loc = f.loc_of(a.span());
                let mut expr = a.value;
                ShrinkTraversals.visit_expr_mut(&mut expr);
                out.attrs.push(Attr {
                    name: a.key.value().as_str().to_string(),
                    expr,
                    loc,
                });
            }
            Structure::Block(b) => out.blocks.push(convert_block(b, f)),
        }
    }
    // Kept while the configuration is read: no room to spare.
    out.attrs.shrink_to_fit();
    out.blocks.shrink_to_fit();
    out
}

/// Gives back the room hcl-edit's parser leaves in the operator list of each traversal: it
/// grows them from four entries of 200 bytes, and most references (`aws_vpc.main.id`,
/// `var.name`) have one or two. (A thousand files of a large configuration: about 20 MB.)
struct ShrinkTraversals;

impl VisitMut for ShrinkTraversals {
    fn visit_traversal_mut(&mut self, node: &mut hcl::edit::expr::Traversal) {
        node.operators.shrink_to_fit();
        hcl::edit::visit_mut::visit_traversal_mut(self, node);
    }
}

#[cfg(test)]
mod tests {
    use hcl::edit::expr::Expression;

    /// Every traversal keeps no more room than its operators need, however deep it sits.
    #[test]
    fn traversals_keep_no_spare_room() {
        let src = r#"resource "aws_subnet" "a" {
  vpc_id = aws_vpc.main.id
  tags   = { Name = "${var.name}-${each.key}", Other = [local.a.b.c] }
}
"#;
        let blocks = super::parse_hcl_file(src, "main.tf").unwrap();
        let body = &blocks[0].body;
        assert_eq!(body.attrs.capacity(), body.attrs.len());
        let mut seen = 0;
        let mut check = |e: &Expression| {
            if let Expression::Traversal(t) = e {
                assert_eq!(t.operators.capacity(), t.operators.len(), "{t:?}");
                seen += 1;
            }
        };
        check(&body.attrs[0].expr);
        let Expression::Object(o) = &body.attrs[1].expr else {
            panic!("an object")
        };
        for (_, v) in o.iter() {
            match v.expr() {
                Expression::Array(a) => a.iter().for_each(&mut check),
                other => check(other),
            }
        }
        assert_eq!(seen, 2);
    }
}
