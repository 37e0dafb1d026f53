//! What the workload builders share: placing a workload in its VPC, the role a definition
//! names, and small readers of their attributes.

use std::collections::BTreeSet;

use super::builder::Builder;
use crate::graph::{Fact, RoleRef, SgIdx, SubnetIdx, Workload};
use crate::model::{Resource, Value};

pub(super) fn first_block(v: &Value) -> Option<&Value> {
    match v {
        Value::List(items) => items.first(),
        Value::Object(_) => Some(v),
        _ => None,
    }
}

/// Fargate platform versions 1.0.0 to 1.3.0 fetch images without ecr.api.
pub(super) fn is_legacy_fargate(v: &str) -> bool {
    let mut parts = v.split('.').map(|p| p.parse::<u32>().ok());
    matches!((parts.next(), parts.next()), (Some(Some(1)), Some(Some(minor))) if minor <= 3)
}

pub(super) fn role_ref(b: &Builder<'_>, r: &Resource, v: &Value) -> Fact<RoleRef> {
    let roles = b.roles_of(r.input, v);
    if let [one] = roles.as_slice() {
        return Fact::Known(RoleRef::Role(*one));
    }
    if let Some(s) = v.as_str() {
        return Fact::Known(RoleRef::Arn(s.to_string()));
    }
    Fact::Unknown(format!(
        "the role {} refers to is not known before apply ({})",
        r.address,
        v.undecided_reason().unwrap_or_default()
    ))
}

/// The subnets and security groups of an `awsvpc` `network_configuration` block (ECS services,
/// scheduled tasks, Express Mode services), each with why it is not fully known; no group given
/// means the VPC's default group.
pub(super) struct AwsvpcNetwork {
    pub subnets: Vec<SubnetIdx>,
    pub subnets_unknown: Option<String>,
    pub groups: Vec<SgIdx>,
    pub groups_unknown: Option<String>,
    pub default_sg: bool,
}

pub(super) fn awsvpc_network(b: &mut Builder<'_>, r: &Resource, n: &Value) -> AwsvpcNetwork {
    let (subnets, subnets_unknown) =
        b.subnets_of(r, n.get("subnets"), "network_configuration.subnets");
    let (groups, groups_unknown) = b.sgs_of(
        r,
        n.get("security_groups"),
        "network_configuration.security_groups",
    );
    let default_sg = groups.is_empty() && groups_unknown.is_none();
    AwsvpcNetwork {
        subnets,
        subnets_unknown,
        groups,
        groups_unknown,
        default_sg,
    }
}

/// Places a workload in its VPC (from its subnets, else its security groups; on EC2 hosts
/// whose instances are not in the input, from the task's own network, which is in the
/// instances' VPC) and adds it.
pub(super) fn push(b: &mut Builder<'_>, mut w: Workload) {
    let mut vpcs = BTreeSet::new();
    let mut unknown = None;
    for subnets in [&w.subnets, &w.task_subnets] {
        if !vpcs.is_empty() {
            break;
        }
        for &s in subnets {
            match &b.net.subnets[s].vpc {
                Fact::Known(v) => {
                    vpcs.insert(*v);
                }
                Fact::Unknown(why) => {
                    unknown.get_or_insert(why.clone());
                }
            }
        }
    }
    for groups in [&w.security_groups, &w.task_security_groups] {
        if !vpcs.is_empty() {
            break;
        }
        for &g in groups {
            if let Fact::Known(v) = b.net.security_groups[g].vpc {
                vpcs.insert(v);
            }
        }
    }
    w.vpc = match vpcs.len() {
        1 => Fact::Known(*vpcs.iter().next().unwrap_or(&0)),
        0 => Fact::Unknown(
            unknown
                .or_else(|| w.subnets_unknown.clone())
                .unwrap_or_else(|| format!("{} names no subnets", w.node.name())),
        ),
        _ => Fact::Unknown(format!("{} has subnets in several VPCs", w.node.name())),
    };
    if let (true, Fact::Known(v)) = (w.uses_default_security_group, &w.vpc) {
        let g = b.default_sg_of(*v);
        w.security_groups = vec![g];
    }
    b.net.workloads.push(w);
}
