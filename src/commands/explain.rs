//! `pullpath explain RULE`: a rule's documentation, the doc comment of its module.

use anyhow::{Context, Result};

use crate::cli::ExplainArgs;
use crate::output::write_output;
use crate::rules;

/// Prints the rule's code, name, severity and documentation.
pub fn run(args: ExplainArgs) -> Result<u8> {
    let rule = rules::find(&args.rule)
        .with_context(|| format!("no rule {:?}: see `pullpath rules` for the list", args.rule))?;
    let text = format!(
        "{} {} ({})\n\n{}",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        rule.doc()
    );
    write_output(None, text.as_bytes())?;
    Ok(0)
}
