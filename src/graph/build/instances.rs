//! The container instances of EC2-hosted workloads (DOMAIN.md §2: "on EC2 the pull is made by
//! the container instance, not the task"): Auto Scaling groups with their launch template or
//! launch configuration, `aws_instance`s, and the hosts of ECS Managed Instances capacity
//! providers. Each is read into a [`HostGroup`]: the subnets, security groups, public IP and
//! instance role the pull goes through, and which ECS cluster its user data joins.

use crate::hash::FastMap;

use super::builder::{join_reasons, Builder};
use super::registry::node_of;
use super::workload::{first_block, role_ref};
use crate::graph::{AwslogsOverride, Fact, Node, RoleRef, SgIdx, SubnetIdx};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    (
        "aws_autoscaling_group",
        &[
            "vpc_zone_identifier",
            "launch_template",
            "mixed_instances_policy",
            "launch_configuration",
        ],
    ),
    (
        "aws_launch_template",
        &[
            "vpc_security_group_ids",
            "security_group_names",
            "network_interfaces",
            "iam_instance_profile",
            "user_data",
        ],
    ),
    (
        "aws_launch_configuration",
        &[
            "security_groups",
            "associate_public_ip_address",
            "iam_instance_profile",
            "user_data",
            "user_data_base64",
        ],
    ),
    (
        "aws_instance",
        &[
            "vpc_security_group_ids",
            "security_groups",
            "associate_public_ip_address",
            "iam_instance_profile",
            "user_data",
            "user_data_base64",
            "launch_template",
        ],
    ),
    ("aws_iam_instance_profile", &["role"]),
    // The existing interface a launch template's `network_interface_id` names.
    ("aws_network_interface", &["subnet_id", "security_groups"]),
    // An Elastic IP on that interface: the instance's public IPv4.
    ("aws_eip", &["network_interface"]),
    ("aws_eip_association", &["network_interface_id"]),
];

/// The network and role of one group of container instances.
#[derive(Clone, Debug)]
pub(super) struct HostGroup {
    /// What defines the instances (an Auto Scaling group, an instance, a capacity provider).
    pub node: Node,
    pub subnets: Vec<SubnetIdx>,
    pub subnets_unknown: Option<String>,
    pub groups: Vec<SgIdx>,
    pub groups_unknown: Option<String>,
    /// No security group given: EC2 gives the instances the VPC's default group.
    pub default_sg: bool,
    /// Set explicitly (launch template, launch configuration, instance); `None`: the subnets'
    /// `map_public_ip_on_launch` decides.
    pub public_ip: Option<Fact<bool>>,
    /// The instance profile's role; `None` when the instances have no instance profile.
    pub role: Option<Fact<RoleRef>>,
    /// What their user data sets `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE` to
    /// ([`awslogs_override_of`]).
    pub awslogs_override: Option<AwslogsOverride>,
}

/// What a launch template or launch configuration gives its instances.
pub(super) struct LaunchSettings {
    pub groups: Vec<SgIdx>,
    pub groups_unknown: Option<String>,
    pub default_sg: bool,
    pub public_ip: Option<Fact<bool>>,
    pub role: Option<Fact<RoleRef>>,
    /// The subnet the first network interface names (`subnet_id`, or the subnet of the
    /// existing `network_interface_id`): where the instances launch when the group or instance
    /// names none.
    pub subnets: Option<(Vec<SubnetIdx>, Option<String>)>,
}

/// Whether instances join an ECS cluster, from their user data (`ECS_CLUSTER=<name>` written
/// to `/etc/ecs/ecs.config`).
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Join {
    Cluster(String),
    /// The user data sets no cluster (or there is none).
    Nothing,
    /// The user data cannot be read, and why.
    Unknown(String),
}

/// A value that the configuration sets: not absent, null, empty or left to the provider.
fn set(v: Option<&Value>) -> Option<&Value> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::List(l)) if l.is_empty() => None,
        Some(v) if v.is_not_configured() => None,
        Some(v) => Some(v),
    }
}

/// The launch template a launch template specification block names (`id` or
/// `launch_template_id`, `name` or `launch_template_name`), as a model index.
pub(super) fn launch_template_of(
    b: &Builder<'_>,
    r: &Resource,
    spec: &Value,
) -> Result<usize, String> {
    let want = |x: &Resource| x.rtype() == "aws_launch_template" && !x.is_data();
    let v = ["id", "launch_template_id", "name", "launch_template_name"]
        .iter()
        .find_map(|k| set(spec.get(k)));
    let Some(v) = v else {
        return Err(format!(
            "{} names its launch template by no id or name",
            r.address
        ));
    };
    let found = b.ix.find(r.input, v, &want);
    if let Some(&i) = found.resources.first() {
        return Ok(i);
    }
    for l in found.literals.iter().chain(found.ids.iter()) {
        let by_name =
            b.ix.of_type(false, "aws_launch_template")
                .iter()
                .find(|&&i| {
                    let x = b.ix.res(i);
                    x.input == r.input && x.get("name").and_then(Value::as_str) == Some(l.as_str())
                });
        if let Some(&i) = by_name {
            return Ok(i);
        }
    }
    Err(if found.gaps.is_empty() {
        format!("the launch template of {} is not in the input", r.address)
    } else {
        format!(
            "the launch template of {} is not known: {}",
            r.address,
            join_reasons(&found.gaps)
        )
    })
}

