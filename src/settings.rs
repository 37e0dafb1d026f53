//! The settings of a run, merged in one place from the command line, the `PULLPATH_*`
//! environment variables (clap reads each with the option it stands for) and the configuration
//! file (`--config`, else `.pullpath.hcl` in the current directory): the command line wins over
//! the environment, the environment over the file, the file over the defaults. `check` and
//! `graph` both take their settings from here, so the file applies to both alike.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::check::{FailOn, UnknownPolicy};
use crate::cli::{CheckArgs, Format, GraphArgs, InputArgs};
use crate::config::{Config, Date};
use crate::graph::{BuildOptions, DeclaredWorkload, Platform};
use crate::input::source::SourceChoice;
use crate::input::ReadOptions;
use crate::output::ColorChoice;
use crate::report;
use crate::rules::{self, CheckOptions, Mode, Rule, Severity};
use crate::suppress;

/// The settings of a run. `graph` uses what is read and how (`inputs`, `read`, `build`,
/// `output`); the rest is `check`'s, and for `graph` holds what `check` would take from the
/// file and the defaults.
pub struct Settings {
    /// The inputs as given; `-` is standard input.
    pub inputs: Vec<String>,
    /// How the inputs are read.
    pub read: ReadOptions,
    /// The region, and the declared workloads: the file's, then the command line's, which
    /// replace a file entry for the same VPC.
    pub build: BuildOptions,
    /// The file the output is written to; standard output when `None`.
    pub output: Option<PathBuf>,
    /// The configuration file, when there is one.
    pub config: Option<Config>,
    /// The report format of `check`.
    pub format: Format,
    pub color: bool,
    /// Findings at or above this severity make the exit code 1 (`None`: never).
    pub fail_on: Option<Severity>,
    pub unknown: UnknownPolicy,
    pub fail_on_new_only: bool,
    pub mode: Mode,
    /// The rules to run, in code order.
    pub rules: Vec<&'static Rule>,
    /// Severity overrides (`rule "PP110" { severity = "warning" }`).
    pub severities: Vec<(&'static Rule, Severity)>,
    /// The date `ignore` expiries are compared with.
    pub today: Date,
}

/// What a command line gives the settings: `check` all of it; `graph` what it reads, where its
/// output goes and `--config`.
pub struct CommandLine<'a> {
    input: &'a InputArgs,
    output: Option<&'a Path>,
    config: Option<&'a Path>,
    check: Option<&'a CheckArgs>,
}

impl<'a> From<&'a CheckArgs> for CommandLine<'a> {
    fn from(args: &'a CheckArgs) -> Self {
        CommandLine {
            input: &args.input,
            output: args.output.as_deref(),
            config: args.config.as_deref(),
            check: Some(args),
        }
    }
}

impl<'a> From<&'a GraphArgs> for CommandLine<'a> {
    fn from(args: &'a GraphArgs) -> Self {
        CommandLine {
            input: &args.input,
            output: args.output.as_deref(),
            config: args.config.as_deref(),
            check: None,
        }
    }
}

