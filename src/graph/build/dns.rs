//! The DNS settings of VPCs: the DHCP options set each is associated with
//! (`aws_vpc_dhcp_options_association` → `aws_vpc_dhcp_options`, or the account's default set,
//! `aws_default_vpc_dhcp_options`), and the Route 53 Resolver rules associated with it
//! (`aws_route53_resolver_rule_association` → `aws_route53_resolver_rule`). They decide whether
//! the VPC's DNS queries reach the Amazon-provided resolver, the one that answers interface
//! endpoints' private DNS names (PP203).

use super::builder::{join_reasons, text, Builder};
use super::registry::{id_node, node_of};
use crate::graph::{DnsSetting, DnsSettingKind, Fact, Node};

use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    ("aws_vpc_dhcp_options", &["domain_name_servers"]),
    ("aws_default_vpc_dhcp_options", &["domain_name_servers"]),
    ("aws_vpc_dhcp_options_association", &["dhcp_options_id"]),
    ("aws_route53_resolver_rule", &["domain_name", "rule_type"]),
    (
        "aws_route53_resolver_rule_association",
        &["resolver_rule_id"],
    ),
];

/// What the account's default DHCP options set names: "The default DHCP option set specifies
/// AmazonProvidedDNS" (EC2 API Reference, CreateDhcpOptions); a set cannot be changed.
const AMAZON_PROVIDED_DNS: &str = "AmazonProvidedDNS";

fn is_dhcp_options(r: &Resource) -> bool {
    matches!(
        r.rtype(),
        "aws_vpc_dhcp_options" | "aws_default_vpc_dhcp_options"
    )
}

fn is_resolver_rule(r: &Resource) -> bool {
    r.rtype() == "aws_route53_resolver_rule"
}

impl Builder<'_> {
    /// Adds to each VPC the DHCP options set and Resolver rules associated with it. An
    /// association whose VPC is not decided may be any VPC's of its input: each gets it, marked
    /// `maybe`.
    pub(super) fn dns_settings(&mut self) {
        let model = self.model();
        let mut floating: Vec<(usize, DnsSetting)> = Vec::new();
        for (i, r) in model.resources.iter().enumerate() {
            if r.is_data() {
                continue;
            }
            let setting = match r.rtype() {
                "aws_vpc_dhcp_options_association" => self.dhcp_setting(r, i),
                "aws_route53_resolver_rule_association" => self.resolver_setting(r, i),
                _ => continue,
            };
            match self.vpc_of(r, "vpc_id") {
                Fact::Known(v) => self.net.vpcs[v].dns.push(setting),
                Fact::Unknown(why) => floating.push((
                    r.input,
                    DnsSetting {
                        maybe: Some(why),
                        ..setting
                    },
                )),
            }
        }
        for (input, setting) in floating {
            for vpc in &mut self.net.vpcs {
                if vpc.node.input == Some(input) {
                    vpc.dns.push(setting.clone());
                }
            }
        }
    }

    fn dhcp_setting(&self, r: &Resource, i: usize) -> DnsSetting {
        let (node, found) = self.associated(r, i, "dhcp_options_id", &is_dhcp_options);
        let kind = DnsSettingKind::NameServers(match found {
            Err(why) => Fact::Unknown(why),
            Ok(x) if x.rtype() == "aws_default_vpc_dhcp_options" => {
                Fact::Known(vec![AMAZON_PROVIDED_DNS.to_string()])
            }
            Ok(x) => name_servers(x),
        });
        DnsSetting {
            node,
            association: node_of(self.ix.model, r, i),
            maybe: None,
            kind,
        }
    }

    fn resolver_setting(&self, r: &Resource, i: usize) -> DnsSetting {
        let (node, found) = self.associated(r, i, "resolver_rule_id", &is_resolver_rule);
        let kind = match found {
            Err(why) => DnsSettingKind::ResolverRule {
                rule_type: Fact::Unknown(why.clone()),
                domain: Fact::Unknown(why),
            },
            Ok(x) => {
                let field = |key: &str| match text(x, key) {
                    Some(t) => Fact::Known(t),
                    None => Fact::Unknown(format!(
                        "{}.{key} is not known before apply{}",
                        x.address,
                        x.get(key)
                            .and_then(Value::undecided_reason)
                            .map(|w| format!(" ({w})"))
                            .unwrap_or_default()
                    )),
                };
                DnsSettingKind::ResolverRule {
                    rule_type: field("rule_type").map(|t| t.to_ascii_uppercase()),
                    domain: field("domain_name")
                        .map(|d| d.trim().trim_end_matches('.').to_ascii_lowercase()),
                }
            }
        };
        DnsSetting {
            node,
            association: node_of(self.ix.model, r, i),
            maybe: None,
            kind,
        }
    }

    /// The resource an association's `key` names (one of `want`), with its node; the node
    /// known by id, or the association's own, when it is not in the input.
    fn associated<'m>(
        &'m self,
        r: &Resource,
        i: usize,
        key: &str,
        want: &dyn Fn(&Resource) -> bool,
    ) -> (Node, Result<&'m Resource, String>) {
        let Some(v) = r.get(key) else {
            return (
                node_of(self.ix.model, r, i),
                Err(format!("{} has no {key} in the input", r.address)),
            );
        };
        let found = self.ix.find(r.input, v, want);
        match (found.resources.as_slice(), found.ids.as_slice()) {
            ([one], []) if found.gaps.is_empty() => {
                let x = self.ix.res(*one);
                (node_of(self.ix.model, x, *one), Ok(x))
            }
            ([], [id]) if found.gaps.is_empty() => (
                id_node(id),
                Err(format!(
                    "{id}, which {} names, is not in the input",
                    r.address
                )),
            ),
            _ => {
                let why = if found.gaps.is_empty() {
                    format!("{}.{key} names no single resource of the input", r.address)
                } else {
                    format!("{}.{key}: {}", r.address, join_reasons(&found.gaps))
                };
                (node_of(self.ix.model, r, i), Err(why))
            }
        }
    }
}

/// `domain_name_servers` of an `aws_vpc_dhcp_options`: a list of addresses or
/// `AmazonProvidedDNS` (the provider also accepts one comma-separated string). A set that
/// names no servers (only a `domain_name`, say) leaves the option at its default,
/// `AmazonProvidedDNS`.
fn name_servers(x: &Resource) -> Fact<Vec<String>> {
    let Some(v) = x
        .get("domain_name_servers")
        .filter(|v| !v.is_null() && !v.is_not_configured())
    else {
        return Fact::Known(vec![AMAZON_PROVIDED_DNS.to_string()]);
    };
    let items: Vec<&Value> = match v {
        Value::List(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut out = Vec::new();
    for item in items {
        match item.as_text() {
            Some(t) => out.extend(
                t.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            ),
            None => {
                return Fact::Unknown(format!(
                    "{}.domain_name_servers is not known before apply ({})",
                    x.address,
                    v.undecided_reason().unwrap_or_default()
                ))
            }
        }
    }
    if out.is_empty() {
        out.push(AMAZON_PROVIDED_DNS.to_string());
    }
    Fact::Known(out)
}
