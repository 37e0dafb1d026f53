//! pullpath: checks, before `terraform apply`, that ECS and Batch workloads in private subnets can
//! pull their container images, write their logs and read their secrets.

pub mod policy;