impl Settings {
    /// Merges the configuration file into the command line (`&CheckArgs` or `&GraphArgs`): an
    /// option given on the command line (or in its environment variable) wins over the file.
    pub fn new<'a>(args: impl Into<CommandLine<'a>>) -> Result<Settings> {
        let args: CommandLine<'a> = args.into();
        let check = args.check;
        let config = Config::discover(args.config)?;
        let file = config.as_ref();
        let fail_on = check
            .and_then(|c| c.fail_on)
            .or(file.and_then(|c| c.fail_on))
            .unwrap_or(FailOn::Error)
            .threshold();
        let unknown = check
            .and_then(|c| c.unknown)
            .or(file.and_then(|c| c.unknown))
            .unwrap_or(UnknownPolicy::Warn);
        let mode = check
            .and_then(|c| c.mode)
            .or(file.and_then(|c| c.mode))
            .unwrap_or(Mode::Reachability);
        let (select, ignore) = check.map_or((&[][..], &[][..]), |c| (&c.select[..], &c.ignore[..]));
        let mut rule_list = select_rules(select, ignore)?;
        if select.is_empty() {
            // `--select` names the rules to run outright; otherwise the file may disable some.
            rule_list.retain(|r| {
                !file.is_some_and(|c| {
                    c.rules
                        .iter()
                        .any(|e| std::ptr::eq(e.rule, *r) && e.enabled == Some(false))
                })
            });
        }
        let severities = file
            .map(|c| {
                c.rules
                    .iter()
                    .filter_map(|e| e.severity.map(|s| (e.rule, s)))
                    .collect()
            })
            .unwrap_or_default();
        // Declared workloads: the file's, then the command line's, which replace a file entry
        // for the same VPC.
        let cli_declared = parse_workloads(&args.input.workloads)?;
        let mut declared: Vec<DeclaredWorkload> = file
            .map(|c| {
                c.workloads
                    .iter()
                    .filter(|w| !cli_declared.iter().any(|d| d.vpc == w.vpc))
                    .map(|w| DeclaredWorkload {
                        vpc: w.vpc.clone(),
                        platform: w.platform,
                    })
                    .collect()
            })
            .unwrap_or_default();
        declared.extend(cli_declared);
        // `graph` draws without colour.
        let color = check.map_or(ColorChoice::Never, |c| c.color);
        Ok(Settings {
            inputs: args.input.inputs.clone(),
            read: ReadOptions {
                source: source_choice(args.input, file),
                ..read_options(args.input)
            },
            build: BuildOptions {
                region: args.input.region.clone(),
                declared,
            },
            output: args.output.map(Path::to_path_buf),
            config,
            format: check.and_then(|c| c.format).unwrap_or(Format::Text),
            color: report::text::use_color(color, args.output.is_some()),
            fail_on,
            unknown,
            fail_on_new_only: check.is_some_and(|c| c.fail_on_new_only),
            mode,
            rules: rule_list,
            severities,
            today: suppress::today()?,
        })
    }

    /// What the rules need: the mode and the rules to run.
    pub fn check_options(&self) -> CheckOptions {
        CheckOptions {
            mode: self.mode,
            rules: self.rules.clone(),
        }
    }
}

/// How the inputs are read: `--recursive`, `--var`, `--var-file`, `--region`,
/// `--terraform-bin`, `--max-input-size`.
pub fn read_options(args: &InputArgs) -> ReadOptions {
    ReadOptions {
        terraform_bin: args.terraform_bin.clone(),
        recursive: args.recursive,
        vars: args.vars.clone(),
        var_files: args.var_files.clone(),
        region: args.region.clone(),
        max_input_bytes: args.max_input_size,
        source: source_choice(args, None),
    }
}

/// The source of plan inputs: `--no-source`, else `--source` (or `$PULLPATH_SOURCE`), else
/// `source` in the configuration file (relative to the file's directory), else found.
fn source_choice(args: &InputArgs, file: Option<&Config>) -> SourceChoice {
    if args.no_source {
        return SourceChoice::Off;
    }
    if let Some(d) = &args.source {
        return SourceChoice::Dir(d.clone());
    }
    if let Some(c) = file {
        if let Some(d) = &c.source {
            let base = Path::new(&c.path).parent().unwrap_or(Path::new(""));
            return SourceChoice::Dir(base.join(d));
        }
    }
    SourceChoice::Auto
}

/// Parses `--workload VPC=PLATFORM`.
pub fn parse_workloads(items: &[String]) -> Result<Vec<DeclaredWorkload>> {
    items
        .iter()
        .map(|s| {
            let (vpc, platform) = s.rsplit_once('=').with_context(|| {
                format!("--workload {s:?}: expected VPC=PLATFORM, e.g. aws_vpc.main=fargate")
            })?;
            let platform_text = platform.trim();
            let platform = Platform::parse(platform_text).with_context(|| {
                format!(
                    "--workload {s:?}: unknown platform {platform:?}; expected one of {}",
                    Platform::names()
                )
            })?;
            if let Some(warning) = Platform::deprecated_alias(platform_text) {
                eprintln!(
                    "pullpath: warning: {}",
                    crate::output::safe_for_logs(&format!("--workload {s:?}: {warning}"))
                );
            }
            if vpc.trim().is_empty() {
                bail!("--workload {s:?}: the VPC is empty; give an address, an id or *");
            }
            Ok(DeclaredWorkload {
                vpc: vpc.trim().to_string(),
                platform,
            })
        })
        .collect()
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