/// The security groups, public IP and instance role a launch template gives its instances.
pub(super) fn launch_template_settings(b: &mut Builder<'_>, lt: &Resource) -> LaunchSettings {
    let (mut groups, mut unknown) = b.sgs_of(
        lt,
        set(lt.get("vpc_security_group_ids")),
        "vpc_security_group_ids",
    );
    let mut public_ip = None;
    let mut subnets = None;
    let mut eni_public_ip = None;
    match lt.get("network_interfaces") {
        Some(Value::List(nis)) => {
            for (n, ni) in nis.iter().enumerate() {
                if n == 0 {
                    if let Some(v) = set(ni.get("subnet_id")) {
                        subnets = Some(b.subnets_of(lt, Some(v), "network_interfaces.subnet_id"));
                    } else if let Some(v) = set(ni.get("network_interface_id")) {
                        let (s, g, gu, ip) = existing_interface(b, lt, v);
                        subnets = Some(s);
                        groups.extend(g);
                        if unknown.is_none() {
                            unknown = gu;
                        }
                        eni_public_ip = Some(ip);
                    }
                }
                let (g, u) = b.sgs_of(
                    lt,
                    set(ni.get("security_groups")),
                    "network_interfaces.security_groups",
                );
                groups.extend(g);
                if unknown.is_none() {
                    unknown = u;
                }
                if n == 0 {
                    public_ip = set(ni.get("associate_public_ip_address")).map(|v| {
                        match v.as_text().as_deref() {
                            Some("true") => Fact::Known(true),
                            Some("false") => Fact::Known(false),
                            _ => Fact::Unknown(format!(
                                "{}: whether the instances get a public IP is not known before apply",
                                lt.address
                            )),
                        }
                    });
                }
            }
            // An existing interface's public IPv4 is its Elastic IP, if any.
            if let Some(ip) = eni_public_ip {
                public_ip = Some(ip);
            }
        }
        Some(v) if v.is_undecided() && !v.is_not_configured() => {
            unknown.get_or_insert(format!(
                "{}: the network interfaces are not known before apply",
                lt.address
            ));
        }
        _ => {}
    }
    if let Some(names) = set(lt.get("security_group_names")) {
        unknown.get_or_insert(format!(
            "{} names its security groups by name ({})",
            lt.address,
            names
                .as_text()
                .unwrap_or_else(|| "security_group_names".into())
        ));
    }
    groups.sort_unstable();
    groups.dedup();
    let default_sg = groups.is_empty() && unknown.is_none();
    let role = match lt.get("iam_instance_profile") {
        Some(v @ Value::List(_)) | Some(v @ Value::Object(_)) => first_block(v).and_then(|p| {
            set(p.get("arn"))
                .or_else(|| set(p.get("name")))
                .map(|v| profile_role(b, lt, v))
        }),
        Some(v) if v.is_undecided() && !v.is_not_configured() => Some(Fact::Unknown(format!(
            "the instance profile of {} is not known before apply ({})",
            lt.address,
            v.undecided_reason().unwrap_or_default()
        ))),
        _ => None,
    };
    LaunchSettings {
        groups,
        groups_unknown: unknown,
        default_sg,
        public_ip,
        role,
        subnets,
    }
}

/// The security groups, public IP and instance role of a launch configuration.
fn launch_configuration_settings(b: &mut Builder<'_>, lc: &Resource) -> LaunchSettings {
    let (groups, unknown) = b.sgs_of(lc, set(lc.get("security_groups")), "security_groups");
    let default_sg = groups.is_empty() && unknown.is_none();
    LaunchSettings {
        groups,
        groups_unknown: unknown,
        default_sg,
        public_ip: bool_attr(lc, "associate_public_ip_address"),
        role: set(lc.get("iam_instance_profile")).map(|v| profile_role(b, lc, v)),
        subnets: None,
    }
}

/// The subnet and security groups of the existing network interface a launch template's first
/// interface names (`network_interface_id`): an `aws_network_interface` of the input.
#[allow(clippy::type_complexity)]
fn existing_interface(
    b: &mut Builder<'_>,
    lt: &Resource,
    v: &Value,
) -> (
    (Vec<SubnetIdx>, Option<String>),
    Vec<SgIdx>,
    Option<String>,
    Fact<bool>,
) {
    let want = |x: &Resource| x.rtype() == "aws_network_interface";
    let found = b.ix.find(lt.input, v, &want);
    let Some(&e) = found.resources.first() else {
        let why = format!(
            "the network interface {} launches its instances with is not in the input",
            lt.address
        );
        return (
            (Vec::new(), Some(why.clone())),
            Vec::new(),
            Some(why.clone()),
            Fact::Unknown(why),
        );
    };
    let eni = b.ix.res(e);
    let subnets = b.subnets_of(eni, set(eni.get("subnet_id")), "subnet_id");
    let (groups, unknown) = b.sgs_of(eni, set(eni.get("security_groups")), "security_groups");
    (subnets, groups, unknown, elastic_ip(b, e))
}

