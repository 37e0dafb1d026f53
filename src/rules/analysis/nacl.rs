//! Network ACL evaluation: what one direction of a network ACL does to a flow (a peer's
//! addresses and a TCP port range). Rules are evaluated in `rule_number` order, the first rule
//! that matches a packet decides, and a packet that no rule matches is denied (Amazon VPC User
//! Guide, "Network ACL rules"). A flow is a set of packets: the answer says whether all, some or
//! none of them are allowed, or that the input does not decide it.

use crate::graph::*;

/// The other side of a flow.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Peer {
    /// Addresses in this block (an endpoint's or a workload's subnet).
    Cidr(Ipv4Net),
    /// Amazon S3's public addresses, which the input does not list (NACLs cannot name the
    /// prefix list): only `0.0.0.0/0` is sure to cover them, and private ranges never do.
    S3,
    /// The public addresses of the services a pull reaches through NAT or an internet gateway
    /// (ECR, S3, CloudWatch Logs, other registries): as for [`Peer::S3`].
    Internet,
}

/// What one direction of a network ACL does to a flow.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Allow,
    /// Every packet is denied: by this rule (`rule 100`, or the implicit deny).
    Deny(String),
    /// Part of the flow (some addresses or ports) is denied, by this rule.
    Partial(String),
    Unknown(String),
}

/// One box of the flow: an address range and a port range (inclusive).
#[derive(Clone, Copy, Debug)]
struct Region {
    addrs: (u64, u64),
    ports: (i64, i64),
}

/// How a rule's addresses meet the peer.
enum Addrs {
    Range(u64, u64),
    None,
    Maybe(String),
}

fn range_of(n: &Ipv4Net) -> (u64, u64) {
    let lo = u64::from(n.addr);
    let size = 1u64 << (32 - u32::from(n.prefix));
    (lo, lo + size - 1)
}

/// Private and special-use ranges, which never hold S3's public addresses.
fn is_private(n: &Ipv4Net) -> bool {
    [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
    ]
    .iter()
    .filter_map(|b| Ipv4Net::parse(b))
    .any(|b| b.contains(n))
}

/// Describes a rule for messages: `rule 100 (deny tcp 443 from 0.0.0.0/0)`.
pub fn describe(rule: &NaclRule) -> String {
    let number = match &rule.number {
        Fact::Known(n) => format!("rule {n}"),
        Fact::Unknown(_) => "a rule".to_string(),
    };
    let action = match rule.allow {
        Fact::Known(true) => "allow",
        Fact::Known(false) => "deny",
        Fact::Unknown(_) => "allow or deny",
    };
    let proto = match &rule.protocol {
        Fact::Known(Protocol::All) => "all traffic".to_string(),
        Fact::Known(p) => {
            let name = match p {
                Protocol::Tcp => "tcp".to_string(),
                Protocol::Udp => "udp".to_string(),
                Protocol::Icmp => "icmp".to_string(),
                Protocol::Other(o) => format!("protocol {o}"),
                Protocol::All => unreachable!(),
            };
            match rule.ports {
                Fact::Known((f, t)) if f == t => format!("{name} {f}"),
                Fact::Known((f, t)) => format!("{name} {f}-{t}"),
                Fact::Unknown(_) => format!("{name} (ports not known)"),
            }
        }
        Fact::Unknown(_) => "(protocol not known)".to_string(),
    };
    let cidr = match &rule.cidr {
        Fact::Known(NaclCidr::V4(n)) => n.to_string(),
        Fact::Known(NaclCidr::V6(s)) => s.clone(),
        Fact::Unknown(_) => "(CIDR not known)".to_string(),
    };
    format!("{number} ({action} {proto} {cidr})")
}

