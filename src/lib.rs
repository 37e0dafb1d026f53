//! pullpath: checks, before `terraform apply`, that ECS and Batch workloads in private subnets can
//! pull their container images, write their logs and read their secrets.
//!
//! The pipeline: [`input`] reads plans, state and configurations into the [`model`];
//! [`resolve`] follows a plan's references; [`graph`] builds each VPC's network graph;
//! [`policy`] decides what endpoint and IAM policies allow, with the AWS naming facts in [`aws`]; [`rules`] judge the graph, in each of the [`worlds`] that instances that may exist make; [`check`]
//! turns their verdicts into findings; [`report`] renders them.
//!
//! Around it: [`app`] is the entry point, [`cli`] the command line as typed, [`settings`] the
//! command line, environment and [`config`] file merged once, [`commands`] one module per
//! command, and [`output`] where their output goes.

pub mod app;
pub mod aws;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod graph;
pub mod hash;
pub mod hcl;
pub mod input;
pub mod model;
pub mod output;
pub mod parallel;
pub mod policy;
pub mod report;
pub mod resolve;
pub mod roots;
pub mod rules;
pub mod settings;
pub mod suppress;
pub mod timings;
pub mod worlds;