/// Whether an Elastic IP of the input is on network interface `e` (an `aws_eip` with
/// `network_interface`, or an `aws_eip_association` with `network_interface_id`): the public
/// IPv4 of an instance launched with that existing interface, which gets none of its own (EC2
/// assigns a public IPv4 at launch only to a new primary interface).
fn elastic_ip(b: &Builder<'_>, e: usize) -> Fact<bool> {
    let want = |x: &Resource| x.rtype() == "aws_network_interface";
    let eni = b.ix.res(e);
    let mut undecided = None;
    for (rtype, attr) in [
        ("aws_eip", "network_interface"),
        ("aws_eip_association", "network_interface_id"),
    ] {
        for &i in b.ix.of_type(false, rtype) {
            let r = b.ix.res(i);
            let Some(v) = set(r.get(attr)) else { continue };
            let found = b.ix.find(r.input, v, &want);
            if found.resources.contains(&e) {
                return Fact::Known(true);
            }
            if r.input == eni.input && found.resources.is_empty() && !found.gaps.is_empty() {
                undecided.get_or_insert(format!(
                    "whether {} puts its Elastic IP on {} is not known before apply",
                    r.address, eni.address
                ));
            }
        }
    }
    match undecided {
        Some(why) => Fact::Unknown(why),
        None => Fact::Known(false),
    }
}

/// A boolean the configuration sets, or `None`.
fn bool_attr(r: &Resource, key: &str) -> Option<Fact<bool>> {
    set(r.get(key)).map(|v| match v.as_bool() {
        Some(x) => Fact::Known(x),
        None => Fact::Unknown(format!("{}.{key} is not known before apply", r.address)),
    })
}

/// The role of an instance profile (an ARN, a name or a reference to an
/// `aws_iam_instance_profile`).
pub(super) fn profile_role(b: &Builder<'_>, r: &Resource, v: &Value) -> Fact<RoleRef> {
    let want = |x: &Resource| x.rtype() == "aws_iam_instance_profile";
    let found = b.ix.find(r.input, v, &want);
    let mut profile = found.resources.first().copied();
    if profile.is_none() {
        // By name, or by the name at the end of its ARN (known only after apply in a plan).
        for l in found.literals.iter().chain(found.ids.iter()) {
            let name = l.rsplit('/').next().unwrap_or(l);
            profile =
                b.ix.of_type(false, "aws_iam_instance_profile")
                    .iter()
                    .copied()
                    .find(|&i| {
                        let x = b.ix.res(i);
                        x.input == r.input && x.get("name").and_then(Value::as_str) == Some(name)
                    });
            if profile.is_some() {
                break;
            }
        }
    }
    if let Some(p) = profile {
        let profile = b.ix.res(p);
        if let Some(role) = set(profile.get("role")) {
            return role_ref(b, profile, role);
        }
        return Fact::Unknown(format!("{} names no role", profile.address));
    }
    match v.as_str() {
        Some(s) => Fact::Unknown(format!("the instance profile {s} is not in the input")),
        None => Fact::Unknown(format!(
            "the instance profile of {} is not known before apply",
            r.address
        )),
    }
}

/// The launch template or launch configuration an Auto Scaling group launches from.
enum Launch {
    Template(usize),
    Configuration(usize),
}

fn asg_launch(b: &Builder<'_>, asg: &Resource) -> Result<Launch, String> {
    if let Some(spec) = asg.get("launch_template").and_then(first_block) {
        return launch_template_of(b, asg, spec).map(Launch::Template);
    }
    if let Some(spec) = asg.values.path(&[
        "mixed_instances_policy",
        "launch_template",
        "launch_template_specification",
    ]) {
        if let Some(spec) = first_block(spec) {
            return launch_template_of(b, asg, spec).map(Launch::Template);
        }
    }
    if let Some(v) = set(asg.get("launch_configuration")) {
        let want = |x: &Resource| x.rtype() == "aws_launch_configuration";
        let found = b.ix.find(asg.input, v, &want);
        if let Some(&i) = found.resources.first() {
            return Ok(Launch::Configuration(i));
        }
        // A name may look like an id (`node-lc`): both are searched by name.
        let by_name = found.literals.iter().chain(found.ids.iter()).find_map(|l| {
            b.ix.of_type(false, "aws_launch_configuration")
                .iter()
                .copied()
                .find(|&i| {
                    let x = b.ix.res(i);
                    x.input == asg.input && x.get("name").and_then(Value::as_str) == Some(l)
                })
        });
        if let Some(i) = by_name {
            return Ok(Launch::Configuration(i));
        }
        return Err(format!(
            "the launch configuration of {} is not in the input",
            asg.address
        ));
    }
    Err(format!(
        "{} names no launch template or launch configuration",
        asg.address
    ))
}

/// The instances of an Auto Scaling group (model index `i`).
pub(super) fn asg_group(b: &mut Builder<'_>, i: usize) -> HostGroup {
    let asg = b.ix.res(i);
    let zones = set(asg.get("vpc_zone_identifier"));
    let settings = match asg_launch(b, asg) {
        Ok(Launch::Template(lt)) => {
            let lt = b.ix.res(lt);
            launch_template_settings(b, lt)
        }
        Ok(Launch::Configuration(lc)) => {
            let lc = b.ix.res(lc);
            launch_configuration_settings(b, lc)
        }
        Err(why) => LaunchSettings {
            groups: Vec::new(),
            groups_unknown: Some(why.clone()),
            default_sg: false,
            public_ip: Some(Fact::Unknown(why.clone())),
            role: Some(Fact::Unknown(why)),
            subnets: None,
        },
    };
    // The group's subnets, else those its launch template's network interface names.
    let (subnets, subnets_unknown) = match (zones, settings.subnets.clone()) {
        (Some(v), _) => b.subnets_of(asg, Some(v), "vpc_zone_identifier"),
        (None, Some(s)) => s,
        (None, None) => (
            Vec::new(),
            Some(format!(
                "{} names no vpc_zone_identifier: it launches into the default subnets of its availability zones",
                asg.address
            )),
        ),
    };
    HostGroup {
        node: node_of(b.ix.model, asg, i),
        subnets,
        subnets_unknown,
        groups: settings.groups,
        groups_unknown: settings.groups_unknown,
        default_sg: settings.default_sg,
        public_ip: settings.public_ip,
        role: settings.role,
        awslogs_override: awslogs_override_of(b, i),
    }
}

