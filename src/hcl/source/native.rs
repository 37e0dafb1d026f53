//! A file of HCL native syntax, parsed into [`Block`]s with their locations and the
//! `pullpath:ignore` comments of each `resource` and `data` block.

use anyhow::{anyhow, bail, Result};
use hcl::edit::structure::Structure;
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
                out.attrs.push(Attr {
                    name: a.key.value().as_str().to_string(),
                    expr: a.value,
                    loc,
                });
            }
            Structure::Block(b) => out.blocks.push(convert_block(b, f)),
        }
    }
    out
}
