//! The evidence of a finding: the hops of its path, from the workload to the failing one.
//!
//! A hop says what it is (a workload, a subnet, an endpoint, a policy, a service with no
//! endpoint, …) and carries the name reports show for it. It carries the name rather than a
//! graph index because findings come from several graphs (the worlds of [`crate::worlds`], the
//! prior state): an index is only meaningful in the graph it was taken from. Reports turn hops
//! into text with [`Hop`]'s `Display` only, and match on the kind (never on the text) to find
//! the resource or the missing service a hop stands for.

use std::fmt;

use crate::aws::Service;

/// One hop of a finding's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hop {
    /// An ECS service, task group or AWS Batch compute environment.
    Workload(String),
    /// The task or job definition of a workload.
    Definition(String),
    /// The container instances that pull for a workload on EC2 hosts (ECS on EC2, ECS Managed
    /// Instances): their Auto Scaling groups, instances or capacity provider.
    Instances(String),
    /// An IAM role, user or group.
    Principal(String),
    Vpc(String),
    Subnet(String),
    RouteTable(String),
    Endpoint(String),
    SecurityGroup(String),
    NetworkAcl(String),
    /// The NAT gateway that a workload's traffic leaves by.
    NatGateway,
    /// A policy document (the resource or attribute that holds it).
    Document(String),
    /// The policy of `source`, with the statements that decided (`Sid`, else `Statement[i]`).
    Policy {
        source: String,
        statements: Vec<String>,
    },
    /// One statement of a policy (`Sid`, else `Statement[i]`).
    Statement(String),
    /// The services that no endpoint of the VPC serves.
    Missing(Vec<Service>),
    /// An image, or what stands for it when it is not known (`the image of app`).
    Image(String),
}

impl Hop {
    /// The name the hop carries (`None` for the hops that are not one thing of the input).
    pub fn name(&self) -> Option<&str> {
        match self {
            Hop::Workload(n)
            | Hop::Definition(n)
            | Hop::Instances(n)
            | Hop::Principal(n)
            | Hop::Vpc(n)
            | Hop::Subnet(n)
            | Hop::RouteTable(n)
            | Hop::Endpoint(n)
            | Hop::SecurityGroup(n)
            | Hop::NetworkAcl(n)
            | Hop::Document(n)
            | Hop::Statement(n)
            | Hop::Image(n) => Some(n),
            Hop::NatGateway | Hop::Policy { .. } | Hop::Missing(_) => None,
        }
    }
}

impl fmt::Display for Hop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Hop::NatGateway => f.write_str("NAT gateway"),
            Hop::Policy { source, statements } => {
                write!(f, "{source} policy")?;
                if !statements.is_empty() {
                    write!(f, " ({})", statements.join(", "))?;
                }
                Ok(())
            }
            Hop::Missing(services) => {
                let names: Vec<&str> = services.iter().map(|s| s.short()).collect();
                write!(f, "(no {} endpoint)", names.join(", "))
            }
            other => f.write_str(other.name().unwrap_or_default()),
        }
    }
}

/// The hops as reports show them.
pub fn names(path: &[Hop]) -> Vec<String> {
    path.iter().map(ToString::to_string).collect()
}
