//! AWS Batch compute environments (`aws_batch_compute_environment`) with the job definitions
//! that can run on them and the role that pulls their images.

use std::collections::BTreeSet;

use super::builder::Builder;
use super::container::containers_of;
use super::registry::node_of;
use super::workload::{first_block, is_legacy_fargate, push, role_ref};
use crate::graph::{Fact, Platform, RoleRef, Workload, WorkloadKind};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    ("aws_batch_compute_environment", &["compute_resources"]),
    (
        "aws_batch_job_definition",
        &["platform_capabilities", "container_properties"],
    ),
];

pub(super) fn batch(b: &mut Builder<'_>, r: &Resource, i: usize) {
    let cr = r.get("compute_resources").and_then(first_block);
    let platform = match cr
        .and_then(|c| c.get("type"))
        .and_then(Value::as_text)
        .as_deref()
    {
        Some("FARGATE" | "FARGATE_SPOT") => Fact::Known(Platform::BatchFargate),
        Some("EC2" | "SPOT") => Fact::Known(Platform::BatchEc2),
        Some(other) => Fact::Unknown(format!("{}: unknown compute type {other:?}", r.address)),
        None => Fact::Unknown(format!(
            "{} has no compute_resources (an unmanaged environment)",
            r.address
        )),
    };
    let (subnets, subnets_unknown) = match cr {
        Some(c) => b.subnets_of(r, c.get("subnets"), "compute_resources.subnets"),
        None => (
            Vec::new(),
            Some(format!(
                "{} has no compute_resources: its instances are not in the input",
                r.address
            )),
        ),
    };
    let (sgs, sgs_unknown) = match cr {
        Some(c) => b.sgs_of(
            r,
            c.get("security_group_ids"),
            "compute_resources.security_group_ids",
        ),
        None => (Vec::new(), None),
    };
    let fargate = platform.known().is_some_and(|p| p.is_fargate());
    // Job definitions are not tied to compute environments in Terraform (jobs are submitted
    // at run time): take every job definition of the input that can run on this platform.
    let model = b.model();
    let mut containers = Vec::new();
    let mut unknown = None;
    let mut definition = None;
    let mut roles: Vec<Fact<RoleRef>> = Vec::new();
    let mut public: BTreeSet<bool> = BTreeSet::new();
    let mut version = None;
    for &j in b.ix.of_type(false, "aws_batch_job_definition") {
        let jd = &model.resources[j];
        if jd.input != r.input {
            continue;
        }
        let caps: Vec<String> = jd
            .get("platform_capabilities")
            .and_then(Value::as_list)
            .map(|l| l.iter().filter_map(Value::as_text).collect())
            .unwrap_or_default();
        let jd_fargate = caps.iter().any(|c| c == "FARGATE");
        if jd_fargate != fargate {
            continue;
        }
        let props = jd.get("container_properties");
        let (cs, u) = match b.containers.get(&j) {
            Some(read) => read.clone(),
            None => containers_of(b, jd, props, true),
        };
        if let Some(u) = u {
            if props.is_some() {
                unknown.get_or_insert(u);
            }
        }
        containers.extend(cs);
        definition.get_or_insert_with(|| node_of(jd, j));
        if let Some(p) = props.and_then(|p| match p {
            Value::String(s) => serde_json::from_str::<serde_json::Value>(s)
                .ok()
                .map(|j| Value::from(&j)),
            other => Some(other.clone()),
        }) {
            if let Some(role) = p.get("executionRoleArn").filter(|v| !v.is_null()) {
                roles.push(role_ref(b, jd, role));
            }
            if fargate {
                let assign = p
                    .path(&["networkConfiguration", "assignPublicIp"])
                    .and_then(Value::as_text);
                public.insert(assign.as_deref() == Some("ENABLED"));
                if let Some(v) = p
                    .path(&["fargatePlatformConfiguration", "platformVersion"])
                    .and_then(Value::as_text)
                {
                    version.get_or_insert(v);
                }
            }
        }
    }
    if definition.is_none() {
        unknown = Some(format!(
            "no job definition of the input runs on {}",
            r.address
        ));
    }
    let public_ip = if fargate {
        match public.len() {
            0 => Fact::Known(false),
            1 => Fact::Known(public.contains(&true)),
            _ => Fact::Unknown("job definitions differ in assignPublicIp".into()),
        }
    } else {
        let known: BTreeSet<Option<bool>> = subnets
            .iter()
            .map(|&s| b.net.subnets[s].map_public_ip.known().copied())
            .collect();
        match (known.len(), known.iter().next()) {
            (1, Some(Some(v))) => Fact::Known(*v),
            _ => Fact::Unknown(format!(
                "whether the instances of {} get public IPs is not known",
                r.address
            )),
        }
    };
    let platform = match (platform, version.as_deref()) {
        (Fact::Known(Platform::BatchFargate), Some(v)) if is_legacy_fargate(v) => {
            Fact::Known(Platform::BatchFargate)
        }
        (p, _) => p,
    };
    let execution_role = match roles.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        _ => roles.first().cloned(),
    };
    let pull_role = if fargate {
        execution_role.clone()
    } else {
        cr.and_then(|c| c.get("instance_role"))
            .filter(|v| !v.is_null())
            .map(|v| instance_role(b, r, v))
    };
    let workload = Workload {
        node: node_of(r, i),
        kind: WorkloadKind::BatchComputeEnvironment,
        platform,
        platform_version: version,
        windows: false,
        vpc: Fact::Unknown(String::new()),
        subnets,
        subnets_unknown,
        security_groups: sgs,
        security_groups_unknown: sgs_unknown,
        uses_default_security_group: false,
        public_ip,
        containers,
        containers_unknown: unknown,
        definition,
        pull_role,
        execution_role,
    };
    push(b, workload);
}

/// `compute_resources.instance_role` is an instance profile: follow it to its role.
fn instance_role(b: &Builder<'_>, r: &Resource, v: &Value) -> Fact<RoleRef> {
    let want = |x: &Resource| x.rtype() == "aws_iam_instance_profile";
    let found = b.ix.find(r.input, v, &want);
    if let Some(&p) = found.resources.first() {
        let profile = b.ix.res(p);
        if let Some(role) = profile.get("role") {
            return role_ref(b, profile, role);
        }
    }
    match v.as_str() {
        Some(s) => Fact::Unknown(format!("the instance profile {s} is not in the input")),
        None => Fact::Unknown(format!(
            "the instance profile of {} is not known before apply",
            r.address
        )),
    }
}
