//! Prefix lists as security group peers, and whether each is S3's (the list an S3 gateway
//! endpoint reports, or a managed list named `com.amazonaws.<region>.s3`).

use std::collections::BTreeSet;

use super::builder::{is_endpoint, Builder};
use crate::aws::parse_service;
use crate::graph::{Fact, Peer, PrefixList};
use crate::model::{Resource, Value};

impl<'m> Builder<'m> {
    pub(super) fn prefix_list_peers(&mut self, r: &Resource, v: Option<&Value>) -> Vec<Peer> {
        let Some(v) = v else { return Vec::new() };
        let want = |x: &Resource| {
            matches!(
                x.rtype(),
                "aws_prefix_list" | "aws_ec2_managed_prefix_list" | "aws_vpc_endpoint"
            )
        };
        let found = self.ix.find(r.input, v, &want);
        let mut out = Vec::new();
        for &i in &found.resources {
            let x = self.ix.res(i);
            if x.rtype() == "aws_ec2_managed_prefix_list" && !x.is_data() {
                let entries = self.managed_entries(i);
                out.extend(entries);
                continue;
            }
            out.push(Peer::PrefixList(self.prefix_list_of(i)));
        }
        for (i, attr) in &found.others {
            let x = self.ix.res(*i);
            if is_endpoint(x) && attr.as_deref() == Some("prefix_list_id") {
                out.push(Peer::PrefixList(self.prefix_list_of(*i)));
            } else {
                out.push(Peer::Unknown(format!(
                    "{}: refers to {} for a prefix list",
                    r.address, x.address
                )));
            }
        }
        for id in found.ids.iter().chain(found.literals.iter()) {
            // A known `pl-…` id: S3's if an S3 gateway endpoint of the input reports it.
            let s3 = self.ix.with_id(id).iter().any(|&i| {
                let x = self.ix.res(i);
                matches!(x.rtype(), "aws_prefix_list" | "aws_ec2_managed_prefix_list")
                    && x.get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.ends_with(".s3"))
            }) || self.s3_prefix_lists().contains(id.as_str());
            out.push(Peer::PrefixList(PrefixList {
                name: id.clone(),
                is_s3: if s3 {
                    Fact::Known(true)
                } else {
                    Fact::Unknown(format!(
                        "the prefix list {id} is not described in the input"
                    ))
                },
            }));
        }
        for g in found.gaps {
            out.push(Peer::Unknown(format!("{}: {g}", r.address)));
        }
        out
    }

    /// The ranges of a customer managed prefix list the input creates: its `entry` blocks (which
    /// it then manages exclusively), else the `aws_ec2_managed_prefix_list_entry` resources of
    /// it, which leave room for entries added elsewhere (unknown). An IPv6 list carries none of
    /// the IPv4 traffic of the pull path.
    fn managed_entries(&mut self, i: usize) -> Vec<Peer> {
        let x = self.ix.res(i);
        if x.get("address_family").and_then(Value::as_str) == Some("IPv6") {
            return vec![Peer::Cidr6(x.address.clone())];
        }
        let mut cidrs = Vec::new();
        match x.get("entry") {
            Some(Value::List(blocks)) if !blocks.is_empty() => {
                for b in blocks {
                    cidrs.push(b.get("cidr").cloned().unwrap_or(Value::Null));
                }
            }
            Some(v) if v.is_undecided() && !v.is_not_configured() => {
                return vec![Peer::Unknown(format!(
                    "the entries of {} are not known before apply",
                    x.address
                ))];
            }
            _ => {
                let want = |y: &Resource| y.rtype() == "aws_ec2_managed_prefix_list";
                for &e in self.ix.of_type(false, "aws_ec2_managed_prefix_list_entry") {
                    let entry = self.ix.res(e);
                    let of_this = entry.get("prefix_list_id").is_some_and(|v| {
                        self.ix.find(entry.input, v, &want).resources.contains(&i)
                    });
                    if of_this {
                        cidrs.push(entry.get("cidr").cloned().unwrap_or(Value::Null));
                    }
                }
                let mut out = vec![Peer::Unknown(format!(
                    "{} has no entry blocks: entries may be added to it outside the input",
                    x.address
                ))];
                out.extend(self.cidr_peers(x, Some(&Value::List(cidrs))));
                return out;
            }
        }
        self.cidr_peers(x, Some(&Value::List(cidrs)))
    }

    /// The prefix list ids that S3 gateway endpoints of the input report.
    pub(super) fn s3_prefix_lists(&self) -> BTreeSet<&'m str> {
        self.ix
            .of_type(false, "aws_vpc_endpoint")
            .iter()
            .map(|&i| self.ix.res(i))
            .filter(|x| service_short(x).as_deref() == Some("s3"))
            .filter_map(|x| x.get("prefix_list_id").and_then(Value::as_str))
            .collect()
    }

    pub(super) fn prefix_list_of(&self, i: usize) -> PrefixList {
        let x = self.ix.res(i);
        let is_s3 = match x.rtype() {
            "aws_vpc_endpoint" => match service_short(x) {
                Some(s) => Fact::Known(s == "s3"),
                None => Fact::Unknown(format!("the service of {} is not known", x.address)),
            },
            _ => match x.get("name").and_then(Value::as_str) {
                Some(n) => Fact::Known(n.ends_with(".s3") && n.contains("amazonaws")),
                None => Fact::Unknown(format!("the name of {} is not known", x.address)),
            },
        };
        PrefixList {
            name: x.address.clone(),
            is_s3,
        }
    }
}

fn service_short(r: &Resource) -> Option<String> {
    r.get("service_name")
        .and_then(Value::as_str)
        .map(|s| parse_service(s).short)
}
