//! Hostile inputs (issue 14): what an untrusted pull request can try against the gate. Each case
//! states what must hold — never a silent pass, never reading or leaking what is not the
//! configuration, never writing where it must not, never stalling or aborting — and fails if it
//! does not.
//!
//! One module per area, so that the cases of each area sit together.

#[path = "hostile/common.rs"]
mod common;
#[path = "support/skip.rs"]
mod skip;

#[path = "hostile/hcl.rs"]
mod hcl;
#[path = "hostile/input.rs"]
mod input;
#[path = "hostile/policy.rs"]
mod policy;
#[path = "hostile/reports.rs"]
mod reports;
