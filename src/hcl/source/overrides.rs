//! Override files (`override.tf`, `*_override.tf`) merged over the base files as Terraform
//! merges them: attributes replaced, nested blocks of a type replaced as a whole; an override
//! without a base block is ignored with a note.

use super::declarations::literal_string;
use crate::hcl::config::Block;

/// The identity of a top-level block for override matching.
fn block_key(b: &Block) -> Option<String> {
    match b.kind.as_str() {
        "resource" | "data" | "variable" | "output" | "module" => {
            Some(format!("{} {}", b.kind, b.labels.join(" ")))
        }
        "provider" => {
            let alias = b
                .body
                .expr("alias")
                .and_then(literal_string)
                .unwrap_or_default();
            Some(format!(
                "provider {} {alias}",
                b.labels.first().map_or("", String::as_str)
            ))
        }
        _ => None,
    }
}

pub(super) fn apply_override(blocks: &mut [Block], ov: Block, notes: &mut Vec<String>) {
    if ov.kind == "locals" {
        for a in ov.body.attrs {
            let target = blocks
                .iter_mut()
                .filter(|b| b.kind == "locals")
                .find_map(|b| b.body.attrs.iter_mut().find(|x| x.name == a.name));
            match target {
                Some(x) => *x = a,
                None => notes.push(format!(
                    "{}: the override of local `{}` has no base definition; ignored",
                    a.loc, a.name
                )),
            }
        }
        return;
    }
    let Some(key) = block_key(&ov) else {
        return;
    };
    match blocks
        .iter_mut()
        .find(|b| block_key(b).as_deref() == Some(key.as_str()))
    {
        Some(base) => {
            base.body.merge_override(ov.body);
            base.suppressions.extend(ov.suppressions);
        }
        None => notes.push(format!(
            "{}: the override block `{key}` has no base definition; ignored",
            ov.loc
        )),
    }
}
