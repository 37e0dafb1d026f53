//! `pullpath check`: reads the inputs, checks them, and writes the report in its format.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::unmatched_declarations;
use crate::check;
use crate::cli::{CheckArgs, Format};
use crate::graph;
use crate::input;
use crate::output::{report_input_errors, write_report_with};
use crate::report::{self, PerVpc, Report};
use crate::rules;
use crate::settings::Settings;

/// Runs the check; the exit code is the report's (see [`Report::exit_code`]).
pub fn run(args: CheckArgs) -> Result<u8> {
    let settings = Settings::new(&args)?;
    // This process ends with the check (see the end): what is done with early need not be
    // freed piece by piece.
    crate::parallel::ends_with_run();
    crate::timings::mark("command line and settings");
    // A plan's comparison with its source goes on beside the graph and the rules; its note is
    // written before the report (nothing before the report reads it).
    let (mut model, errors, unsettled) =
        input::read_all_unsettled(&settings.inputs, &settings.read);
    crate::timings::mark("inputs joined (roots)");
    if model.inputs.is_empty() && !errors.is_empty() && settings.format == Format::Text {
        // Nothing was read: the messages say everything; a text report of nothing checked
        // would only repeat them, with a summary of zeros.
        report_input_errors(&errors);
        return Ok(2);
    }
    let net = graph::build_timed(&model, &settings.build);
    crate::timings::mark("graph built");
    if let Err(e) = unmatched_declarations(&net) {
        // Whatever could not be read may be why nothing matched: say that first.
        report_input_errors(&errors);
        return Err(e);
    }
    let checked = check::run(&model, &net, &settings);
    crate::timings::mark("rules checked");
    unsettled.settle(&mut model);
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
    let root = report_root(settings.format)?;
    // What could not be read goes to standard error in every format (and into the report).
    report_input_errors(&errors);
    // The report goes straight to the output as it is rendered.
    let code = write_report_with(
        settings.output.as_deref(),
        &settings.inputs,
        report.exit_code(),
        &mut |w| render_to(&report, settings.format, settings.color, &root, w),
    )?;
    crate::timings::mark("report rendered and written");
    // The process ends here: freeing a large model piece by piece costs more than the check.
    std::mem::forget(report);
    std::mem::forget(net);
    std::mem::forget(model);
    Ok(code)
}

/// Renders a report in a format.
pub fn render(report: &Report<'_>, format: Format, color: bool) -> Result<String> {
    let root = report_root(format)?;
    let mut out = Vec::new();
    render_to(report, format, color, &root, &mut out).context("rendering the report")?;
    String::from_utf8(out).context("rendering the report")
}

/// The directory that SARIF and GitLab reports write paths relative to (the current one), read
/// before anything is written; empty for the other formats.
fn report_root(format: Format) -> Result<PathBuf> {
    match format {
        Format::Sarif | Format::Gitlab => {
            std::env::current_dir().context("reading the current directory")
        }
        _ => Ok(PathBuf::new()),
    }
}

/// Writes a report in a format to `w`: JSON, SARIF and text as they are rendered, the smaller
/// formats rendered first. `root` comes from [`report_root`].
fn render_to(
    report: &Report<'_>,
    format: Format,
    color: bool,
    root: &Path,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let text = match format {
        Format::Text => return report::text::render_to(report, report::text::Style { color }, w),
        Format::Json => return report::json::render_to(report, w),
        Format::Sarif => return report::sarif::render_to(report, root, w),
        Format::Markdown => report::markdown::render(report),
        Format::Github => report::github::render(report),
        Format::Gitlab => {
            report::gitlab::render(report, &report::gitlab::repository_dir(root), root)
        }
        Format::Junit => report::junit::render(report),
    };
    w.write_all(text.as_bytes())
}