/// One `aws_instance` (model index `i`) that joins a cluster.
pub(super) fn instance_group(b: &mut Builder<'_>, i: usize) -> HostGroup {
    let inst = b.ix.res(i);
    let template = inst
        .get("launch_template")
        .and_then(first_block)
        .map(|spec| launch_template_of(b, inst, spec));
    let from_template = match template {
        Some(Ok(lt)) => {
            let lt = b.ix.res(lt);
            Some(launch_template_settings(b, lt))
        }
        Some(Err(why)) => Some(LaunchSettings {
            groups: Vec::new(),
            groups_unknown: Some(why.clone()),
            default_sg: false,
            public_ip: None,
            role: Some(Fact::Unknown(why)),
            subnets: None,
        }),
        None => None,
    };
    let (mut groups, mut groups_unknown) = b.sgs_of(
        inst,
        set(inst.get("vpc_security_group_ids")),
        "vpc_security_group_ids",
    );
    if let Some(names) = set(inst.get("security_groups")) {
        groups_unknown.get_or_insert(format!(
            "{} names its security groups by name ({})",
            inst.address,
            names.as_text().unwrap_or_else(|| "security_groups".into())
        ));
    }
    let mut default_sg = groups.is_empty() && groups_unknown.is_none();
    let mut public_ip = bool_attr(inst, "associate_public_ip_address");
    let mut role = set(inst.get("iam_instance_profile")).map(|v| profile_role(b, inst, v));
    // The instance's subnet, else the one its launch template's network interface names.
    let template_subnets = from_template.as_ref().and_then(|t| t.subnets.clone());
    let (subnets, subnets_unknown) = match (set(inst.get("subnet_id")), template_subnets) {
        (Some(v), _) => b.subnets_of(inst, Some(v), "subnet_id"),
        (None, Some(s)) => s,
        (None, None) => (
            Vec::new(),
            Some(format!(
                "{} names no subnet_id: it launches into a default subnet",
                inst.address
            )),
        ),
    };
    if let Some(t) = from_template {
        if default_sg {
            groups = t.groups;
            groups_unknown = t.groups_unknown;
            default_sg = t.default_sg;
        }
        public_ip = public_ip.or(t.public_ip);
        role = role.or(t.role);
    }
    HostGroup {
        node: node_of(b.ix.model, inst, i),
        subnets,
        subnets_unknown,
        groups,
        groups_unknown,
        default_sg,
        public_ip,
        role,
        awslogs_override: awslogs_override_of(b, i),
    }
}

/// The hosts of an ECS Managed Instances capacity provider (model index `cp`): the network
/// configuration of its instance launch template. The task execution role pulls there, so the
/// instance profile's role is kept only as the instances' role.
pub(super) fn managed_group(b: &mut Builder<'_>, cp: usize) -> HostGroup {
    let r = b.ix.res(cp);
    let template = r
        .values
        .path(&["managed_instances_provider", "instance_launch_template"])
        .and_then(first_block);
    let net = template
        .and_then(|t| t.get("network_configuration"))
        .and_then(first_block);
    let (subnets, subnets_unknown) = match net {
        Some(n) => b.subnets_of(
            r,
            n.get("subnets"),
            "managed_instances_provider.instance_launch_template.network_configuration.subnets",
        ),
        None => (
            Vec::new(),
            Some(format!(
                "{} has no network configuration in the input",
                r.address
            )),
        ),
    };
    let (groups, groups_unknown) = match net {
        Some(n) => b.sgs_of(
            r,
            set(n.get("security_groups")),
            "managed_instances_provider.instance_launch_template.network_configuration.security_groups",
        ),
        None => (Vec::new(), subnets_unknown.clone()),
    };
    let default_sg = groups.is_empty() && groups_unknown.is_none();
    let role = template
        .and_then(|t| set(t.get("ec2_instance_profile_arn")))
        .map(|v| profile_role(b, r, v));
    HostGroup {
        node: node_of(b.ix.model, r, cp),
        subnets,
        subnets_unknown,
        groups,
        groups_unknown,
        default_sg,
        public_ip: None,
        role,
        awslogs_override: None,
    }
}

/// The user data an Auto Scaling group's or instance's instances (model index `i`) boot with:
/// the script and the address of the resource that holds it, `None` when they have none,
/// `Err` with why when it is not known.
fn launch_script(b: &Builder<'_>, i: usize) -> Option<Result<(String, String), String>> {
    let r = b.ix.res(i);
    if r.rtype() == "aws_instance" {
        if let Some(own) = user_data(r) {
            return Some(own);
        }
    }
    let launch = match r.rtype() {
        "aws_instance" => match r.get("launch_template").and_then(first_block) {
            Some(spec) => launch_template_of(b, r, spec).map(Launch::Template),
            None => return None,
        },
        _ => asg_launch(b, r),
    };
    match launch {
        Ok(Launch::Template(lt)) | Ok(Launch::Configuration(lt)) => user_data(b.ix.res(lt)),
        Err(why) => Some(Err(why)),
    }
}

