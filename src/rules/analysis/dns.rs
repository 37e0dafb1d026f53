//! Whether a VPC's DNS queries for a service's hostname reach the Amazon-provided resolver,
//! which answers interface endpoints' private DNS names (DOMAIN.md §2, DNS): a DHCP options set
//! with other name servers, or a Route 53 Resolver rule that forwards the name elsewhere, can
//! bypass it.

use super::scope::Scope;
use crate::aws::Service;
use crate::graph::*;

/// Something that may keep a service's hostname from resolving through the Amazon-provided
/// resolver.
#[derive(Clone, Debug, PartialEq)]
pub struct DnsBypass {
    /// Decided (the setting applies and bypasses); else it only may.
    pub certain: bool,
    /// What it does, for messages.
    pub why: String,
    /// The DHCP options set or the Resolver rule.
    pub node: Node,
}

impl Scope<'_> {
    /// What may keep `svc`'s hostname in this VPC from resolving through the Amazon-provided
    /// resolver (and so to an endpoint's private DNS): the decided bypass first; `None` when
    /// nothing of the input does.
    pub fn dns_bypass(&self, svc: Service) -> Option<DnsBypass> {
        let v = self.vpc()?;
        let vpc = &self.net.vpcs[v];
        let mut found: Vec<DnsBypass> = Vec::new();
        found.extend(name_servers(vpc));
        found.extend(resolver_rules(vpc, &self.hostname_domain(svc)));
        found.sort_by_key(|b| !b.certain);
        found.into_iter().next()
    }

    /// The hostname the agents call for `svc` in the VPC's region, without the labels that
    /// vary (`dkr.ecr.us-west-2.amazonaws.com` for `<account>.dkr.ecr…`); `None` when the
    /// region is not known.
    fn hostname_domain(&self, svc: Service) -> Option<String> {
        let region = self.region()?;
        let host = crate::aws::service_hostname(svc.short(), region);
        let labels: Vec<&str> = host
            .split('.')
            .skip_while(|l| l.contains('<') || l.contains('*'))
            .collect();
        Some(labels.join("."))
    }
}

/// A private hosted zone of the VPC that answers for a service's hostname: the service is
/// reached through an endpoint elsewhere (a hub VPC).
#[derive(Clone, Debug, PartialEq)]
pub struct CentralZone {
    /// The zone is surely associated with the VPC and surely named for the service.
    pub certain: bool,
    /// The zone, for messages: `aws_route53_zone.ecr_api (api.ecr.us-west-2.amazonaws.com)`.
    pub text: String,
}

impl Scope<'_> {
    /// The private hosted zone of the VPC named for `svc`'s hostname (or a parent of it short of
    /// the partition's domain), if any: DOMAIN.md §2, centralised endpoints. S3 gateway
    /// endpoints cannot be shared this way: `None` for S3.
    pub fn central_zone(&self, svc: Service) -> Option<CentralZone> {
        if !svc.is_interface() {
            return None;
        }
        let v = self.vpc()?;
        let host = self.hostname_domain(svc)?;
        let suffix = crate::aws::dns_suffix(self.partition());
        let mut best: Option<CentralZone> = None;
        for z in &self.net.vpcs[v].hosted_zones {
            let (certain, text) = match &z.name {
                // A zone for the partition's whole domain (or above) is not a service's zone.
                Fact::Known(n)
                    if (host == *n || host.ends_with(&format!(".{n}")))
                        && n.len() > suffix.len() =>
                {
                    (z.maybe.is_none(), format!("{} ({n})", z.node.name()))
                }
                Fact::Known(_) => continue,
                Fact::Unknown(why) => (false, format!("{} (name not known: {why})", z.node.name())),
            };
            let text = match &z.maybe {
                Some(m) => format!("{text}, if it is this VPC's ({m})"),
                None => text,
            };
            if best.as_ref().is_none_or(|b| certain && !b.certain) {
                best = Some(CentralZone { certain, text });
            }
        }
        best
    }
}

/// Whether a DHCP name server is the VPC's Amazon resolver: `AmazonProvidedDNS`, its address
/// at the base of the VPC's primary IPv4 range plus two, `169.254.169.253`, or `fd00:ec2::253`
/// (VPC User Guide, "Amazon DNS server").
fn is_amazon_resolver(vpc: &Vpc, server: &str) -> bool {
    if server.eq_ignore_ascii_case("AmazonProvidedDNS")
        || server == "169.254.169.253"
        || server.eq_ignore_ascii_case("fd00:ec2::253")
    {
        return true;
    }
    let Ok(ip) = server.parse::<std::net::Ipv4Addr>() else {
        return false;
    };
    // The first CIDR read is the VPC's own `cidr_block` (its primary range).
    vpc.cidrs
        .first()
        .is_some_and(|c| u32::from(ip) == c.addr.wrapping_add(2))
}

