//! What the rules of one VPC share: for each workload, whether its subnets reach the internet
//! and which AWS services its pull path needs; which endpoints serve which service; whether
//! security group rules admit TCP 443 between two sides. Computed once per VPC.

mod dns;
mod endpoints;
pub mod nacl;
mod needs;
mod reach;
mod scope;
mod security_groups;

pub use crate::aws::{classify, prefix_is_private_ecr, Image, Service};
pub use dns::{CentralZone, DnsBypass};
pub use endpoints::Use;
pub use needs::{needs, platform_label, Demand, Need};
pub use reach::{reach, subnet_reaches_internet, Reach};
pub use scope::{Facts, Scope, ScopeKind, WorkloadFacts};
pub use security_groups::{
    bounds, covers_443, groups_allow, groups_allow_side, is_private, Side, Tri,
};
