//! Security groups (`aws_security_group`, `aws_default_security_group`) with their inline
//! rules, the VPC's default group (managed or implicit with AWS's stock rules), and
//! [`Builder::sgs_of`].

use std::collections::BTreeSet;

use super::builder::{is_sg, is_vpc, join_reasons, Builder};
use super::registry::Placeholder;
use crate::graph::{Fact, Ipv4Net, Node, Peer, Protocol, SecurityGroup, SgIdx, SgRule, VpcIdx};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    ("aws_security_group", GROUP),
    ("aws_default_security_group", GROUP),
];
const GROUP: &[&str] = &["ingress", "egress"];

impl Builder<'_> {
    pub(super) fn security_groups(&mut self) {
        let model = self.model();
        let want = |x: &Resource| is_sg(x) || (x.is_data() && x.rtype() == "aws_security_group");
        for (i, r) in model.resources.iter().enumerate() {
            if want(r) {
                self.sgs
                    .get_or_insert(&self.ix, &mut self.net.security_groups, i, &is_sg);
            }
        }
        for g in 0..self.net.security_groups.len() {
            let Some(i) = self.net.security_groups[g].node.resource else {
                continue;
            };
            let r = &model.resources[i];
            let is_default = r.rtype() == "aws_default_security_group";
            let vpc = if r
                .get("vpc_id")
                .is_none_or(|v| v.is_null() || v.is_not_configured())
                && !r.is_data()
            {
                Fact::Unknown(format!(
                    "{} sets no vpc_id (the account's default VPC)",
                    r.address
                ))
            } else {
                self.vpc_of(r, "vpc_id")
            };
            let mut ingress = Vec::new();
            let mut egress = Vec::new();
            let mut unknown = None;
            if r.is_data() {
                unknown = Some(format!(
                    "the rules of {} are not in the input (a data source)",
                    r.address
                ));
            } else {
                for (key, out) in [("ingress", &mut ingress), ("egress", &mut egress)] {
                    match r.get(key) {
                        Some(Value::List(items)) => {
                            for item in items {
                                out.extend(self.inline_rules(r, i, g, item));
                            }
                        }
                        None | Some(Value::Null) => {}
                        Some(v) if v.is_not_configured() => {}
                        Some(v) => {
                            unknown.get_or_insert(format!(
                                "{}.{key} is not known before apply ({})",
                                r.address,
                                v.undecided_reason().unwrap_or_default()
                            ));
                        }
                    }
                }
            }
            if let (true, Fact::Known(v)) = (is_default, &vpc) {
                self.net.vpcs[*v].default_security_group = Some(g);
            }
            let sg = &mut self.net.security_groups[g];
            sg.vpc = vpc;
            sg.is_default = is_default;
            sg.ingress = ingress;
            sg.egress = egress;
            sg.rules_unknown = unknown;
        }
    }

    /// The VPC's default security group: the managed `aws_default_security_group`, or an
    /// implicit node with AWS's stock rules (all traffic from members; all traffic out).
    pub(super) fn default_sg_of(&mut self, vpc: VpcIdx) -> SgIdx {
        if let Some(g) = self.net.vpcs[vpc].default_security_group {
            return g;
        }
        if let Some(&g) = self.implicit_default_sg.get(&vpc) {
            return g;
        }
        let vpc_node = self.net.vpcs[vpc].node.clone();
        let g = self.sgs.add(
            &mut self.net.security_groups,
            SecurityGroup::placeholder(Node {
                address: Some(format!("{} (default security group)", vpc_node.name())),
                ..Node::default()
            }),
        );
        let sg = &mut self.net.security_groups[g];
        sg.vpc = Fact::Known(vpc);
        sg.is_default = true;
        sg.implicit = true;
        if vpc_node.resource.is_some() && !vpc_node.data {
            sg.rules_unknown = None;
            let node = sg.node.clone();
            sg.ingress.push(SgRule {
                node: node.clone(),
                protocol: Fact::Known(Protocol::All),
                from_port: None,
                to_port: None,
                peer: Peer::SecurityGroup(g),
            });
            sg.egress.push(SgRule {
                node,
                protocol: Fact::Known(Protocol::All),
                from_port: None,
                to_port: None,
                peer: Peer::Cidr(Ipv4Net { addr: 0, prefix: 0 }),
            });
        } else {
            sg.rules_unknown = Some(format!(
                "the default security group of {} is not in the input",
                vpc_node.name()
            ));
        }
        self.implicit_default_sg.insert(vpc, g);
        self.net.vpcs[vpc].default_security_group = Some(g);
        g
    }

    /// The security groups a value points at. `aws_vpc.x.default_security_group_id` means the
    /// VPC's default group.
    pub(super) fn sgs_of(
        &mut self,
        r: &Resource,
        v: Option<&Value>,
        what: &str,
    ) -> (Vec<SgIdx>, Option<String>) {
        let Some(v) = v else {
            return (Vec::new(), None);
        };
        let want = |x: &Resource| is_sg(x) || (x.is_data() && x.rtype() == "aws_security_group");
        let found = self.ix.find(r.input, v, &want);
        let mut out = BTreeSet::new();
        for &i in &found.resources {
            out.insert(
                self.sgs
                    .get_or_insert(&self.ix, &mut self.net.security_groups, i, &is_sg),
            );
        }
        for id in &found.ids {
            out.insert(self.sgs.get_or_insert_id(&mut self.net.security_groups, id));
        }
        let mut gaps = found.gaps.clone();
        for (i, attr) in &found.others {
            let x = self.ix.res(*i);
            if is_vpc(x) && attr.as_deref() == Some("default_security_group_id") {
                if let Some(vpc) = self.vpcs.of_resource(*i) {
                    out.insert(self.default_sg_of(vpc));
                    continue;
                }
            }
            gaps.push(format!("refers to {} for a security group", x.address));
        }
        for l in &found.literals {
            gaps.push(format!("{l:?} is not a security group id"));
        }
        let gap =
            (!gaps.is_empty()).then(|| format!("{}.{what}: {}", r.address, join_reasons(&gaps)));
        (out.into_iter().collect(), gap)
    }
}

/// A security group before its rules are read, or one the input names only by id.
impl Placeholder for SecurityGroup {
    fn placeholder(node: Node) -> SecurityGroup {
        let why = format!("the security group {} is not in the input", node.name());
        SecurityGroup {
            vpc: Fact::Unknown(why.clone()),
            is_default: false,
            implicit: false,
            ingress: Vec::new(),
            egress: Vec::new(),
            rules_unknown: node.is_external().then_some(why),
            node,
        }
    }
}
