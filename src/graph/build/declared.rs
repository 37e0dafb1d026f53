//! `--workload VPC=PLATFORM` declarations (from the command line or the configuration file): a
//! workload of that platform in each VPC the declaration matches, or a note that it matches none.

use super::builder::Builder;
use crate::graph::{DefaultRoute, Fact, Node, Platform, SubnetIdx, VpcIdx, Workload, WorkloadKind};

impl Builder<'_> {
    pub(super) fn declared(&mut self) {
        for d in self.opts.declared.clone() {
            let vpcs: Vec<VpcIdx> = if d.vpc == "*" {
                (0..self.net.vpcs.len())
                    .filter(|&v| !self.net.vpcs[v].node.is_external())
                    .collect()
            } else {
                let hit: Vec<VpcIdx> = (0..self.net.vpcs.len())
                    .filter(|&v| {
                        let n = &self.net.vpcs[v].node;
                        n.address.as_deref() == Some(d.vpc.as_str())
                            || n.qualified_address().as_deref() == Some(d.vpc.as_str())
                            || n.id.as_deref() == Some(d.vpc.as_str())
                    })
                    .collect();
                match self.vpcs.by_id(&d.vpc) {
                    // A VPC the input names only by id (subnets of an existing VPC).
                    Some(v) if hit.is_empty() => vec![v],
                    _ => hit,
                }
            };
            if vpcs.is_empty() {
                let mut names: Vec<String> = self
                    .net
                    .vpcs
                    .iter()
                    .filter(|v| !v.node.is_external() || d.vpc != "*")
                    .map(|v| v.node.name())
                    .collect();
                names.sort();
                names.dedup();
                let read = match names.len() {
                    0 => "the input defines no VPC".to_string(),
                    n if n <= 5 => format!("the VPCs read are {}", names.join(", ")),
                    n => format!(
                        "the VPCs read are {} and {} more",
                        names[..5].join(", "),
                        n - 5
                    ),
                };
                self.net.unmatched_declarations.push(format!(
                    "--workload {}={}: no VPC of the input matches {:?} ({read})",
                    d.vpc,
                    d.platform.as_str(),
                    d.vpc
                ));
            }
            for v in vpcs {
                declare(self, v, d.platform);
            }
        }
    }
}

/// A `--workload VPC=PLATFORM` declaration: runs in the VPC's subnets that have no internet
/// route (all subnets if every one has), with no public IP; its containers are not known.
pub(super) fn declare(b: &mut Builder<'_>, vpc: VpcIdx, platform: Platform) {
    let in_vpc: Vec<SubnetIdx> = (0..b.net.subnets.len())
        .filter(|&s| b.net.subnets[s].vpc.known() == Some(&vpc))
        .collect();
    let private: Vec<SubnetIdx> = in_vpc
        .iter()
        .copied()
        .filter(|&s| {
            !matches!(
                b.net.default_route(s),
                DefaultRoute::Nat(_) | DefaultRoute::NatInstance(_)
            )
        })
        .collect();
    let subnets = if private.is_empty() { in_vpc } else { private };
    let vpc_name = b.net.vpcs[vpc].node.name();
    let subnets_unknown = subnets
        .is_empty()
        .then(|| format!("the VPC {vpc_name} has no subnets in the input"));
    b.net.workloads.push(Workload {
        node: Node {
            address: Some(format!("--workload {vpc_name}={}", platform.as_str())),
            ..Node::default()
        },
        kind: WorkloadKind::Declared,
        platform: Fact::Known(platform),
        platform_version: None,
        windows: false,
        vpc: Fact::Known(vpc),
        subnets,
        subnets_unknown,
        security_groups: Vec::new(),
        security_groups_unknown: Some(
            "the security groups of a workload declared with --workload are not known".into(),
        ),
        uses_default_security_group: false,
        public_ip: Fact::Known(false),
        hosts: None,
        task_subnets: Vec::new(),
        task_security_groups: Vec::new(),
        containers: Vec::new(),
        containers_unknown: Some(
            "the containers of a workload declared with --workload are not known".into(),
        ),
        log_only: Vec::new(),
        definition: None,
        pull_role: None,
        instance_role: None,
        execution_role: None,
        awslogs_override: None,
    });
}
