//! The command line as typed (clap): the commands, their options, and the environment variables
//! that stand in for options. [`crate::settings`] turns it into the validated settings of a run.

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::check::{FailOn, UnknownPolicy};
use crate::output::ColorChoice;
use crate::rules::Mode;

#[derive(Parser, Debug)]
#[command(
    name = "pullpath",
    version,
    about = "Checks before apply that ECS and Batch workloads in private subnets can pull their images, write their logs and read their secrets",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check plans, states or Terraform/OpenTofu configurations
    #[command(
        after_help = "Each setting is taken from the command line, else its PULLPATH_* variable, else the configuration file (fail_on, unknown, mode), else its default."
    )]
    Check(CheckArgs),
    /// Print each VPC's pull-path graph
    Graph(GraphArgs),
    /// List the rules
    Rules(RulesArgs),
    /// Print a rule's documentation
    Explain(ExplainArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(CompletionsArgs),
}

/// The environment variables that stand in for options (clap `env`).
pub const OPTION_ENV: [&str; 9] = [
    "PULLPATH_FORMAT",
    "PULLPATH_FAIL_ON",
    "PULLPATH_UNKNOWN",
    "PULLPATH_MODE",
    "PULLPATH_CONFIG",
    "PULLPATH_REGION",
    "PULLPATH_COLOR",
    "PULLPATH_MAX_INPUT_SIZE",
    "PULLPATH_SOURCE",
];

/// Parses the process's command line. `Err` carries the exit code when clap has answered
/// instead (help and version: 0) or refused the arguments (2), its message printed; a bad
/// value is followed by the `PULLPATH_*` variables that are set, since it may come from one.
pub fn parse() -> Result<Cli, u8> {
    // An empty variable means "not set", as CI systems write an undefined setting
    // (`PULLPATH_FORMAT: ${{ vars.PULLPATH_FORMAT }}`); clap would reject the empty value.
    // Nothing else runs yet, so changing the environment races with no thread.
    for name in OPTION_ENV {
        if std::env::var_os(name).is_some_and(|v| v.is_empty()) {
            std::env::remove_var(name);
        }
    }
    let parsed = hide_unset_env_values(Cli::command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli) => Ok(cli),
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
            Err(u8::try_from(e.exit_code()).unwrap_or(2))
        }
    }
}

/// The command with `--help` showing `[env: NAME]` for a variable that is not set, instead of
/// clap's `[env: NAME=]` with nothing after `=`; a variable that is set still shows its value,
/// since it is in effect.
fn hide_unset_env_values(mut cmd: clap::Command) -> clap::Command {
    let unset: Vec<clap::Id> = cmd
        .get_arguments()
        .filter(|a| {
            a.get_env()
                .is_some_and(|name| std::env::var_os(name).is_none())
        })
        .map(|a| a.get_id().clone())
        .collect();
    for id in unset {
        cmd = cmd.mut_arg(id, |a| a.hide_env_values(true));
    }
    let subcommands: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in subcommands {
        cmd = cmd.mut_subcommand(name, hide_unset_env_values);
    }
    cmd
}