/// The user data of an Auto Scaling group's or instance's launch (model index `i`), and which
/// cluster it joins.
pub(super) fn join_of(b: &Builder<'_>, i: usize) -> Join {
    match launch_script(b, i) {
        None => Join::Nothing,
        Some(Err(why)) => Join::Unknown(why),
        Some(Ok((script, address))) => cluster_in_script(&script, &address),
    }
}

/// Whether the container agent on the instances of an Auto Scaling group or instance (model
/// index `i`) turns on `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE`, as their user data writes
/// it into `/etc/ecs/ecs.config` (ecs-init passes that file's settings to the agent over its own
/// defaults): `None` where it does not say (or not knowably). Only a setting that turns it off
/// decides anything (PP404: such instances cannot run a task with an execution role and the
/// awslogs driver).
pub(super) fn awslogs_override_of(b: &Builder<'_>, i: usize) -> Option<AwslogsOverride> {
    match launch_script(b, i) {
        Some(Ok((script, address))) => stated_in(&script, &address),
        _ => None,
    }
}

/// [`awslogs_override_in`] of the user data of `address`, with why.
fn stated_in(script: &str, address: &str) -> Option<AwslogsOverride> {
    awslogs_override_in(script).map(|on| AwslogsOverride {
        on,
        why: format!(
            "the user data of {address} writes ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE={on} into /etc/ecs/ecs.config"
        ),
    })
}

/// What the user data of a launch template (model index `lt`) sets
/// `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE` to ([`awslogs_override_of`]).
pub(super) fn template_awslogs_override(b: &Builder<'_>, lt: usize) -> Option<AwslogsOverride> {
    match user_data(b.ix.res(lt))? {
        Ok((script, address)) => stated_in(&script, &address),
        Err(_) => None,
    }
}

/// The value a user data script gives `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE` in the
/// agent's configuration file, the last one written, as the agent reads it (Go's
/// `strconv.ParseBool`). `None` where the script does not run (see [`runs`]), never names
/// `/etc/ecs/ecs.config`, exports the setting only to its own shell (the agent does not see
/// it), or sets it from a shell value or to anything else.
fn awslogs_override_in(script: &str) -> Option<bool> {
    const KEY: &str = "ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=";
    if !runs(script) || !script.contains("/etc/ecs/ecs.config") {
        return None;
    }
    let mut found = None;
    for (n, line) in script.lines().enumerate() {
        let t = line.trim_start();
        if (n == 0 && t.starts_with("#!")) || t.starts_with('#') {
            continue;
        }
        // Written where the agent reads it: on a line that writes that file, or as a line of
        // its own (a heredoc's, a cloud-config file's content); a line that writes the file
        // anew without the setting removes it.
        let to_file = t.contains("/etc/ecs/ecs.config");
        if !t.contains(KEY) {
            if to_file && t.contains('>') && !t.contains(">>") {
                found = None;
            }
            continue;
        }
        if !to_file && !t.starts_with(KEY) {
            continue;
        }
        let mut rest = t;
        while let Some(at) = rest.find(KEY) {
            let before = &rest[..at];
            rest = &rest[at + KEY.len()..];
            if before
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                continue;
            }
            if before.trim_end().ends_with("export") || before.trim_start().starts_with("export ") {
                return None;
            }
            // A value quoted in the file itself (a heredoc's line): ecs-init keeps the quotes,
            // and the agent reads what it cannot parse as off.
            if t.starts_with(KEY) && rest.starts_with(['"', '\'']) {
                found = Some(Some(false));
                continue;
            }
            let v = rest.trim_start_matches(['"', '\'']);
            let end = v
                .find(|c: char| {
                    c.is_whitespace()
                        || matches!(c, '"' | '\'' | '>' | ';' | '|' | '&' | ')' | '\\')
                })
                .unwrap_or(v.len());
            found = Some(match &v[..end] {
                "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
                "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
                _ => None,
            });
        }
    }
    found.flatten()
}

/// A resource's own user data (`user_data` base64 in a launch template, text elsewhere;
/// `user_data_base64`) with the resource's address: `None` when it sets none, `Err` with why
/// when it is not known.
fn user_data(r: &Resource) -> Option<Result<(String, String), String>> {
    let (v, base64) = match (set(r.get("user_data")), set(r.get("user_data_base64"))) {
        (Some(v), _) => (v, r.rtype() == "aws_launch_template"),
        (None, Some(v)) => (v, true),
        (None, None) => return None,
    };
    let Some(text) = v.as_str() else {
        return Some(Err(format!(
            "the user data of {} is not known before apply ({})",
            r.address,
            v.undecided_reason().unwrap_or_default()
        )));
    };
    let script = if base64 {
        match crate::hcl::funcs::base64_decode(text).and_then(|b| String::from_utf8(b).ok()) {
            Some(s) => s,
            None => {
                return Some(Err(format!(
                    "the user data of {} is not base64 of text (compressed?)",
                    r.address
                )))
            }
        }
    } else {
        text.to_string()
    };
    // A plan or state keeps only the SHA-1 of `user_data` of instances and launch configurations.
    if !base64 && script.len() == 40 && script.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Some(Err(format!(
            "the input holds only a hash of the user data of {}",
            r.address
        )));
    }
    Some(Ok((script, r.address.to_string())))
}

