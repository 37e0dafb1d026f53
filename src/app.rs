//! The binary's entry point: parses the command line, runs the command, and maps the outcome to
//! an exit code: 0 nothing at or above `--fail-on`, 1 findings at or above it, 2 the run could
//! not be completed (an error, printed with its context, or a panic).

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{self, Cli, Command};
use crate::commands;
use crate::output::{is_broken_pipe, safe_for_logs};

/// Paths that tests and scripts use: the environment variables of the options, the report
/// renderer, and the README's rules table.
pub use crate::cli::OPTION_ENV;
pub use crate::commands::check::render;
pub use crate::commands::rules::rules_markdown;

/// The entry point of the binary.
pub fn main() -> ExitCode {
    crate::timings::start();
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(code) => return ExitCode::from(code),
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
        Command::Graph(args) => commands::graph::run(args),
        Command::Check(args) => commands::check::run(args),
        Command::Rules(args) => commands::rules::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Completions(args) => commands::completions::run(args),
    }
}
