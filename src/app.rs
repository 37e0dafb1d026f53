//! Runs a parsed command line and maps the outcome to an exit code: 0 nothing at or above
//! `--fail-on`, 1 findings at or above it, 2 the run could not be completed.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;

use crate::cli::{Cli, Command, GraphArgs, GraphFormat, InputArgs};
use crate::graph::{self, BuildOptions, DeclaredWorkload, Platform};
use crate::input::{self, ReadOptions};

/// The entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("pullpath: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Runs one command; the returned number is the exit code.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Graph(args) => graph_command(args),
        Command::Check(_) => bail!("`check` is not implemented yet"),
        Command::Rules(_) => bail!("`rules` is not implemented yet"),
        Command::Explain(_) => bail!("`explain` is not implemented yet"),
    }
}

/// Parses `--workload VPC=PLATFORM`.
pub fn parse_workloads(items: &[String]) -> Result<Vec<DeclaredWorkload>> {
    items
        .iter()
        .map(|s| {
            let (vpc, platform) = s
                .rsplit_once('=')
                .with_context(|| format!("--workload {s:?}: expected VPC=PLATFORM, e.g. aws_vpc.main=fargate"))?;
            let platform = Platform::parse(platform.trim()).with_context(|| {
                format!(
                    "--workload {s:?}: unknown platform {platform:?}; expected one of fargate, fargate-1.3, ecs-ec2, batch-fargate, batch-ec2"
                )
            })?;
            if vpc.trim().is_empty() {
                bail!("--workload {s:?}: the VPC is empty; give an address, an id or *");
            }
            Ok(DeclaredWorkload { vpc: vpc.trim().to_string(), platform })
        })
        .collect()
}

pub fn read_options(args: &InputArgs) -> ReadOptions {
    ReadOptions {
        terraform_bin: args.terraform_bin.clone(),
        recursive: args.recursive,
        vars: args.vars.clone(),
        var_files: args.var_files.clone(),
        region: args.region.clone(),
    }
}

/// Prints input errors; returns true when there were any.
pub fn report_input_errors(errors: &[input::InputError]) -> bool {
    for e in errors {
        eprintln!("pullpath: error: {:#}", e.error);
    }
    !errors.is_empty()
}

fn graph_command(args: GraphArgs) -> Result<u8> {
    let declared = parse_workloads(&args.input.workloads)?;
    let (model, errors) = input::read_all(&args.input.inputs, &read_options(&args.input));
    let failed = report_input_errors(&errors);
    let opts = BuildOptions {
        region: args.input.region.clone(),
        declared,
    };
    let net = graph::build(&model, &opts);
    let out = match args.format {
        GraphFormat::Text => graph::render::to_text(&net, &model),
        GraphFormat::Json => {
            let mut s = serde_json::to_string_pretty(&graph::render::to_json(&net, &model))?;
            s.push('\n');
            s
        }
        GraphFormat::Dot | GraphFormat::Mermaid => {
            let mut s = String::new();
            for v in 0..net.vpcs.len() {
                if net.vpcs[v].workloads.is_empty() && net.vpcs[v].endpoints.is_empty() {
                    continue;
                }
                let d = graph::render::diagram(&net, v);
                if args.format == GraphFormat::Dot {
                    s.push_str(&d.to_dot());
                } else {
                    s.push_str(&format!("%% {}\n", d.title));
                    s.push_str(&d.to_mermaid());
                }
            }
            s
        }
    };
    write_output(args.output.as_deref(), out.as_bytes())?;
    Ok(if failed { 2 } else { 0 })
}

/// Writes the report to a file or standard output (buffered).
pub fn write_output(path: Option<&std::path::Path>, bytes: &[u8]) -> Result<()> {
    match path {
        Some(p) => std::fs::write(p, bytes).with_context(|| format!("writing {}", p.display())),
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            lock.write_all(bytes)
                .context("writing to standard output")?;
            lock.flush().context("writing to standard output")
        }
    }
}
