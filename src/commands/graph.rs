//! `pullpath graph`: each VPC's pull-path graph, as text, JSON, DOT or Mermaid.

use anyhow::Result;

use super::unmatched_declarations;
use crate::cli::{GraphArgs, GraphFormat};
use crate::graph;
use crate::input;
use crate::output::{report_input_errors, write_report};
use crate::settings::Settings;

/// Prints the graph of the inputs, with the workloads declared on the command line and in the
/// configuration file (as `check` sees them); exit code 2 when an input could not be read.
pub fn run(args: GraphArgs) -> Result<u8> {
    let settings = Settings::new(&args)?;
    let (model, errors) = input::read_all(&settings.inputs, &settings.read);
    let failed = report_input_errors(&errors);
    if failed && model.inputs.is_empty() && args.format == GraphFormat::Text {
        // Nothing was read: the messages say everything.
        return Ok(2);
    }
    let net = graph::build(&model, &settings.build);
    unmatched_declarations(&net)?;
    let out = match args.format {
        GraphFormat::Text => graph::render::to_text(&net, &model),
        GraphFormat::Json => {
            let mut s = serde_json::to_string_pretty(&graph::render::to_json(&net, &model))?;
            s.push('\n');
            s
        }
        GraphFormat::Dot | GraphFormat::Mermaid => {
            // One document for every VPC: a cluster (subgraph) each.
            let diagrams: Vec<graph::render::Diagram> = (0..net.vpcs.len())
                .filter(|&v| {
                    !(net.vpcs[v].workloads.is_empty() && net.vpcs[v].endpoints.is_empty())
                })
                .map(|v| graph::render::diagram(&net, v).without_orphans())
                .collect();
            if diagrams.is_empty() {
                String::new()
            } else if args.format == GraphFormat::Dot {
                graph::render::dot_document(&diagrams)
            } else {
                graph::render::mermaid_document(&diagrams)
            }
        }
    };
    let code = if failed { 2 } else { 0 };
    write_report(
        settings.output.as_deref(),
        out.as_bytes(),
        &settings.inputs,
        code,
    )
}
