//! Route 53 private hosted zones associated with VPCs: `aws_route53_zone` with `vpc` blocks and
//! `aws_route53_zone_association`. A hub VPC may share its interface endpoints with other VPCs
//! through zones named like the services' hostnames (`api.ecr.<region>.amazonaws.com`); the
//! rules read which zones a workload VPC resolves through.

use super::builder::{is_vpc, join_reasons, text, Builder};
use super::registry::{id_node, node_of};
use crate::graph::{Fact, HostedZone, Node, VpcIdx};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    ("aws_route53_zone", &["name", "vpc"]),
    ("aws_route53_zone_association", &["zone_id"]),
];

fn is_zone(r: &Resource) -> bool {
    r.rtype() == "aws_route53_zone"
}

impl Builder<'_> {
    pub(super) fn hosted_zones(&mut self) {
        let model = self.model();
        let mut found: Vec<(Result<Vec<VpcIdx>, String>, usize, HostedZone)> = Vec::new();
        for (i, r) in model.resources.iter().enumerate() {
            if r.is_data() {
                continue;
            }
            match r.rtype() {
                "aws_route53_zone" => {
                    let Some(Value::List(blocks)) = r.get("vpc") else {
                        continue;
                    };
                    for block in blocks {
                        let vpcs = match block.get("vpc_id") {
                            Some(v) => self.vpcs_of_value(r, v),
                            None => Err(format!("{} has a vpc block without vpc_id", r.address)),
                        };
                        let zone = HostedZone {
                            node: node_of(model, r, i),
                            name: zone_name(r),
                            association: node_of(model, r, i),
                            maybe: None,
                        };
                        found.push((vpcs, r.input, zone));
                    }
                }
                "aws_route53_zone_association" => {
                    let (node, name) = self.zone_of(r);
                    let vpcs = match r.get("vpc_id") {
                        Some(v) => self.vpcs_of_value(r, v),
                        None => Err(format!("{} has no vpc_id in the input", r.address)),
                    };
                    let zone = HostedZone {
                        node,
                        name,
                        association: node_of(model, r, i),
                        maybe: None,
                    };
                    found.push((vpcs, r.input, zone));
                }
                _ => {}
            }
        }
        for (vpcs, input, zone) in found {
            match vpcs {
                Ok(list) => {
                    for v in list {
                        self.net.vpcs[v].hosted_zones.push(zone.clone());
                    }
                }
                // An association whose VPC is not decided may be any VPC's of its input.
                Err(why) => {
                    for vpc in &mut self.net.vpcs {
                        if vpc.node.input == Some(input) {
                            vpc.hosted_zones.push(HostedZone {
                                maybe: Some(why.clone()),
                                ..zone.clone()
                            });
                        }
                    }
                }
            }
        }
    }

    /// The VPCs of the graph a value (`vpc_id`) names; VPCs the input knows only by an id it
    /// does not otherwise use are not in the graph and run no workload.
    fn vpcs_of_value(&self, r: &Resource, v: &Value) -> Result<Vec<VpcIdx>, String> {
        let found = self.ix.find(r.input, v, &is_vpc);
        if !found.gaps.is_empty() {
            return Err(format!("{}: {}", r.address, join_reasons(&found.gaps)));
        }
        let mut out: Vec<VpcIdx> = found
            .resources
            .iter()
            .filter_map(|&i| self.vpcs.of_resource(i))
            .chain(found.ids.iter().filter_map(|id| self.vpcs.by_id(id)))
            .collect();
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// The zone an association names, with its name.
    fn zone_of(&self, r: &Resource) -> (Node, Fact<String>) {
        let fallback = |why: String| (Node::default(), Fact::Unknown(why));
        let Some(v) = r.get("zone_id") else {
            return fallback(format!("{} has no zone_id in the input", r.address));
        };
        let want = |x: &Resource| is_zone(x);
        let found = self.ix.find(r.input, v, &want);
        match (found.resources.as_slice(), found.ids.as_slice()) {
            ([one], []) if found.gaps.is_empty() => {
                let x = self.ix.res(*one);
                (node_of(self.ix.model, x, *one), zone_name(x))
            }
            ([], [id]) if found.gaps.is_empty() => (
                id_node(id),
                Fact::Unknown(format!("the hosted zone {id} is not in the input")),
            ),
            _ => fallback(format!(
                "{}.zone_id: {}",
                r.address,
                if found.gaps.is_empty() {
                    "names no single hosted zone of the input".to_string()
                } else {
                    join_reasons(&found.gaps)
                }
            )),
        }
    }
}

fn zone_name(r: &Resource) -> Fact<String> {
    match text(r, "name") {
        Some(n) => Fact::Known(n.trim().trim_end_matches('.').to_ascii_lowercase()),
        None => Fact::Unknown(format!(
            "{}.name is not known before apply{}",
            r.address,
            r.get("name")
                .and_then(Value::undecided_reason)
                .map(|w| format!(" ({w})"))
                .unwrap_or_default()
        )),
    }
}
