//! Runs a parsed command line and maps the outcome to an exit code: 0 nothing at or above
//! `--fail-on`, 1 findings at or above it, 2 the run could not be completed.

use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;

use crate::check;
use crate::cli::{
    CheckArgs, Cli, Command, CompletionsArgs, ExplainArgs, Format, GraphArgs, GraphFormat,
    RulesArgs, RulesFormat,
};
use crate::graph::{self, BuildOptions, Network};
use crate::input;
use crate::output::{
    is_broken_pipe, report_input_errors, safe_for_logs, write_output, write_report,
};
use crate::report::{self, Report};
use crate::rules;
use crate::settings::{parse_workloads, read_options, Settings};

/// The environment variables that stand in for `check` options (clap `env`).
pub const OPTION_ENV: [&str; 8] = [
    "PULLPATH_FORMAT",
    "PULLPATH_FAIL_ON",
    "PULLPATH_UNKNOWN",
    "PULLPATH_MODE",
    "PULLPATH_CONFIG",
    "PULLPATH_REGION",
    "PULLPATH_COLOR",
    "PULLPATH_MAX_INPUT_SIZE",
];

/// The entry point of the binary.
pub fn main() -> ExitCode {
    // An empty variable means "not set", as CI systems write an undefined setting
    // (`PULLPATH_FORMAT: ${{ vars.PULLPATH_FORMAT }}`); clap would reject the empty value.
    // Nothing else runs yet, so changing the environment races with no thread.
    for name in OPTION_ENV {
        if std::env::var_os(name).is_some_and(|v| v.is_empty()) {
            std::env::remove_var(name);
        }
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            if e.use_stderr() {
                // clap names the option, not the variable a bad value may have come from.
                let set: Vec<String> = OPTION_ENV
                    .iter()
                    .filter_map(|n| std::env::var(n).ok().map(|v| format!("{n}={v}")))
                    .collect();
                if !set.is_empty() {
                    eprintln!("note: set in the environment: {}", set.join(", "));
                }
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    // A panic is a bug; it must still end as "could not complete" (2), never as a pass.
    let outcome = std::panic::catch_unwind(|| run(cli));
    match outcome {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("pullpath: error: {}", safe_for_logs(&format!("{e:#}")));
            ExitCode::from(2)
        }
        Err(_) => {
            eprintln!("pullpath: internal error (a bug in pullpath; please report it with the input that caused it)");
            ExitCode::from(2)
        }
    }
}

/// Runs one command; the returned number is the exit code.
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Graph(args) => graph_command(args),
        Command::Check(args) => check_command(args),
        Command::Rules(args) => rules_command(args),
        Command::Explain(args) => explain_command(args),
        Command::Completions(args) => completions_command(args),
    }
}

/// A declared workload that lands in no VPC checks nothing: the run fails (exit 2) rather
/// than print a report that looks like a pass.
fn unmatched_declarations(net: &Network) -> Result<()> {
    match net.unmatched_declarations.as_slice() {
        [] => Ok(()),
        all => bail!("{}", all.join("\n")),
    }
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
        args.output.as_deref(),
        out.as_bytes(),
        &args.input.inputs,
        code,
    )
}

fn check_command(args: CheckArgs) -> Result<u8> {
    let settings = Settings::new(&args)?;
    let (model, errors) = input::read_all(&args.input.inputs, &read_options(&args.input));
    let net = graph::build(&model, &settings.build);
    if let Err(e) = unmatched_declarations(&net) {
        // Whatever could not be read may be why nothing matched: say that first.
        report_input_errors(&errors);
        return Err(e);
    }
    let checked = check::run(&model, &net, &settings);
    let report = Report {
        model: &model,
        net: &net,
        findings: checked.findings,
        errors: errors.iter().map(|e| format!("{:#}", e.error)).collect(),
        fail_on: settings.fail_on,
        fail_on_new_only: settings.fail_on_new_only,
        strict: settings.mode == rules::Mode::Strict,
        rules: settings.rules.clone(),
        by_vpc: Default::default(),
        routes_undecided: checked.routes_undecided,
    };
    let text = render(&report, settings.format, settings.color)?;
    // What could not be read goes to standard error in every format (and into the report).
    report_input_errors(&errors);
    let code = write_report(
        settings.output.as_deref(),
        text.as_bytes(),
        &args.input.inputs,
        report.exit_code(),
    )?;
    // The process ends here: freeing a large model piece by piece costs more than the check.
    std::mem::forget(report);
    std::mem::forget(net);
    std::mem::forget(model);
    Ok(code)
}

/// Renders a report in a format.
pub fn render(report: &Report<'_>, format: Format, color: bool) -> Result<String> {
    Ok(match format {
        Format::Text => report::text::render(report, report::text::Style { color }),
        Format::Json => report::json::render(report),
        Format::Sarif => {
            let root = std::env::current_dir().context("reading the current directory")?;
            report::sarif::render(report, &root)
        }
        Format::Markdown => report::markdown::render(report),
        Format::Github => report::github::render(report),
        Format::Junit => report::junit::render(report),
    })
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

fn completions_command(args: CompletionsArgs) -> Result<u8> {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "pullpath", &mut script);
    write_output(None, &script)?;
    Ok(0)
}