/// What `rules` (one direction of a network ACL, in order) do to TCP packets to or from
/// `peer` on `ports`. `rules_unknown`: why the list may be incomplete.
pub fn evaluate(
    rules: &[NaclRule],
    rules_unknown: Option<&str>,
    peer: Peer,
    ports: (i64, i64),
) -> Outcome {
    let whole = match peer {
        Peer::Cidr(n) => range_of(&n),
        Peer::S3 | Peer::Internet => (0, 0),
    };
    let public = match peer {
        Peer::S3 => Some("Amazon S3's addresses"),
        Peer::Internet => Some("the addresses of the public endpoints the pull reaches"),
        Peer::Cidr(_) => None,
    };
    let mut remaining = vec![Region {
        addrs: whole,
        ports,
    }];
    let mut allowed = false;
    let mut denied: Option<String> = None;
    let mut maybe_allow: Option<String> = None;
    let mut maybe_deny: Option<String> = None;
    for rule in rules {
        if remaining.is_empty() {
            break;
        }
        let mut doubt: Option<String> = None;
        let rule_ports = match &rule.protocol {
            Fact::Known(Protocol::All) => (0, 65535),
            Fact::Known(Protocol::Tcp) => match rule.ports {
                Fact::Known(p) => p,
                Fact::Unknown(ref why) => {
                    doubt.get_or_insert(why.clone());
                    (0, 65535)
                }
            },
            Fact::Known(_) => continue,
            Fact::Unknown(why) => {
                doubt.get_or_insert(why.clone());
                (0, 65535)
            }
        };
        let addrs = match (&rule.cidr, peer) {
            (Fact::Known(NaclCidr::V6(_)), _) => Addrs::None,
            (Fact::Known(NaclCidr::V4(n)), Peer::Cidr(_)) => {
                let (lo, hi) = range_of(n);
                Addrs::Range(lo, hi)
            }
            (Fact::Known(NaclCidr::V4(n)), _) if public.is_some() && n.is_any() => {
                Addrs::Range(0, 0)
            }
            (Fact::Known(NaclCidr::V4(n)), _) if public.is_some() && is_private(n) => Addrs::None,
            (Fact::Known(NaclCidr::V4(n)), _) => Addrs::Maybe(format!(
                "whether {n} holds {} is not known (they are not in the input)",
                public.unwrap_or("the peer's addresses")
            )),
            (Fact::Unknown(why), _) => Addrs::Maybe(why.clone()),
        };
        let (lo, hi) = match addrs {
            Addrs::None => continue,
            Addrs::Range(lo, hi) => (lo, hi),
            Addrs::Maybe(why) => {
                doubt.get_or_insert(why);
                (0, u64::MAX)
            }
        };
        if let Fact::Unknown(why) = &rule.number {
            doubt.get_or_insert(why.clone());
        }
        let action = match &rule.allow {
            Fact::Known(a) => Some(*a),
            Fact::Unknown(why) => {
                doubt.get_or_insert(why.clone());
                None
            }
        };
        if let Some(why) = doubt {
            // The rule may or may not match: it cannot take its packets out of the flow.
            let overlaps = remaining.iter().any(|r| {
                r.ports.0 <= rule_ports.1
                    && rule_ports.0 <= r.ports.1
                    && r.addrs.0 <= hi
                    && lo <= r.addrs.1
            });
            if overlaps {
                let text = format!("{}: {why}", describe(rule));
                if action != Some(false) {
                    maybe_allow.get_or_insert(text.clone());
                }
                if action != Some(true) {
                    maybe_deny.get_or_insert(text);
                }
            }
            continue;
        }
        let allow = action == Some(true);
        let mut next = Vec::new();
        for r in remaining {
            let a = (r.addrs.0.max(lo), r.addrs.1.min(hi));
            let p = (r.ports.0.max(rule_ports.0), r.ports.1.min(rule_ports.1));
            if a.0 > a.1 || p.0 > p.1 {
                next.push(r);
                continue;
            }
            if allow {
                allowed = true;
            } else {
                denied.get_or_insert_with(|| describe(rule));
            }
            // What the rule leaves: addresses below and above it, then ports beside it.
            if r.addrs.0 < a.0 {
                next.push(Region {
                    addrs: (r.addrs.0, a.0 - 1),
                    ports: r.ports,
                });
            }
            if a.1 < r.addrs.1 {
                next.push(Region {
                    addrs: (a.1 + 1, r.addrs.1),
                    ports: r.ports,
                });
            }
            if r.ports.0 < p.0 {
                next.push(Region {
                    addrs: a,
                    ports: (r.ports.0, p.0 - 1),
                });
            }
            if p.1 < r.ports.1 {
                next.push(Region {
                    addrs: a,
                    ports: (p.1 + 1, r.ports.1),
                });
            }
        }
        remaining = next;
    }
    if let Some(why) = rules_unknown {
        maybe_allow.get_or_insert(why.to_string());
        maybe_deny.get_or_insert(why.to_string());
    }
    if !remaining.is_empty() {
        denied.get_or_insert_with(|| "the implicit deny (no rule matches)".to_string());
    }
    match denied {
        None => match maybe_deny {
            None => Outcome::Allow,
            Some(why) => Outcome::Unknown(why),
        },
        Some(by) => match maybe_allow {
            Some(why) => Outcome::Unknown(format!("{by} denies part of it, but {why}")),
            None if allowed => Outcome::Partial(by),
            None => Outcome::Deny(by),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(n: i64, allow: bool, proto: Protocol, ports: (i64, i64), cidr: &str) -> NaclRule {
        NaclRule {
            node: Node::default(),
            number: Fact::Known(n),
            allow: Fact::Known(allow),
            protocol: Fact::Known(proto),
            ports: Fact::Known(ports),
            cidr: Fact::Known(NaclCidr::V4(Ipv4Net::parse(cidr).unwrap())),
        }
    }

    fn net(s: &str) -> Peer {
        Peer::Cidr(Ipv4Net::parse(s).unwrap())
    }

    const HTTPS: (i64, i64) = (443, 443);
    const EPHEMERAL: (i64, i64) = (1024, 65535);

    #[test]
    fn allow_all_allows() {
        let rules = [rule(100, true, Protocol::All, (0, 0), "0.0.0.0/0")];
        assert_eq!(
            evaluate(&rules, None, net("10.0.1.0/24"), HTTPS),
            Outcome::Allow
        );
        assert_eq!(evaluate(&rules, None, Peer::S3, HTTPS), Outcome::Allow);
    }

    #[test]
    fn no_rule_is_the_implicit_deny() {
        assert!(matches!(
            evaluate(&[], None, net("10.0.1.0/24"), HTTPS),
            Outcome::Deny(_)
        ));
    }

    #[test]
    fn first_match_wins() {
        let rules = [
            rule(100, false, Protocol::Tcp, HTTPS, "10.0.0.0/16"),
            rule(200, true, Protocol::All, (0, 0), "0.0.0.0/0"),
        ];
        assert_eq!(
            evaluate(&rules, None, net("10.0.1.0/24"), HTTPS),
            Outcome::Deny("rule 100 (deny tcp 443 10.0.0.0/16)".into())
        );
        assert_eq!(
            evaluate(&rules, None, net("10.1.1.0/24"), HTTPS),
            Outcome::Allow
        );
    }

    #[test]
    fn part_of_a_range_is_partial() {
        let rules = [rule(100, true, Protocol::Tcp, (32768, 65535), "0.0.0.0/0")];
        assert!(matches!(
            evaluate(&rules, None, net("10.0.1.0/24"), EPHEMERAL),
            Outcome::Partial(_)
        ));
        let rules = [rule(100, true, Protocol::Tcp, (1024, 65535), "10.0.0.0/16")];
        assert_eq!(
            evaluate(&rules, None, net("10.0.1.0/24"), EPHEMERAL),
            Outcome::Allow
        );
        let rules = [rule(100, true, Protocol::Tcp, HTTPS, "10.0.1.0/25")];
        assert!(matches!(
            evaluate(&rules, None, net("10.0.1.0/24"), HTTPS),
            Outcome::Partial(_)
        ));
    }

    #[test]
    fn udp_rules_do_not_match() {
        let rules = [
            rule(100, false, Protocol::Udp, (0, 65535), "0.0.0.0/0"),
            rule(200, true, Protocol::Tcp, HTTPS, "0.0.0.0/0"),
        ];
        assert_eq!(evaluate(&rules, None, Peer::S3, HTTPS), Outcome::Allow);
    }

    #[test]
    fn s3_needs_an_any_rule() {
        let private = [rule(100, true, Protocol::Tcp, HTTPS, "10.0.0.0/8")];
        assert!(matches!(
            evaluate(&private, None, Peer::S3, HTTPS),
            Outcome::Deny(_)
        ));
        let public = [rule(100, true, Protocol::Tcp, HTTPS, "52.0.0.0/8")];
        assert!(matches!(
            evaluate(&public, None, Peer::S3, HTTPS),
            Outcome::Unknown(_)
        ));
        let deny_specific = [
            rule(100, false, Protocol::Tcp, HTTPS, "52.0.0.0/8"),
            rule(200, true, Protocol::Tcp, HTTPS, "0.0.0.0/0"),
        ];
        assert!(matches!(
            evaluate(&deny_specific, None, Peer::S3, HTTPS),
            Outcome::Unknown(_)
        ));
    }

    #[test]
    fn unknown_fields_are_unknown() {
        let mut r = rule(100, true, Protocol::All, (0, 0), "0.0.0.0/0");
        r.cidr = Fact::Unknown("var.cidr has no value".into());
        assert!(matches!(
            evaluate(&[r.clone()], None, net("10.0.1.0/24"), HTTPS),
            Outcome::Unknown(_)
        ));
        // An unknown deny after a decided allow changes nothing.
        let mut deny = r;
        deny.allow = Fact::Known(false);
        deny.number = Fact::Known(200);
        let rules = [rule(100, true, Protocol::All, (0, 0), "0.0.0.0/0"), deny];
        assert_eq!(
            evaluate(&rules, None, net("10.0.1.0/24"), HTTPS),
            Outcome::Allow
        );
        assert!(matches!(
            evaluate(
                &[rule(100, true, Protocol::All, (0, 0), "0.0.0.0/0")],
                Some("an aws_network_acl_rule's network ACL is not known"),
                net("10.0.1.0/24"),
                HTTPS
            ),
            Outcome::Unknown(_)
        ));
    }
}
