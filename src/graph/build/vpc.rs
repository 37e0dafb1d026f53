//! VPCs (`aws_vpc`, `aws_default_vpc` and their data sources) with their DNS settings and CIDR
//! blocks, and [`Builder::vpc_of`], which every other kind uses to find its VPC.

use std::collections::BTreeSet;

use super::builder::{flag, is_vpc, join_reasons, Builder};
use super::registry::Placeholder;
use crate::graph::{Fact, Ipv4Net, Node, Vpc, VpcIdx};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    ("aws_vpc", VPC),
    ("aws_default_vpc", VPC),
    (
        "aws_vpc_ipv4_cidr_block_association",
        &["vpc_id", "cidr_block"],
    ),
];
const VPC: &[&str] = &["cidr_block", "enable_dns_support", "enable_dns_hostnames"];

impl Builder<'_> {
    pub(super) fn vpcs(&mut self) {
        let model = self.model();
        for (i, r) in model.resources.iter().enumerate() {
            // A data source reading a VPC that the input also manages is that VPC.
            if is_vpc(r) {
                self.vpcs
                    .get_or_insert(&self.ix, &mut self.net.vpcs, i, &is_vpc);
            }
        }
        for vpc in &self.net.vpcs {
            let Some(c) = vpc.node.resource else { continue };
            let cr = self.ix.res(c);
            if !cr.is_data() && cr.rtype() == "aws_vpc" {
                self.vpcs_in_module
                    .entry((cr.input, cr.addr.module_instance().to_string()))
                    .or_default()
                    .push(c);
            }
        }
        // Data sources of other roots that read a VPC of the input (see `crate::roots`).
        let joins: Vec<(usize, usize, &str)> = self.ix.joins().collect();
        for (d, t, how) in joins {
            if !is_vpc(model.resources.get(d).unwrap_or(&model.resources[t])) {
                continue;
            }
            if let Some(v) = self.vpcs.of_resource(t) {
                self.net.vpcs[v].joined.push(how.to_string());
            }
        }
        // Attributes, once every node exists.
        for v in 0..self.net.vpcs.len() {
            let Some(i) = self.net.vpcs[v].node.resource else {
                continue;
            };
            let r = &model.resources[i];
            let default_vpc = r.rtype() == "aws_default_vpc";
            let managed = !r.is_data();
            // Terraform's defaults: dns_support true, dns_hostnames false (true for the
            // default VPC). A data source reports the real values.
            let dns_support = flag(r, "enable_dns_support", managed.then_some(true));
            let dns_hostnames = flag(r, "enable_dns_hostnames", managed.then_some(default_vpc));
            let unset = |name: &str| {
                r.get(name)
                    .is_none_or(|v| v.is_null() || v.is_not_configured())
            };
            let (dns_support_unset, dns_hostnames_unset) =
                (unset("enable_dns_support"), unset("enable_dns_hostnames"));
            let owner_account = owner_account(r);
            let (cidrs, cidr_unknown) =
                match r.get("cidr_block") {
                    Some(v) => match v.as_str().and_then(Ipv4Net::parse) {
                        Some(n) => (vec![n], None),
                        None => (
                            Vec::new(),
                            Some(v.undecided_reason().unwrap_or_else(|| {
                                "the CIDR block is not a valid IPv4 block".into()
                            })),
                        ),
                    },
                    None => (
                        Vec::new(),
                        Some(format!("{} has no cidr_block in the input", r.address)),
                    ),
                };
            let vpc = &mut self.net.vpcs[v];
            vpc.dns_support = dns_support;
            vpc.dns_hostnames = dns_hostnames;
            vpc.dns_support_unset = dns_support_unset;
            vpc.dns_hostnames_unset = dns_hostnames_unset;
            vpc.owner_account = owner_account;
            vpc.cidrs = cidrs;
            vpc.cidr_unknown = cidr_unknown;
            // The default VPC exists before the input adopts it: blocks may have been added to
            // it outside the input.
            if default_vpc {
                vpc.secondary_unknown = Some(format!(
                    "{} is the region's default VPC, which may have blocks the input does not show",
                    r.address
                ));
            }
        }
        // Secondary blocks: known ones join the VPC's list; an unknown one (or one whose VPC is
        // not decided: any VPC of its input) leaves the VPC's blocks open.
        for r in &model.resources {
            if r.rtype() != "aws_vpc_ipv4_cidr_block_association" || r.is_data() {
                continue;
            }
            let block = r
                .get("cidr_block")
                .and_then(Value::as_str)
                .and_then(Ipv4Net::parse);
            let why = format!("{} adds a block not known before apply", r.address);
            match (self.vpc_of(r, "vpc_id"), block) {
                (Fact::Known(v), Some(b)) => {
                    let vpc = &mut self.net.vpcs[v];
                    vpc.cidrs.push(b);
                    vpc.secondary_blocks += 1;
                }
                (Fact::Known(v), None) => {
                    self.net.vpcs[v].secondary_unknown.get_or_insert(why);
                }
                (Fact::Unknown(_), _) => {
                    for vpc in &mut self.net.vpcs {
                        if vpc.node.input == Some(r.input) {
                            vpc.secondary_unknown.get_or_insert(why.clone());
                        }
                    }
                }
            }
        }
    }

    /// The single VPC a value (`vpc_id`) points at.
    pub(super) fn vpc_of(&mut self, r: &Resource, key: &str) -> Fact<VpcIdx> {
        let Some(v) = r.get(key) else {
            return self.vpc_by_module(r).unwrap_or_else(|| {
                Fact::Unknown(format!("{} has no {key} in the input", r.address))
            });
        };
        let found = self.ix.find(r.input, v, &is_vpc);
        let mut vpcs = BTreeSet::new();
        for &i in &found.resources {
            if let Some(n) = self.vpcs.of_resource(i) {
                vpcs.insert(n);
            }
        }
        for id in &found.ids {
            vpcs.insert(self.vpcs.get_or_insert_id(&mut self.net.vpcs, id));
        }
        if !found.gaps.is_empty() {
            if let Some(f) = self.vpc_by_module(r) {
                return f;
            }
            return Fact::Unknown(format!(
                "{}.{key}: {}",
                r.address,
                join_reasons(&found.gaps)
            ));
        }
        match vpcs.len() {
            1 => Fact::Known(*vpcs.iter().next().unwrap_or(&0)),
            0 => Fact::Unknown(format!(
                "{}.{key} does not name a VPC of the input",
                r.address
            )),
            _ => Fact::Unknown(format!(
                "{}.{key} may be any of {}",
                r.address,
                vpcs.iter()
                    .map(|&v| self.net.vpcs[v].node.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The inference for references through `local.*`: a module instance that contains
    /// exactly one `aws_vpc` owns its subnets, route tables, groups and endpoints.
    pub(super) fn vpc_by_module(&self, r: &Resource) -> Option<Fact<VpcIdx>> {
        let list = self
            .vpcs_in_module
            .get(&(r.input, r.addr.module_instance().to_string()))?;
        if list.len() != 1 {
            return None;
        }
        self.vpcs.of_resource(list[0]).map(Fact::Known)
    }

    pub(super) fn default_vpc_of(&mut self, input: usize) -> Fact<VpcIdx> {
        let model = self.model();
        let found: Vec<usize> = self
            .ix
            .of_type(false, "aws_default_vpc")
            .iter()
            .copied()
            .filter(|&i| model.resources[i].input == input)
            .collect();
        match found.as_slice() {
            [one] => self.vpcs.of_resource(*one).map_or_else(
                || Fact::Unknown("the default VPC is not in the input".into()),
                Fact::Known,
            ),
            _ => Fact::Unknown("an aws_default_subnet belongs to the account's default VPC, which is not in the input".into()),
        }
    }
}

/// The account that owns a VPC: its `owner_id`, else the account field of its `arn` (12
/// characters either way).
fn owner_account(r: &Resource) -> Option<String> {
    if let Some(o) = r
        .get("owner_id")
        .and_then(Value::as_str)
        .filter(|s| s.len() == 12)
    {
        return Some(o.to_string());
    }
    let arn = r.get("arn").and_then(Value::as_str)?;
    arn.split(':')
        .nth(4)
        .filter(|a| a.len() == 12)
        .map(str::to_string)
}

/// A VPC before its attributes are read, or one the input names only by id.
impl Placeholder for Vpc {
    fn placeholder(node: Node) -> Vpc {
        let unknown = |what: &str| {
            Fact::Unknown(format!(
                "the VPC {} is not in the input ({what})",
                node.name()
            ))
        };
        let ext = node.is_external();
        Vpc {
            region: Fact::Unknown("not decided yet".into()),
            region_source: String::new(),
            partition: "aws".into(),
            cidrs: Vec::new(),
            cidr_unknown: ext.then(|| format!("the VPC {} is not in the input", node.name())),
            secondary_unknown: None,
            secondary_blocks: 0,
            dns_support: if ext {
                unknown("DNS support")
            } else {
                Fact::Known(true)
            },
            dns_hostnames: if ext {
                unknown("DNS hostnames")
            } else {
                Fact::Known(false)
            },
            dns_support_unset: false,
            dns_hostnames_unset: false,
            owner_account: None,
            main_route_table: Fact::Unknown("not decided yet".into()),
            default_security_group: None,
            default_network_acl: None,
            dns: Vec::new(),
            hosted_zones: Vec::new(),
            subnets: Vec::new(),
            route_tables: Vec::new(),
            endpoints: Vec::new(),
            security_groups: Vec::new(),
            workloads: Vec::new(),
            joined: Vec::new(),
            node,
        }
    }
}
