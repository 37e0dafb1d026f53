//! The commands: one module each, `run` taking the parsed arguments and returning the exit
//! code (0 or 1; an error is 2, decided by [`crate::app`]).

pub mod check;
pub mod completions;
pub mod explain;
pub mod graph;
pub mod rules;

use anyhow::{bail, Result};

use crate::graph::Network;

/// A declared workload that lands in no VPC checks nothing: the run fails (exit 2) rather
/// than print a report that looks like a pass.
pub(crate) fn unmatched_declarations(net: &Network) -> Result<()> {
    match net.unmatched_declarations.as_slice() {
        [] => Ok(()),
        all => bail!("{}", all.join("\n")),
    }
}
