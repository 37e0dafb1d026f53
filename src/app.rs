//! Runs a parsed command line and maps the outcome to an exit code: 0 nothing at or above
//! `--fail-on`, 1 findings at or above it, 2 the run could not be completed.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;

use crate::cli::{
    CheckArgs, Cli, ColorChoice, Command, ExplainArgs, FailOn, Format, GraphArgs, GraphFormat,
    InputArgs, RulesArgs, RulesFormat, UnknownPolicy,
};
use crate::graph::{self, BuildOptions, DeclaredWorkload, Platform};
use crate::input::{self, ReadOptions};
use crate::report::{self, Report};
use crate::rules::{self, CheckOptions, Finding, Rule, Severity, Verdict};

/// The entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // A panic is a bug; it must still end as "could not complete" (2), never as a pass.
    let outcome = std::panic::catch_unwind(|| run(cli));
    match outcome {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("pullpath: error: {e:#}");
            ExitCode::from(2)
        }
        Err(_) => {
            eprintln!("pullpath: internal error (a bug in pullpath; please report it with the input that caused it)");
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
        Command::Check(args) => check_command(args),
        Command::Rules(args) => rules_command(args),
        Command::Explain(args) => explain_command(args),
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

/// `--select` / `--ignore`: rule codes or names, validated.
pub fn select_rules(select: &[String], ignore: &[String]) -> Result<Vec<&'static Rule>> {
    let resolve = |items: &[String], what: &str| -> Result<Vec<&'static Rule>> {
        items
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(|s| {
                rules::find(s)
                    .with_context(|| format!("{what} {s:?}: no such rule (see `pullpath rules`)"))
            })
            .collect()
    };
    let selected = resolve(select, "--select")?;
    let ignored = resolve(ignore, "--ignore")?;
    Ok(rules::ALL
        .iter()
        .copied()
        .filter(|r| selected.is_empty() || selected.iter().any(|s| std::ptr::eq(*s, *r)))
        .filter(|r| !ignored.iter().any(|s| std::ptr::eq(*s, *r)))
        .collect())
}

fn check_command(args: CheckArgs) -> Result<u8> {
    let declared = parse_workloads(&args.input.workloads)?;
    let rule_list = select_rules(&args.select, &args.ignore)?;
    let format = args.format.unwrap_or(Format::Text);
    let fail_on = match args.fail_on.unwrap_or(FailOn::Error) {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    let unknown = args.unknown.unwrap_or(UnknownPolicy::Warn);
    let mode = match args.mode.unwrap_or(crate::cli::Mode::Reachability) {
        crate::cli::Mode::Reachability => rules::Mode::Reachability,
        crate::cli::Mode::Strict => rules::Mode::Strict,
    };
    if !matches!(format, Format::Text | Format::Json) {
        bail!("--format {format:?} is not implemented yet; use text or json");
    }

    let (model, errors) = input::read_all(&args.input.inputs, &read_options(&args.input));
    let build = BuildOptions {
        region: args.input.region.clone(),
        declared,
    };
    let net = graph::build(&model, &build);
    let opts = CheckOptions {
        mode,
        rules: rule_list,
    };
    let mut findings = rules::check(&net, &model, &opts);
    mark_introduced(&mut findings, &model, &build, &opts);
    let findings = apply_unknown_policy(findings, unknown);

    let report = Report {
        model: &model,
        net: &net,
        findings,
        errors: errors.iter().map(|e| format!("{:#}", e.error)).collect(),
        fail_on,
        fail_on_new_only: args.fail_on_new_only,
        strict: mode == rules::Mode::Strict,
    };
    let text = match format {
        Format::Json => report::json::render(&report),
        _ => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    args.output.is_none()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                        && std::io::IsTerminal::is_terminal(&std::io::stdout())
                }
            };
            report::text::render(&report, report::text::Style { color })
        }
    };
    // What could not be read goes to standard error in every format (and into the report).
    report_input_errors(&errors);
    write_output(args.output.as_deref(), text.as_bytes())?;
    let code = report.exit_code();
    // The process ends here: freeing a large model piece by piece costs more than the check.
    std::mem::forget(report);
    std::mem::forget(net);
    std::mem::forget(model);
    Ok(code)
}

/// Marks each finding as introduced by the plan (absent from the prior state's findings).
fn mark_introduced(
    findings: &mut [Finding],
    model: &crate::model::Model,
    build: &BuildOptions,
    opts: &CheckOptions,
) {
    let Some(prior) = model.prior.as_deref() else {
        return;
    };
    let prior_net = graph::build(prior, build);
    let before: std::collections::HashSet<(&'static str, String)> =
        rules::check(&prior_net, prior, opts)
            .into_iter()
            .map(|f| (f.rule.code, f.resource))
            .collect();
    for f in findings {
        f.introduced = Some(!before.contains(&(f.rule.code, f.resource.clone())));
    }
}

/// `--unknown`: unknown verdicts are warnings, errors, or dropped.
fn apply_unknown_policy(findings: Vec<Finding>, policy: UnknownPolicy) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| {
            if f.verdict == Verdict::Unknown {
                match policy {
                    UnknownPolicy::Warn => f.severity = Severity::Warning,
                    UnknownPolicy::Fail => f.severity = Severity::Error,
                    UnknownPolicy::Ignore => return None,
                }
            }
            Some(f)
        })
        .collect()
}

fn rules_command(args: RulesArgs) -> Result<u8> {
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

fn explain_command(args: ExplainArgs) -> Result<u8> {
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