/// The cluster a user data script sets with `ECS_CLUSTER=<name>`. The first line, when it is a
/// shebang, names the interpreter and runs nothing (a script whose "lines" are one line with a
/// literal `\n` joins nothing); comment lines run nothing either.
pub(super) fn cluster_in_script(script: &str, address: &str) -> Join {
    let mut found = None;
    for (n, line) in script.lines().enumerate() {
        let t = line.trim_start();
        if (n == 0 && t.starts_with("#!")) || t.starts_with('#') {
            continue;
        }
        let mut rest = t;
        while let Some(at) = rest.find("ECS_CLUSTER=") {
            let before = rest[..at].chars().last();
            rest = &rest[at + "ECS_CLUSTER=".len()..];
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let v = rest.trim_start_matches(['"', '\'']);
            let end = v
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '"' | '\'' | '>' | ';' | '|' | '&' | ')')
                })
                .unwrap_or(v.len());
            let name = &v[..end];
            if name.contains('$') || name.contains('`') {
                return Join::Unknown(format!(
                    "the user data of {address} sets ECS_CLUSTER from a shell value ({name})"
                ));
            }
            if !name.is_empty() {
                found = Some(name.to_string());
            }
        }
    }
    match found {
        Some(_) if !runs(script) => Join::Unknown(format!(
            "the user data of {address} sets ECS_CLUSTER, but does not begin with `#!`, `#cloud-config` or another header cloud-init acts on (its first line is {:?}): it may never run, and the instances join the `default` cluster",
            script.lines().next().unwrap_or("").chars().take(40).collect::<String>()
        )),
        Some(c) => Join::Cluster(c),
        None => Join::Nothing,
    }
}

/// Whether user data is of a format cloud-init (or EC2Launch on Windows) runs or applies: it
/// begins with one of the headers of cloud-init's "User-data formats" (`#!` for a script,
/// `#cloud-config`, `#cloud-boothook`, `#include`, a MIME multi-part message, …) or a Windows
/// `<powershell>`/`<script>` block. A script whose shebang is indented (a `<<EOF` heredoc
/// written with the configuration's indentation, not `<<-EOF`) is none of these: cloud-init
/// saves it and it fails with "Exec format error".
fn runs(script: &str) -> bool {
    const HEADERS: [&str; 12] = [
        "#!",
        "#cloud-config",
        "#cloud-boothook",
        "#include",
        "#part-handler",
        "#upstart-job",
        "## template: jinja",
        "content-type:",
        "mime-version:",
        "<powershell>",
        "<script>",
        "version:",
    ];
    let head: String = script
        .chars()
        .take(20)
        .collect::<String>()
        .to_ascii_lowercase();
    HEADERS.iter().any(|h| head.starts_with(h))
}

/// Which Auto Scaling groups and instances of the input join which cluster (by input and
/// cluster name), and those whose user data cannot be read (they may join any cluster).
pub(super) type Joins = (
    FastMap<(usize, String), Vec<usize>>,
    Vec<(usize, usize, String)>,
);

