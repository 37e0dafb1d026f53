//! `pullpath rules`: the list of rules, as text, JSON or the README's Markdown table.

use anyhow::Result;

use crate::cli::{RulesArgs, RulesFormat};
use crate::output::write_output;
use crate::rules;

/// Prints the rules.
pub fn run(args: RulesArgs) -> Result<u8> {
    let text = match args.format {
        RulesFormat::Text => {
            let mut s = String::new();
            for r in rules::ALL {
                s.push_str(&format!(
                    "{}  {:<34} {:<8} {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary
                ));
            }
            s
        }
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = rules::ALL
                .iter()
                .map(|r| serde_json::json!({ "code": r.code, "name": r.name, "severity": r.severity.as_str(), "summary": r.summary, "help_uri": r.help_uri() }))
                .collect();
            serde_json::to_string_pretty(&list)? + "\n"
        }
        RulesFormat::Markdown => rules_markdown(),
    };
    write_output(None, text.as_bytes())?;
    Ok(0)
}

/// The rules table of the README.
pub fn rules_markdown() -> String {
    let mut s = String::from("| code | name | severity | fails when |\n|---|---|---|---|\n");
    for r in rules::ALL {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.code,
            r.name,
            r.severity.as_str(),
            r.summary
        ));
    }
    s
}