/// A DHCP options set that names servers other than `AmazonProvidedDNS`.
fn name_servers(vpc: &Vpc) -> Vec<DnsBypass> {
    let mut out = Vec::new();
    for s in &vpc.dns {
        let DnsSettingKind::NameServers(servers) = &s.kind else {
            continue;
        };
        let maybe = s
            .maybe
            .as_ref()
            .map(|m| format!(" (if it is this VPC's: {m})"))
            .unwrap_or_default();
        match servers {
            Fact::Known(list) => {
                if list.iter().all(|x| is_amazon_resolver(vpc, x)) {
                    continue;
                }
                out.push(DnsBypass {
                    certain: s.maybe.is_none(),
                    why: format!(
                        "{} uses the DHCP options set {}{maybe}, whose domain_name_servers = [{}] are not only AmazonProvidedDNS: instances may ask those servers, which do not answer with the endpoints' private addresses unless they forward to the VPC's resolver",
                        vpc.node.name(),
                        s.node.name(),
                        list.join(", ")
                    ),
                    node: s.node.clone(),
                });
            }
            Fact::Unknown(why) => out.push(DnsBypass {
                certain: false,
                why: format!(
                    "{} uses the DHCP options set {}{maybe}, whose name servers are not known: {why}",
                    vpc.node.name(),
                    s.node.name()
                ),
                node: s.node.clone(),
            }),
        }
    }
    out
}

/// The Resolver rules of the VPC for `host` (`None`: the region, and so the name, is not
/// known): Resolver uses the rule with the most specific matching domain (Route 53 Developer
/// Guide, "How Resolver determines whether the domain name in a query matches any rules"); a
/// `FORWARD` (or `DELEGATE`) rule sends the query out of the VPC's resolver.
fn resolver_rules(vpc: &Vpc, host: &Option<String>) -> Vec<DnsBypass> {
    let mut decided: Option<(usize, &DnsSetting, bool)> = None; // (labels, rule, forwards)
    let mut undecided: Vec<(&DnsSetting, String)> = Vec::new();
    for s in &vpc.dns {
        let DnsSettingKind::ResolverRule { rule_type, domain } = &s.kind else {
            continue;
        };
        let forwards = rule_type
            .known()
            .map(|t| matches!(t.as_str(), "FORWARD" | "DELEGATE"));
        if forwards == Some(false) && s.maybe.is_some() {
            continue;
        }
        let (Some(d), Some(host)) = (domain.known(), host.as_ref()) else {
            if forwards != Some(false) {
                let why = domain
                    .reason()
                    .map(str::to_string)
                    .unwrap_or_else(|| "the VPC's region is not known".to_string());
                undecided.push((s, why));
            }
            continue;
        };
        if !covers(d, host) {
            continue;
        }
        let labels = if d.is_empty() {
            0
        } else {
            d.split('.').count()
        };
        match (forwards, &s.maybe) {
            (Some(f), None) => {
                if decided.is_none_or(|(n, _, _)| labels > n) {
                    decided = Some((labels, s, f));
                }
            }
            (_, maybe) => undecided.push((
                s,
                maybe
                    .clone()
                    .or_else(|| rule_type.reason().map(str::to_string))
                    .unwrap_or_default(),
            )),
        }
    }
    let describe = |s: &DnsSetting| match &s.kind {
        DnsSettingKind::ResolverRule { rule_type, domain } => format!(
            "the Route 53 Resolver rule {} ({}{})",
            s.node.name(),
            rule_type
                .known()
                .map_or("rule_type not known", String::as_str),
            domain
                .known()
                .map(|d| format!(" for {}", if d.is_empty() { "." } else { d }))
                .unwrap_or_default()
        ),
        _ => s.node.name(),
    };
    let host_text = host.as_deref().unwrap_or("the service's hostname");
    let decided_labels = decided.map_or(0, |(n, _, _)| n);
    // A rule that may apply but is less specific than a decided one does not change it.
    let undecided: Vec<(&DnsSetting, String)> = undecided
        .into_iter()
        .filter(|(s, _)| {
            let labels = match &s.kind {
                DnsSettingKind::ResolverRule {
                    domain: Fact::Known(d),
                    ..
                } if !d.is_empty() => d.split('.').count(),
                _ => usize::MAX,
            };
            decided.is_none() || labels > decided_labels
        })
        .collect();
    let mut out = Vec::new();
    if let Some((_, s, true)) = decided {
        out.push(DnsBypass {
            // A more specific rule that may apply may be a SYSTEM rule that takes the name back.
            certain: undecided.is_empty(),
            why: format!(
                "{} is associated with {}, which sends queries for {host_text} to other DNS servers instead of the VPC's resolver (the one that answers the endpoints' private DNS names)",
                vpc.node.name(),
                describe(s)
            ),
            node: s.node.clone(),
        });
    }
    for (s, why) in undecided {
        out.push(DnsBypass {
            certain: false,
            why: format!(
                "{} may be associated with {}, which may send queries for {host_text} to other DNS servers instead of the VPC's resolver: {why}",
                vpc.node.name(),
                describe(s)
            ),
            node: s.node.clone(),
        });
    }
    out
}

/// Whether a Resolver rule for `domain` matches queries for `host`: the same name or a
/// subdomain of it (the root, empty, matches every name).
fn covers(domain: &str, host: &str) -> bool {
    domain.is_empty() || host == domain || host.ends_with(&format!(".{domain}"))
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn rule_domains_cover_their_subdomains() {
        let host = "dkr.ecr.us-west-2.amazonaws.com";
        for d in ["", "com", "amazonaws.com", "us-west-2.amazonaws.com", host] {
            assert!(covers(d, host), "{d}");
        }
        for d in ["ws.com", "api.ecr.us-west-2.amazonaws.com", "example.com"] {
            assert!(!covers(d, host), "{d}");
        }
    }
}