pub(super) fn joins(b: &Builder<'_>) -> Joins {
    let mut members: FastMap<(usize, String), Vec<usize>> = FastMap::default();
    let mut undecided = Vec::new();
    for rtype in ["aws_autoscaling_group", "aws_instance"] {
        for &i in b.ix.of_type(false, rtype) {
            let input = b.ix.res(i).input;
            match join_of(b, i) {
                Join::Cluster(c) => members.entry((input, c)).or_default().push(i),
                Join::Nothing => {}
                Join::Unknown(why) => undecided.push((input, i, why)),
            }
        }
    }
    (members, undecided)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;
    use serde_json::json;

    fn workload(g: &serde_json::Value) -> &serde_json::Value {
        let w = &g["vpcs"][0]["workloads"];
        w.as_array()
            .and_then(|l| l.iter().find(|x| x["workload"] == "aws_ecs_service.app"))
            .unwrap_or_else(|| panic!("no aws_ecs_service.app in {g:#}"))
    }

    /// The EC2 launch type on a cluster whose name is known only after apply (`random_pet`):
    /// the instances' user data cannot be matched by name, but the capacity provider the
    /// cluster is associated with (`cluster_name = aws_ecs_cluster.main.name`, the same value)
    /// is its Auto Scaling group (row 70's helper audit: PP901). Without the association, the
    /// instances stay unknown.
    #[test]
    fn a_cluster_named_after_apply_keeps_its_capacity_providers() {
        let src = ecs_on_ec2(&[EC2_INSTANCES])
            .replace(
                "  capacity_provider_strategy {\n    capacity_provider = \"ec2\"\n    weight            = 1\n  }\n",
                "  launch_type     = \"EC2\"\n",
            )
            .replace(
                "resource \"aws_ecs_cluster\" \"main\" {\n  name = \"main\"\n}",
                "resource \"random_pet\" \"cluster\" {}\n\nresource \"aws_ecs_cluster\" \"main\" {\n  name = random_pet.cluster.id\n}",
            );
        assert!(src.contains("random_pet.cluster.id") && src.contains("launch_type     = \"EC2\""));
        let g = graph_hcl(&[("main.tf", &src)]);
        let w = workload(&g);
        assert_eq!(w["instances"], json!(["aws_autoscaling_group.ecs"]));
        assert_eq!(w["instances_unknown"], json!(null));
        let alone = src
            .replace(
                "resource \"aws_ecs_cluster_capacity_providers\" \"main\"",
                "resource \"aws_ecs_cluster_capacity_providers\" \"other\"",
            )
            .replace(
                "  cluster_name       = aws_ecs_cluster.main.name\n",
                "  cluster_name       = \"other\"\n",
            );
        assert_ne!(alone, src);
        let g = graph_hcl(&[("main.tf", &alone)]);
        let w = workload(&g);
        assert_eq!(w["instances"], json!([]));
        assert!(
            w["instances_unknown"]
                .as_str()
                .is_some_and(|u| u.contains("not known before apply")),
            "{w:#}"
        );
    }

    /// ECS on EC2 through a capacity provider: the workload's network is the Auto Scaling
    /// group's (subnets, the launch template's groups), its pull role the instance role; the
    /// task's own network is kept apart.
    #[test]
    fn capacity_provider_instances_are_the_workload_network() {
        let g = graph_hcl(&[("main.tf", &ecs_on_ec2(&[EC2_INSTANCES]))]);
        let w = workload(&g);
        assert_eq!(w["platform"], "ecs-ec2");
        assert_eq!(w["instances"], json!(["aws_autoscaling_group.ecs"]));
        assert_eq!(w["instances_unknown"], json!(null));
        assert_eq!(
            w["subnets"],
            json!(["aws_subnet.private_a", "aws_subnet.private_b"])
        );
        assert_eq!(
            w["security_groups"],
            json!(["aws_security_group.instances"])
        );
        assert_eq!(w["task_security_groups"], json!(["aws_security_group.app"]));
        assert_eq!(w["pull_role"], "aws_iam_role.instance");
        assert_eq!(w["instance_role"], "aws_iam_role.instance");
    }

    /// ECS Managed Instances: the capacity provider's network configuration is the hosts'; the
    /// task execution role pulls.
    #[test]
    fn managed_instances_network_is_the_capacity_providers() {
        let provider = r#"
resource "aws_security_group" "managed" {
  name   = "managed-instances"
  vpc_id = aws_vpc.main.id
}

resource "aws_ecs_capacity_provider" "managed" {
  name    = "managed"
  cluster = aws_ecs_cluster.main.name

  managed_instances_provider {
    infrastructure_role_arn = "arn:aws:iam::111122223333:role/ecs-infrastructure"

    instance_launch_template {
      ec2_instance_profile_arn = "arn:aws:iam::111122223333:instance-profile/ecs-managed"

      network_configuration {
        subnets         = [aws_subnet.private_b.id]
        security_groups = [aws_security_group.managed.id]
      }
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [aws_ecs_capacity_provider.managed.name]
}
"#;
        // The service's strategy names a provider not known before apply (as registry modules
        // pass it through `jsondecode`): the task definition's compatibility decides the
        // platform, and the cluster's providers the hosts.
        let src = ecs_on_ec2(&[provider])
            .replace(
                r#"requires_compatibilities = ["EC2"]"#,
                r#"requires_compatibilities = ["MANAGED_INSTANCES"]"#,
            )
            .replace(
                "capacity_provider = \"ec2\"",
                "capacity_provider = var.provider",
            )
            + "variable \"provider\" {\n  type = string\n}\n";
        let g = graph_hcl(&[("main.tf", &src)]);
        let w = workload(&g);
        assert_eq!(w["platform"], "ecs-managed-instances");
        assert_eq!(w["instances"], json!(["aws_ecs_capacity_provider.managed"]));
        assert_eq!(w["subnets"], json!(["aws_subnet.private_b"]));
        assert_eq!(w["security_groups"], json!(["aws_security_group.managed"]));
        assert_eq!(w["pull_role"], "aws_iam_role.task_execution");
    }

    /// A strategy whose provider is not known before apply may name any provider of the
    /// cluster, but only of the kind the task definition is compatible with: a task that
    /// requires EC2 does not run on the cluster's managed instances.
    #[test]
    fn undecided_strategy_takes_the_cluster_providers_of_the_platform() {
        let managed = r#"
resource "aws_ecs_capacity_provider" "managed" {
  name    = "managed"
  cluster = aws_ecs_cluster.main.name

  managed_instances_provider {
    infrastructure_role_arn = "arn:aws:iam::111122223333:role/ecs-infrastructure"

    instance_launch_template {
      ec2_instance_profile_arn = "arn:aws:iam::111122223333:instance-profile/ecs-managed"

      network_configuration {
        subnets = [aws_subnet.private_b.id]
      }
    }
  }
}
"#;
        let src = ecs_on_ec2(&[EC2_INSTANCES, managed]).replace(
            "capacity_provider = \"ec2\"",
            "capacity_provider = var.provider",
        ) + "variable \"provider\" {\n  type = string\n}\n";
        let g = graph_hcl(&[("main.tf", &src)]);
        let w = workload(&g);
        assert_eq!(w["platform"], "ecs-ec2");
        assert_eq!(w["instances"], json!(["aws_autoscaling_group.ecs"]));
    }

    /// What a user data script says of `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE`: only what
    /// it writes to the agent's configuration file, the last value written, in the forms Go's
    /// `strconv.ParseBool` reads.
    #[test]
    fn awslogs_override_in_scripts() {
        use super::awslogs_override_in as stated;
        let script = |line: &str| {
            format!("#!/bin/bash\necho ECS_CLUSTER=main >> /etc/ecs/ecs.config\n{line}\n")
        };
        let to_file = |v: &str| {
            script(&format!(
                "echo ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE={v} >> /etc/ecs/ecs.config"
            ))
        };
        assert_eq!(stated(&to_file("true")), Some(true));
        assert_eq!(stated(&to_file("True")), Some(true));
        assert_eq!(stated(&to_file("1")), Some(true));
        assert_eq!(stated(&to_file("false")), Some(false));
        assert_eq!(stated(&to_file("0")), Some(false));
        assert_eq!(stated(&to_file("yes")), None);
        assert_eq!(stated(&to_file("$OVERRIDE")), None);
        assert_eq!(
            stated(&script(
                "echo 'ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true' >> /etc/ecs/ecs.config"
            )),
            Some(true)
        );
        // printf's escaped newline ends the value.
        assert_eq!(
            stated(&script(
                "printf 'ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true\\n' >> /etc/ecs/ecs.config"
            )),
            Some(true)
        );
        // A heredoc into the file.
        assert_eq!(
            stated("#!/bin/bash\ncat <<'EOF' >> /etc/ecs/ecs.config\nECS_CLUSTER=main\nECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=false\nEOF\n"),
            Some(false)
        );
        // The last value written is the one read.
        assert_eq!(
            stated(&format!(
                "{}echo ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=false >> /etc/ecs/ecs.config\n",
                to_file("true")
            )),
            Some(false)
        );
        // Not written where the agent reads it, commented out, a longer name, a script that
        // never runs: not said.
        assert_eq!(
            stated(&script(
                "export ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true"
            )),
            None
        );
        assert_eq!(
            stated("#!/bin/bash\nexport ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true\n"),
            None
        );
        assert_eq!(
            stated(&script(
                "# echo ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true >> /etc/ecs/ecs.config"
            )),
            None
        );
        assert_eq!(
            stated(&script(
                "echo MY_ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true >> /etc/ecs/ecs.config"
            )),
            None
        );
        assert_eq!(
            stated("  #!/bin/bash\necho ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true >> /etc/ecs/ecs.config\n"),
            None
        );
        assert_eq!(stated(&script("")), None);
        // Another file; the file written anew after; a value quoted in the file itself.
        assert_eq!(
            stated(&script(
                "echo ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=false >> /etc/environment"
            )),
            None
        );
        assert_eq!(
            stated(&format!(
                "{}echo ECS_CLUSTER=main > /etc/ecs/ecs.config\n",
                to_file("false")
            )),
            None
        );
        assert_eq!(
            stated("#!/bin/bash\ncat >> /etc/ecs/ecs.config <<EOF\nECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=\"true\"\nEOF\n"),
            Some(false)
        );
    }

    /// The cluster a user data script joins: `ECS_CLUSTER=` on a line that runs (or is written
    /// by one, as in `cat <<EOF >> /etc/ecs/ecs.config`), quotes stripped; comments and the
    /// shebang line run nothing; a shell value cannot be decided.
    #[test]
    fn user_data_scripts() {
        use super::{cluster_in_script, Join};
        let join = |s: &str| cluster_in_script(s, "aws_launch_template.x");
        let cluster = |c: &str| Join::Cluster(c.to_string());
        assert_eq!(
            join("#!/bin/bash\necho ECS_CLUSTER=main >> /etc/ecs/ecs.config\n"),
            cluster("main")
        );
        assert_eq!(
            join("#!/bin/bash\ncat <<'EOF' >> /etc/ecs/ecs.config\nECS_CLUSTER=ex-1\nECS_LOGLEVEL=debug\nEOF\n"),
            cluster("ex-1")
        );
        assert_eq!(
            join("#!/bin/bash\necho \"ECS_CLUSTER='prod'\" >> /etc/ecs/ecs.config"),
            cluster("prod")
        );
        assert_eq!(
            join("#!/bin/bash\n# echo ECS_CLUSTER=old >> /etc/ecs/ecs.config\n"),
            Join::Nothing
        );
        // Ecosystem row 25: a literal `\n` makes the whole script the shebang line.
        assert_eq!(
            join("#!/bin/bash\\necho ECS_CLUSTER='production-cluster' >> /etc/ecs/ecs.config"),
            Join::Nothing
        );
        assert_eq!(join("echo NOT_ECS_CLUSTER=main"), Join::Nothing);
        assert!(matches!(
            join("#!/bin/bash\necho ECS_CLUSTER=$CLUSTER >> /etc/ecs/ecs.config"),
            Join::Unknown(_)
        ));
        // Formats cloud-init acts on besides a script.
        assert_eq!(
            join("#cloud-config\nwrite_files:\n  - path: /etc/ecs/ecs.config\n    content: ECS_CLUSTER=main\n"),
            cluster("main")
        );
        assert_eq!(
            join("Content-Type: multipart/mixed; boundary=\"x\"\nMIME-Version: 1.0\n\n--x\nContent-Type: text/x-shellscript\n\n#!/bin/bash\necho ECS_CLUSTER=main >> /etc/ecs/ecs.config\n--x--\n"),
            cluster("main")
        );
        // An indented shebang (a `<<EOF` heredoc written indented), a leading blank line, or
        // no header at all: cloud-init does not run it.
        for never in [
            "    #!/bin/bash\n    echo ECS_CLUSTER=main >> /etc/ecs/ecs.config\n",
            "\n#!/bin/bash\necho ECS_CLUSTER=main >> /etc/ecs/ecs.config\n",
            "echo ECS_CLUSTER=main >> /etc/ecs/ecs.config\n",
        ] {
            assert!(matches!(join(never), Join::Unknown(_)), "{never:?}");
        }
    }
}
