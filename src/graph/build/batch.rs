//! AWS Batch compute environments (`aws_batch_compute_environment`) with the job definitions
//! that can run on them and the role that pulls their images. On EC2 the compute resources'
//! `subnets` and `security_group_ids` (else the launch template's groups) are the container
//! instances', which pull.

use std::collections::BTreeSet;

use super::builder::Builder;
use super::instances::{
    launch_template_of, launch_template_settings, profile_role, template_awslogs_override,
};
use super::job_definition::{eks_reason, jobs, Jobs};
use super::registry::node_of;
use super::workload::{first_block, is_legacy_fargate, push, role_ref};
use crate::graph::{Fact, Platform, RoleRef, Workload, WorkloadKind};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]). The job definitions' are in
/// [`super::job_definition::READS`].
pub(crate) const READS: &[(&str, &[&str])] = &[(
    "aws_batch_compute_environment",
    &["compute_resources", "eks_configuration"],
)];

pub(super) fn batch(b: &mut Builder<'_>, r: &Resource, i: usize) {
    let cr = r.get("compute_resources").and_then(first_block);
    // A compute environment of an Amazon EKS cluster runs pods, which pullpath does not check.
    let eks = r
        .get("eks_configuration")
        .and_then(first_block)
        .is_some_and(|v| !v.is_null());
    let platform = match cr
        .and_then(|c| c.get("type"))
        .and_then(Value::as_text)
        .as_deref()
    {
        _ if eks => Fact::Unknown(eks_reason(r)),
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
    let (mut sgs, mut sgs_unknown) = match cr {
        Some(c) => b.sgs_of(
            r,
            c.get("security_group_ids"),
            "compute_resources.security_group_ids",
        ),
        None => (Vec::new(), None),
    };
    let fargate = platform.known().is_some_and(|p| p.is_fargate());
    // "If security groups are specified using both securityGroupIds and launchTemplate, the
    // values in securityGroupIds are used" (Batch API, ComputeResource): the launch template's
    // groups count only where the compute environment names none.
    let template = cr
        .filter(|_| !fargate)
        .and_then(|c| c.get("launch_template"))
        .and_then(first_block);
    // Whether the launch template's user data turns the agent's
    // ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE off (PP404: jobs with an execution role and the
    // awslogs driver cannot run there).
    let launch_template = template.map(|t| launch_template_of(b, r, t));
    let template_override = match &launch_template {
        Some(Ok(lt)) => template_awslogs_override(b, *lt),
        _ => None,
    };
    if let (true, None, Some(lt)) = (sgs.is_empty(), &sgs_unknown, launch_template) {
        match lt {
            Ok(lt) => {
                let lt = b.ix.res(lt);
                let settings = launch_template_settings(b, lt);
                sgs = settings.groups;
                sgs_unknown = settings.groups_unknown;
            }
            Err(why) => sgs_unknown = Some(why),
        }
    }
    // Job definitions are not tied to compute environments in Terraform (jobs are submitted
    // at run time): take every job definition of the input that can run on this platform.
    let model = b.model();
    let mut containers = Vec::new();
    let mut unknown = None;
    let mut definition = None;
    let mut roles: Vec<Fact<RoleRef>> = Vec::new();
    let mut public: BTreeSet<bool> = BTreeSet::new();
    let mut public_unknown: Option<String> = None;
    let mut version = None;
    for &j in b.ix.of_type(false, "aws_batch_job_definition") {
        let jd = &model.resources[j];
        if jd.input != r.input {
            continue;
        }
        // `platform_capabilities` not known before apply (`try(each.value.…)` in
        // terraform-aws-batch): the definition may run here, whichever the platform (a helper's
        // audit of ecosystem row 166: it was skipped, and the environment had no role to judge).
        let caps = jd.get("platform_capabilities");
        let caps_known = caps.is_none_or(|v| {
            v.is_null()
                || v.as_list()
                    .is_some_and(|l| l.iter().all(|c| c.as_text().is_some()))
        });
        let caps: Vec<String> = caps
            .and_then(Value::as_list)
            .map(|l| l.iter().filter_map(Value::as_text).collect())
            .unwrap_or_default();
        let jd_fargate = caps.iter().any(|c| c == "FARGATE");
        if caps_known && jd_fargate != fargate {
            continue;
        }
        if !caps_known {
            // Its role is judged only if it surely runs here.
            roles.push(Fact::Unknown(format!(
                "whether {} runs on {} is not known (its platform_capabilities are not known before apply)",
                jd.address, r.address
            )));
        }
        let shape = jobs(b, jd);
        // Jobs for Amazon EKS run only on EKS compute environments, and only those run them.
        if matches!(shape, Jobs::Eks) != eks {
            continue;
        }
        let (cs, u) = match b.containers.get(&j) {
            Some(read) => read.clone(),
            None => super::job_definition::containers(b, jd),
        };
        if let Some(u) = u {
            unknown.get_or_insert(u);
        }
        containers.extend(cs);
        definition.get_or_insert_with(|| node_of(b.ix.model, jd, j));
        let tasks = match shape {
            Jobs::Tasks(tasks) => tasks,
            Jobs::Unreadable(why) => {
                // Its execution role is not known either: never no role (it was: PP404 said
                // nothing, a helper's audit of ecosystem row 166).
                roles.push(Fact::Unknown(format!(
                    "the execution role of {} is not known ({why})",
                    jd.address
                )));
                if fargate {
                    public_unknown.get_or_insert(why);
                }
                continue;
            }
            Jobs::Eks => continue,
        };
        // The execution role reads the secrets on every platform; on Fargate it also pulls.
        for t in &tasks {
            if let Some(role) = t.settings.get("executionRoleArn").filter(|v| !v.is_null()) {
                roles.push(role_ref(b, jd, role));
            }
        }
        if fargate {
            for t in &tasks {
                match assign_public_ip(&t.settings) {
                    Ok(v) => {
                        public.insert(v);
                    }
                    Err(why) => {
                        public_unknown.get_or_insert(format!("{}: {why}", t.label));
                    }
                }
                if let Some(v) = t.platform_version() {
                    version.get_or_insert(v);
                }
            }
        }
    }
    if definition.is_none() {
        let why = format!("no job definition of the input runs on {}", r.address);
        // On Fargate the job's execution role pulls: with no job definition it is not known,
        // never none (a helper's audit of ecosystem row 166). On EC2 the instance role pulls,
        // and jobs defined elsewhere (a workflow engine's) are theirs to judge.
        if fargate {
            roles.push(Fact::Unknown(why.clone()));
        }
        unknown = Some(why);
    }
    // Whether the jobs get a public IP is in their job definitions (`assignPublicIp`, default
    // DISABLED): with a job definition that cannot be read, or none in the input, it is not
    // known — never "no public IP", which in a public subnet decides the internet route.
    let public_ip = if fargate {
        match (&public_unknown, public.len()) {
            (Some(why), _) => Fact::Unknown(format!(
                "whether the jobs of {} get a public IP is not known ({why})",
                r.address
            )),
            (None, 0) => Fact::Unknown(format!(
                "whether the jobs of {} get a public IP is not known (no job definition of the input runs on it)",
                r.address
            )),
            (None, 1) => Fact::Known(public.contains(&true)),
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
    let instance_role = (!fargate)
        .then(|| {
            cr.and_then(|c| c.get("instance_role"))
                .filter(|v| !v.is_null())
                .map(|v| profile_role(b, r, v))
        })
        .flatten();
    // One role for every job definition that may run here, else not known: a role that is
    // not judged must not pass (the first of several was judged alone).
    let mut distinct: Vec<&Fact<RoleRef>> = Vec::new();
    for role in &roles {
        if !distinct.contains(&role) {
            distinct.push(role);
        }
    }
    let execution_role = match distinct.as_slice() {
        [] => None,
        [one] => Some((*one).clone()),
        several => Some(
            several
                .iter()
                .find_map(|f| match f {
                    Fact::Unknown(why) => Some(Fact::Unknown(why.clone())),
                    Fact::Known(_) => None,
                })
                .unwrap_or_else(|| {
                    Fact::Unknown(format!(
                        "the job definitions that may run on {} name {} different execution roles",
                        r.address,
                        several.len()
                    ))
                }),
        ),
    };
    let pull_role = if fargate {
        execution_role.clone()
    } else {
        instance_role.clone()
    };
    let workload = Workload {
        node: node_of(b.ix.model, r, i),
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
        hosts: None,
        task_subnets: Vec::new(),
        task_security_groups: Vec::new(),
        containers,
        containers_unknown: unknown,
        log_only: Vec::new(),
        definition,
        pull_role,
        instance_role,
        execution_role,
        awslogs_override: template_override,
    };
    push(b, workload);
}

/// `networkConfiguration.assignPublicIp` of a Fargate job's container properties: ENABLED or
/// DISABLED (the default, also without a network configuration); `Err` with the reason when it
/// is not known.
fn assign_public_ip(props: &Value) -> Result<bool, String> {
    let net = match props.get("networkConfiguration") {
        None | Some(Value::Null) => return Ok(false),
        Some(v) if v.is_undecided() => {
            return Err(format!(
                "its networkConfiguration is not known before apply ({})",
                v.undecided_reason().unwrap_or_default()
            ))
        }
        Some(v) => v,
    };
    match net.get("assignPublicIp") {
        None | Some(Value::Null) => Ok(false),
        Some(v) => match v.as_text().as_deref() {
            Some("ENABLED") => Ok(true),
            Some("DISABLED") => Ok(false),
            Some(other) => Err(format!(
                "its assignPublicIp is {other:?}, not ENABLED or DISABLED"
            )),
            None => Err(format!(
                "its assignPublicIp is not known before apply ({})",
                v.undecided_reason().unwrap_or_default()
            )),
        },
    }
}