/// Options shared by `check` and `graph`: what to read and how.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Plan or state JSON (`terraform show -json`), raw state, binary plan file, Terraform
    /// directory or `.tf` files; `-` reads standard input
    #[arg(value_name = "INPUT", default_value = ".")]
    pub inputs: Vec<String>,

    /// Check every root module below the given directories
    #[arg(long)]
    pub recursive: bool,

    /// Declare a workload the input does not define: VPC=PLATFORM (VPC: address, id or `*`;
    /// PLATFORM: fargate, ecs-ec2, ecs-managed-instances, batch-fargate, batch-ec2; fargate-1.3
    /// is a deprecated alias of fargate)
    #[arg(long = "workload", value_name = "VPC=PLATFORM")]
    pub workloads: Vec<String>,

    /// Region to assume where the configuration does not say
    #[arg(long, value_name = "REGION", env = "PULLPATH_REGION")]
    pub region: Option<String>,

    /// HCL input: set an input variable (NAME=VALUE), as `terraform -var` does
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,

    /// HCL input: read input variable values from a file, as `terraform -var-file` does
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,

    /// Plan input: the Terraform configuration it was made from, for `.tf` locations and
    /// inline suppressions (default: the plan file's directory, a directory input, then the
    /// current directory, when its root module matches the plan)
    #[arg(long, value_name = "DIR", env = "PULLPATH_SOURCE")]
    pub source: Option<PathBuf>,

    /// Plan input: do not look for the configuration it was made from
    #[arg(long, conflicts_with = "source")]
    pub no_source: bool,

    /// Program used to read binary plan files (default: $PULLPATH_TERRAFORM_BIN, terraform, tofu)
    #[arg(long, value_name = "PATH")]
    pub terraform_bin: Option<PathBuf>,

    /// Largest plan, state or standard input read, in bytes (suffixes K, M, G: 1024-based);
    /// a larger input is refused
    #[arg(
        long,
        value_name = "SIZE",
        env = "PULLPATH_MAX_INPUT_SIZE",
        default_value = "1G",
        value_parser = parse_size
    )]
    pub max_input_size: u64,
}

/// Parses a size: a whole number of bytes, or with a 1024-based suffix `K`, `M`, `G` (an
/// optional `B` or `iB` after it), e.g. `512M`, `2GiB`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(digits);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a size: expected a whole number of bytes, optionally with K, M or G (e.g. 512M)"))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        other => {
            return Err(format!(
                "{s:?}: unknown unit {other:?}; expected K, M or G (1024-based), e.g. 512M"
            ))
        }
    };
    let bytes = n
        .checked_mul(1u64 << shift)
        .ok_or_else(|| format!("{s:?} is too large"))?;
    if bytes == 0 {
        return Err(format!("{s:?}: the size must be above 0"));
    }
    Ok(bytes)
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format [default: text]
    #[arg(short, long, value_enum, env = "PULLPATH_FORMAT")]
    pub format: Option<Format>,

    /// Write the report to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Lowest severity that makes the exit code 1 [default: error]
    #[arg(long, value_enum, env = "PULLPATH_FAIL_ON")]
    pub fail_on: Option<FailOn>,

    /// How a check that cannot be decided is reported [default: warn]
    #[arg(long, value_enum, env = "PULLPATH_UNKNOWN")]
    pub unknown: Option<UnknownPolicy>,

    /// Only findings the plan introduces affect the exit code
    #[arg(long)]
    pub fail_on_new_only: bool,

    /// reachability: endpoints are required only where workload subnets have no internet
    /// route; strict: the full endpoint set is required in every workload VPC [default:
    /// reachability]
    #[arg(long, value_enum, env = "PULLPATH_MODE")]
    pub mode: Option<Mode>,

    /// Only these rules (comma-separated codes or names)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Skip these rules (comma-separated codes or names)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Configuration file (default: .pullpath.hcl in the current directory, if present)
    #[arg(long, value_name = "FILE", env = "PULLPATH_CONFIG")]
    pub config: Option<PathBuf>,

    /// Colour in text output (auto: on a terminal, per NO_COLOR, CLICOLOR_FORCE, FORCE_COLOR,
    /// CLICOLOR)
    #[arg(long, value_enum, default_value = "auto", env = "PULLPATH_COLOR")]
    pub color: ColorChoice,
}

#[derive(Args, Debug)]
pub struct GraphArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: GraphFormat,

    /// Write the graph to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Configuration file (default: .pullpath.hcl in the current directory, if present)
    #[arg(long, value_name = "FILE", env = "PULLPATH_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: RulesFormat,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule code (PP401) or name (s3-policy-blocks-layer-bucket)
    pub rule: String,
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `check --format`: the report formats.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Markdown,
    Github,
    Gitlab,
    Junit,
}

/// `graph --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GraphFormat {
    Text,
    Json,
    Dot,
    Mermaid,
}

/// `rules --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Text,
    Json,
    Markdown,
}
