//! Subnets (`aws_subnet`, `aws_default_subnet`) with their VPC, CIDR block, zone and public IP
//! setting, and [`Builder::subnets_of`], which endpoints and workloads use to find theirs.

use std::collections::BTreeSet;

use super::builder::{flag, is_subnet, join_reasons, text, Builder};
use super::registry::Placeholder;
use crate::graph::{Fact, Ipv4Net, Node, Subnet, SubnetIdx};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] =
    &[("aws_subnet", SUBNET), ("aws_default_subnet", SUBNET)];
const SUBNET: &[&str] = &["cidr_block", "availability_zone", "map_public_ip_on_launch"];

impl Builder<'_> {
    pub(super) fn subnets(&mut self) {
        let model = self.model();
        for (i, r) in model.resources.iter().enumerate() {
            if is_subnet(r) || (r.is_data() && r.rtype() == "aws_subnet") {
                self.subnets
                    .get_or_insert(&self.ix, &mut self.net.subnets, i, &is_subnet);
            }
        }
        for s in 0..self.net.subnets.len() {
            let Some(i) = self.net.subnets[s].node.resource else {
                continue;
            };
            let r = &model.resources[i];
            let vpc = if r.rtype() == "aws_default_subnet"
                && r.get("vpc_id").is_none_or(Value::is_undecided)
            {
                self.default_vpc_of(r.input)
            } else {
                self.vpc_of(r, "vpc_id")
            };
            let cidr = match r.get("cidr_block") {
                Some(v) => match v.as_str().and_then(Ipv4Net::parse) {
                    Some(n) => Fact::Known(n),
                    None => Fact::Unknown(v.undecided_reason().unwrap_or_else(|| {
                        format!("{}.cidr_block is not an IPv4 block", r.address)
                    })),
                },
                None => Fact::Unknown(format!("{} has no cidr_block in the input", r.address)),
            };
            let az = match text(r, "availability_zone") {
                Some(az) => Fact::Known(az),
                None => Fact::Unknown(format!(
                    "{}.availability_zone is not known before apply",
                    r.address
                )),
            };
            let default_subnet = r.rtype() == "aws_default_subnet";
            let map_public_ip = flag(
                r,
                "map_public_ip_on_launch",
                (!r.is_data()).then_some(default_subnet),
            );
            let zone_ref = zone_by_position(r.get("availability_zone"));
            let sub = &mut self.net.subnets[s];
            sub.vpc = vpc;
            sub.cidr = cidr;
            sub.az = az;
            sub.zone_ref = zone_ref;
            sub.map_public_ip = map_public_ip;
        }
    }

    /// The subnets a value (`subnets`, `subnet_ids`) points at, and why the list may be
    /// incomplete.
    pub(super) fn subnets_of(
        &mut self,
        r: &Resource,
        v: Option<&Value>,
        what: &str,
    ) -> (Vec<SubnetIdx>, Option<String>) {
        let Some(v) = v else {
            return (
                Vec::new(),
                Some(format!("{} has no {what} in the input", r.address)),
            );
        };
        let want = |x: &Resource| is_subnet(x) || (x.is_data() && x.rtype() == "aws_subnet");
        let found = self.ix.find(r.input, v, &want);
        let mut out = BTreeSet::new();
        for &i in &found.resources {
            out.insert(
                self.subnets
                    .get_or_insert(&self.ix, &mut self.net.subnets, i, &is_subnet),
            );
        }
        for id in &found.ids {
            out.insert(self.subnets.get_or_insert_id(&mut self.net.subnets, id));
        }
        let mut gaps = found.gaps.clone();
        for (i, attr) in &found.others {
            gaps.push(format!(
                "{} refers to {}{} for subnets",
                r.address,
                self.ix.res(*i).address,
                attr.as_ref().map(|a| format!(".{a}")).unwrap_or_default()
            ));
        }
        let gap =
            (!gaps.is_empty()).then(|| format!("{}.{what}: {}", r.address, join_reasons(&gaps)));
        (out.into_iter().collect(), gap)
    }
}

/// `data.aws_availability_zones.<name>.names[<i>]`, when a zone not known before apply is
/// exactly that (see [`crate::graph::Subnet::zone_ref`]).
fn zone_by_position(v: Option<&Value>) -> Option<String> {
    let Some(Value::Unknown(u)) = v else {
        return None;
    };
    let t = u.starts_with.as_ref()?;
    let attr = t.attr.as_deref()?;
    let index = attr.strip_prefix("names[")?.strip_suffix(']')?;
    let zones = t.address.rsplit('.').nth(1) == Some("aws_availability_zones")
        && t.address.contains("data.");
    (u.marked.is_none()
        && u.prefix.is_none()
        && zones
        && !index.is_empty()
        && index.bytes().all(|b| b.is_ascii_digit()))
    .then(|| format!("{}.{attr}", t.address))
}

/// A subnet before its attributes are read, or one the input names only by id.
impl Placeholder for Subnet {
    fn placeholder(node: Node) -> Subnet {
        let why = format!("the subnet {} is not in the input", node.name());
        Subnet {
            vpc: Fact::Unknown(why.clone()),
            cidr: Fact::Unknown(why.clone()),
            az: Fact::Unknown(why.clone()),
            zone_ref: None,
            map_public_ip: Fact::Unknown(why.clone()),
            route_table: Fact::Unknown(why),
            route_table_candidates: Vec::new(),
            association: None,
            network_acl: crate::graph::SubnetAcl::VpcDefault,
            node,
        }
    }
}
