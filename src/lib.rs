//! pullpath: checks, before `terraform apply`, that ECS and Batch workloads in private subnets can
//! pull their container images, write their logs and read their secrets.
//!
//! The pipeline: [`input`] reads plans, state and configurations into the [`model`];
//! [`resolve`] follows a plan's references; [`graph`] builds each VPC's network graph;
//! [`policy`] decides what endpoint and IAM policies allow.

pub mod app;
pub mod aws;
pub mod cli;
pub mod config;
pub mod graph;
pub mod hcl;
pub mod input;
pub mod model;
pub mod parallel;
pub mod policy;
pub mod report;
pub mod resolve;
pub mod rules;
pub mod suppress;
