//! `pullpath check`: reads the inputs, checks them, and writes the report in its format.

use anyhow::{Context, Result};

use super::unmatched_declarations;
use crate::check;
use crate::cli::{CheckArgs, Format};
use crate::graph;
use crate::input;
use crate::output::{report_input_errors, write_report};
use crate::report::{self, PerVpc, Report};
use crate::rules;
use crate::settings::Settings;

/// Runs the check; the exit code is the report's (see [`Report::exit_code`]).
pub fn run(args: CheckArgs) -> Result<u8> {
    let settings = Settings::new(&args)?;
    crate::timings::mark("command line and settings");
    let (model, errors) = input::read_all(&settings.inputs, &settings.read);
    crate::timings::mark("inputs joined (roots)");
    if model.inputs.is_empty() && !errors.is_empty() && settings.format == Format::Text {
        // Nothing was read: the messages say everything; a text report of nothing checked
        // would only repeat them, with a summary of zeros.
        report_input_errors(&errors);
        return Ok(2);
    }
    let net = graph::build(&model, &settings.build);
    crate::timings::mark("graph built");
    if let Err(e) = unmatched_declarations(&net) {
        // Whatever could not be read may be why nothing matched: say that first.
        report_input_errors(&errors);
        return Err(e);
    }
    let checked = check::run(&model, &net, &settings);
    crate::timings::mark("rules checked");
    let report = Report {
        model: &model,
        net: &net,
        findings: checked.findings,
        errors: errors.iter().map(|e| format!("{:#}", e.error)).collect(),
        fail_on: settings.fail_on,
        fail_on_new_only: settings.fail_on_new_only,
        strict: settings.mode == rules::Mode::Strict,
        rules: settings.rules.clone(),
        by_vpc: PerVpc::with_facts(checked.facts),
        routes_undecided: checked.routes_undecided,
    };
    let text = render(&report, settings.format, settings.color)?;
    crate::timings::mark("report rendered");
    // What could not be read goes to standard error in every format (and into the report).
    report_input_errors(&errors);
    let code = write_report(
        settings.output.as_deref(),
        text.as_bytes(),
        &settings.inputs,
        report.exit_code(),
    )?;
    crate::timings::mark("report written");
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
        Format::Gitlab => {
            let cwd = std::env::current_dir().context("reading the current directory")?;
            report::gitlab::render(report, &report::gitlab::repository_dir(&cwd), &cwd)
        }
        Format::Junit => report::junit::render(report),
    })
}
