use super::analysis::{classify, Image, Scope, WorkloadFacts};
use super::{declare_rule, Finding, Hop};
use crate::graph::*;
use crate::policy::{
    evaluate, evaluate_identity, requests, Decision, KeyState, Policy, ResourceSpec,
};

declare_rule! {
    /// ## What it does
    /// Evaluates the identity policies (attached and inline) of the roles a workload's start
    /// depends on, for the calls they make:
    /// - the role that pulls (the task execution role on Fargate, the container instance role
    ///   on EC2): the ECR pull actions, and the `awslogs` calls when a container uses that
    ///   driver (`logs:CreateLogGroup` only with `awslogs-create-group = "true"` for a group the
    ///   input does not create). On EC2 a task or job with an execution role writes its logs
    ///   with that role, not the instance role: ECS requires the
    ///   `ecs.capability.execution-role-awslogs` attribute of a definition with an execution role
    ///   and the awslogs driver, which the container agent advertises only where it writes with
    ///   that role (`ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE`, on by default on the
    ///   ECS-optimized and Bottlerocket ECS AMIs); user data that writes it off into
    ///   `/etc/ecs/ecs.config` leaves such tasks nowhere to run (a fail);
    /// - the task or job definition's execution role (`executionRoleArn`), on every platform:
    ///   `secretsmanager:GetSecretValue` / `ssm:GetParameters` for the secrets its containers
    ///   read, and `kms:Decrypt` on the customer managed key of each secret or SecureString
    ///   parameter of the input that has one (`kms_key_id`, `key_id`; none, or
    ///   `alias/aws/secretsmanager` / `alias/aws/ssm`, is an AWS managed key and asks nothing).
    ///   A key policy in the input decides with IAM: one that grants neither the role nor its
    ///   account fails; a key outside the input may grant the role directly (unknown).
    ///
    /// A secret whose ARN is known only after apply is matched by the reference that gives it:
    /// a policy whose `Resource` is the same reference (`aws_secretsmanager_secret.db.arn`; the
    /// secret's `id` and its version's `arn` are the same ARN) allows it, a literal pattern only
    /// when it covers every such ARN (`*`, `arn:aws:secretsmanager:*:*:secret:*`). A secret
    /// named by a partial ARN (without the `-` and six random characters Secrets Manager adds
    /// to the name) is the secret whose ARN has them: a `Resource` must cover them
    /// (`…:secret:name-*`); the partial ARN itself does not. The account of
    /// `data.aws_caller_identity` is the input's own: a `Resource` in it covers the log groups,
    /// parameters and secrets of the input, whatever the account id is; the ARN of a log group
    /// or bucket of the input is built from its name (`"${aws_cloudwatch_log_group.x.arn}:*"`).
    ///
    /// A role's permissions boundary (`permissions_boundary`) caps its policies: a call the
    /// boundary does not allow fails, one it may not (a boundary outside the input) is unknown.
    /// Each call carries the `aws:SourceVpc` and `aws:SourceVpce` of the endpoint it goes
    /// through (none through NAT), so a role that allows the pull only through the VPC's
    /// endpoints is judged as AWS evaluates it.
    ///
    /// An image under a pull-through cache prefix of the input also asks
    /// `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository` (its first pull imports it into
    /// a repository ECR creates); a role without them is unknown, since the private registry's
    /// permissions may grant them. An image not known before apply is matched by what is known
    /// of its registry host and path (`"${data.aws_caller_identity.current.account_id}.dkr.ecr.<region>.amazonaws.com/<prefix>/…"`).
    ///
    /// Exclusive management is read: `aws_iam_role_policy_attachments_exclusive` attaches the
    /// policies it lists, and it, `aws_iam_role_policies_exclusive`, a role's written
    /// `managed_policy_arns` or `inline_policy` blocks remove on apply every policy of that sort
    /// another resource attaches and their list leaves out (the two fight on every apply): such
    /// a policy is unknown, with the reason. A `data "aws_iam_policy"` found by the name of an
    /// AWS managed policy reads that policy.
    ///
    /// A Fargate task that pulls from private ECR or logs with `awslogs` without any execution
    /// role fails, and so do a task on ECS Managed Instances that pulls from private ECR
    /// without one and a container that reads secrets without one on any platform. On
    /// EC2, container instances of the input without an instance profile (an Auto Scaling group,
    /// instance or launch template without `iam_instance_profile`; an AWS Batch EC2 compute
    /// environment without `instance_role`) fail: there is no role to pull with. A
    /// role read with a data source, named by an ARN that no role of the input has, or not
    /// known before apply is unknown: its policies are not in the input. On AWS Batch the role
    /// is that of the job definitions that may run on the compute environment: none, one that
    /// cannot be read or whose `platform_capabilities` are not known, or several roles leave
    /// it unknown. Images not known before apply (container definitions that cannot be read, a
    /// variable without a value) may not be in ECR: a role without the ECR actions is then
    /// unknown, unless the input says they are ECR's (a repository of the input, an ECR host).
    ///
    /// ## Why is this bad?
    /// On Fargate, the execution role is the identity that authenticates to ECR, fetches the
    /// image, writes the first log events and resolves secrets; on EC2 the instance role pulls
    /// and the execution role still resolves the secrets. A role without
    /// `AmazonECSTaskExecutionRolePolicy` (or equivalent statements), or without the secrets it
    /// reads and their keys, cannot start the task. A customer managed policy that is not in the
    /// input makes the verdict unknown.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role" "execution" {
    ///   name = "app-execution"
    ///   assume_role_policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
    ///   })
    /// } # no policy attached
    /// ```
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_iam_role_policy_attachment" "execution" {
    ///   role       = aws_iam_role.execution.name
    ///   policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
    /// }
    /// ```
    /// Secrets need their own statement (`secretsmanager:GetSecretValue` on the secret,
    /// `ssm:GetParameters` on the parameter, `kms:Decrypt` on a customer managed key).
    ///
    /// ## References
    /// - Amazon ECS Developer Guide: "Amazon ECS task execution IAM role" (secrets: "kms:Decrypt
    ///   — Required only if your key uses a custom KMS key")
    /// - AWS Batch User Guide: "Specifying sensitive data with Secrets Manager" (the job
    ///   definition's execution role reads them)
    /// - AWS Managed Policy Reference: `AmazonECSTaskExecutionRolePolicy`
    /// - AWS KMS Developer Guide: "Key policies in AWS KMS" (no principal may use a key unless
    ///   the key policy allows it, directly or through the account's IAM policies)
    /// - Amazon ECS Developer Guide: "Amazon ECS container instance IAM role" (on EC2 the
    ///   container agent calls ECR and ECS with the instance role)
    /// - AWS Batch User Guide: "Amazon ECS instance role" (required for EC2 and Spot compute
    ///   environments)
    /// - Amazon ECS Developer Guide: "Using the awslogs log driver" (`awslogs-create-group`
    ///   needs `logs:CreateLogGroup`, "if the log group does not already exist")
    pub static RULE = {
        code: "PP404",
        name: "execution-role-cannot-pull",
        severity: Error,
        summary: "the task execution role (defined in the input) is not granted the ECR pull actions (and logs, secrets actions where used)",
        check: check,
    }
}

/// What a role must be allowed for one workload.
#[derive(Clone, Default)]
struct Duties {
    /// Pull the images (the pulling role).
    pull: bool,
    /// Write the `awslogs` logs.
    logs: bool,
    /// Read the secrets and decrypt them (the execution role).
    secrets: bool,
    /// The logs are this role's to write as the execution role on EC2 (EXECUTION_WRITES_LOGS).
    logs_on_ec2: bool,
}

/// Why on EC2 a task with an execution role writes its `awslogs` output with that role: ECS
/// adds the attribute `ecs.capability.execution-role-awslogs` to the requirements of a task
/// definition that names an execution role and uses the awslogs driver, and the container agent
/// advertises it only where `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE` is on (ecs-init's
/// default on the ECS-optimized AMIs, Bottlerocket's on its ECS variants), where it writes with
/// the execution role (amazon-ecs-agent, `agent/app/agent_capability.go`).
const EXECUTION_WRITES_LOGS: &str = "a task definition with an execution role and the awslogs driver runs only on container instances whose agent writes that output with the execution role: ECS requires their ecs.capability.execution-role-awslogs attribute";

/// The repositories of a workload's images under a pull-through cache prefix of the input, as
/// ARNs, with their prefix: an image known before apply by its repository's ARN, one that is
/// not (`"${data.aws_caller_identity.current.account_id}.dkr.ecr.<region>.amazonaws.com/ecr-public/…"`)
/// by what is known of its registry host and path (as PP602 reads it), its unknown parts as
/// [`crate::policy::UNKNOWN_PART`]. Row 157's helper audit: such an image asked nothing.
fn pull_through_repositories(scope: &Scope<'_>, w: &Workload) -> Vec<(String, String)> {
    let under = |name: &str| {
        scope
            .pull_through_prefixes
            .iter()
            .find(|p| name.starts_with(&format!("{p}/")))
            .cloned()
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for repo in scope.ecr_repositories(w).into_iter().flatten() {
        let Some(name) = repo.split_once(":repository/").map(|(_, n)| n) else {
            continue;
        };
        if let Some(prefix) = under(name) {
            out.push((repo, prefix));
        }
    }
    let u = crate::policy::UNKNOWN_PART.to_string();
    for c in &w.containers {
        if c.image.known().is_some() || c.image_ecr_repository.is_some() {
            continue;
        }
        let Some(host) = &c.image_ecr_host else {
            continue;
        };
        let Some((_, rest)) = host.shown.split_once('/') else {
            continue;
        };
        let name = rest.split(['@', ':']).next().unwrap_or(rest);
        let Some(prefix) = under(name) else {
            continue;
        };
        let arn = format!(
            "arn:{}:ecr:{}:{}:repository/{}",
            scope.partition(),
            host.region.as_deref().unwrap_or(&u),
            host.account.as_deref().unwrap_or(&u),
            unknown_parts(name, &u)
        );
        if !out.iter().any(|(a, _)| *a == arn) {
            out.push((arn, prefix));
        }
    }
    out
}

/// `text` with each `${…}` (a part not known before apply, as an image's template shows it)
/// replaced by `unknown`.
fn unknown_parts(text: &str, unknown: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        out.push_str(unknown);
        rest = match rest[at..].find('}') {
            Some(end) => &rest[at + end + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    for f in &scope.workloads {
        let w = scope.workload(f);
        let platform = w.platform.known().copied();
        // On EC2 the container instance role pulls and the execution role reads the secrets
        // (ECS: "Amazon ECS task execution IAM role"; Batch: "Required IAM permissions for AWS
        // Batch secrets"); on Fargate one role does both.
        let ec2 = platform.is_some_and(|p| !p.is_fargate());
        let fargate = platform.is_some_and(|p| p.is_fargate());
        let reads_secrets = w.containers.iter().any(|c| {
            !c.secrets.is_empty() || !c.secret_refs.is_empty() || c.secrets_unknown.is_some()
        });
        // On ECS Managed Instances the task execution role pulls too (DOMAIN.md §2).
        let managed = platform == Some(Platform::EcsManagedInstances);
        if let Some(finding) = no_execution_role(w, fargate, managed, ec2 && reads_secrets) {
            out.push(finding);
            continue;
        }
        if let Some(finding) = no_instance_profile(w, platform) {
            out.push(finding);
        }
        let mut judged: Vec<(&Fact<RoleRef>, Duties)> = Vec::new();
        if ec2 {
            // The awslogs calls: the execution role's where the task has one
            // (EXECUTION_WRITES_LOGS), else the instance role's.
            let execution = w
                .execution_role
                .as_ref()
                .filter(|e| w.pull_role.as_ref() != Some(*e));
            if let Some(r) = &w.pull_role {
                judged.push((
                    r,
                    Duties {
                        pull: true,
                        logs: execution.is_none(),
                        secrets: false,
                        logs_on_ec2: false,
                    },
                ));
            }
            // Asked only where some container may use the awslogs driver.
            let awslogs = w.containers_unknown.is_some()
                || w.containers
                    .iter()
                    .chain(&w.log_only)
                    .any(Container::may_use_awslogs);
            if let Some(e) = execution.filter(|_| awslogs) {
                judged.push((
                    e,
                    Duties {
                        pull: false,
                        logs: true,
                        secrets: false,
                        logs_on_ec2: true,
                    },
                ));
                if let Some(finding) = override_off(w) {
                    out.push(finding);
                }
            }
            if let Some(r) = w.execution_role.as_ref().filter(|_| reads_secrets) {
                match judged.iter_mut().find(|(p, _)| *p == r) {
                    Some((_, d)) => d.secrets = true,
                    None => judged.push((
                        r,
                        Duties {
                            pull: false,
                            logs: false,
                            secrets: true,
                            logs_on_ec2: false,
                        },
                    )),
                }
            }
        } else if let Some(r) = &w.pull_role {
            judged.push((
                r,
                Duties {
                    pull: true,
                    logs: true,
                    secrets: true,
                    logs_on_ec2: false,
                },
            ));
        }
        for (role, duties) in judged {
            match role {
                Fact::Known(RoleRef::Role(r)) => judge(scope, f, *r, &duties, out),
                Fact::Known(RoleRef::Arn(arn)) => out.push(outside(
                    w,
                    arn,
                    format!("the role {arn} is not a role of the input: its policies are not in the input"),
                )),
                // The container instances are in the input, but not the role of their instance
                // profile (a literal ARN or name of another stack's): what it allows is not
                // known (row 69's helper audit: it passed without a word).
                Fact::Unknown(why)
                    if ec2
                        && duties.pull
                        && w
                            .hosts
                            .as_ref()
                            .is_some_and(|h| !h.nodes.is_empty() && h.unknown.is_none()) =>
                {
                    out.push(outside(
                        w,
                        "the container instances' role",
                        format!("the role of its container instances, which pull the images, is not known: {why}"),
                    ))
                }
                // A pulling instance role that the input does not tie to the workload is the
                // workload network's question (PP901 and the EC2 rules), not this rule's.
                Fact::Unknown(_) if ec2 && duties.pull => {}
                Fact::Unknown(why) => {
                    let what = match (ec2, duties.secrets) {
                        (true, true) => "the execution role that reads its secrets",
                        (true, false) => "the execution role, which writes its awslogs output,",
                        (false, _) => "its execution role",
                    };
                    out.push(outside(w, "its execution role", format!("{what} is not known: {why}")))
                }
            }
        }
    }
}

/// Where the container instances' user data turns `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE`
/// off, a task definition with an execution role and the awslogs driver cannot be placed on
/// them: the agent does not advertise `ecs.capability.execution-role-awslogs`, which ECS
/// requires of it (EXECUTION_WRITES_LOGS).
fn override_off(w: &Workload) -> Option<Finding> {
    let off = w.awslogs_override.as_ref().filter(|a| !a.on)?;
    if !w
        .containers
        .iter()
        .chain(&w.log_only)
        .any(Container::uses_awslogs)
    {
        return None;
    }
    let name = w.node.name();
    let def = w
        .definition
        .as_ref()
        .map(|d| d.name())
        .unwrap_or_else(|| name.clone());
    Some(
        Finding::fail(
            &RULE,
            name.clone(),
            format!(
                "{off}: the container agent of the instances {name} runs on does not advertise ecs.capability.execution-role-awslogs, which ECS requires of {def} (an execution role and the awslogs driver): its tasks cannot be placed",
                off = off.why
            ),
        )
        .with_workload(Some(name.clone()))
        .with_path(vec![Hop::Workload(name), Hop::Definition(def)])
        .with_fix("remove ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=false from the user data (ecs-init turns it on by default on the ECS-optimized AMIs) and allow the awslogs calls to the execution role\n".to_string())
        .at(w.node.location.clone(), w.node.input),
    )
}

/// The finding for a workload whose task or job definition names no execution role although
/// it needs one: a Fargate task that pulls from private ECR or logs with `awslogs`, a task on
/// ECS Managed Instances that pulls from private ECR (the execution role pulls there), or a
/// container anywhere that reads secrets.
fn no_execution_role(
    w: &Workload,
    fargate: bool,
    managed: bool,
    ec2_secrets: bool,
) -> Option<Finding> {
    let def = w.definition.as_ref()?;
    // An image under the URL of a repository of the input is in private ECR too.
    let uses_private_ecr = w.containers.iter().any(|c| {
        c.image
            .known()
            .map_or(c.image_ecr_repository.is_some(), |i| {
                classify(i).is_private_ecr()
            })
    });
    let uses_awslogs = w
        .containers
        .iter()
        .chain(&w.log_only)
        .any(Container::uses_awslogs);
    let mut cannot: Vec<&str> = Vec::new();
    if (fargate || managed) && w.pull_role.is_none() && uses_private_ecr {
        cannot.push("pull its private ECR image");
    }
    if fargate && w.pull_role.is_none() && uses_awslogs {
        cannot.push("write to CloudWatch Logs with awslogs");
    }
    if cannot.is_empty() && ec2_secrets && w.execution_role.is_none() {
        cannot.push("read the secrets of its containers");
    }
    if cannot.is_empty() {
        return None;
    }
    let needs = cannot.join(" nor ");
    let def_name = def.name();
    let tasks = if fargate {
        "Fargate tasks"
    } else if managed {
        "tasks on ECS Managed Instances"
    } else {
        "tasks"
    };
    Some(
        Finding::fail(&RULE, def_name.clone(), format!("{def_name} sets no execution role, so the {tasks} of {} cannot {needs}", w.node.name()))
            .with_workload(Some(w.node.name()))
            .with_path(vec![Hop::Workload(w.node.name()), Hop::Definition(def_name)])
            .with_fix({
                // A Batch job definition has no `execution_role_arn` argument: the role is
                // `executionRoleArn` in its `container_properties` (a helper's audit of row 88h:
                // the advice reproduced the bug).
                let key = if matches!(w.kind, WorkloadKind::BatchComputeEnvironment) {
                    "executionRoleArn in the job definition's container_properties"
                } else {
                    "execution_role_arn"
                };
                if ec2_secrets && !fargate {
                    format!("set {key} to a role allowed to read the secrets (secretsmanager:GetSecretValue, ssm:GetParameters)\n")
                } else {
                    format!("set {key} to a role with the managed policy arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy attached\n")
                }
            })
            .at(def.location.clone().or(w.node.location.clone()), def.input.or(w.node.input)),
    )
}

/// The finding for a workload on EC2 container instances of the input that have no instance
/// profile (DOMAIN.md §2, §5: on EC2 the instance role pulls): the ECS agent has no
/// credentials, so the instances cannot register with the cluster nor authenticate the pull to
/// ECR. An Auto Scaling group or instance of the input without `iam_instance_profile` (in
/// itself or its launch template / configuration), or an AWS Batch EC2 compute environment
/// without `compute_resources.instance_role` (which AWS Batch requires for EC2 and SPOT). Hosts
/// that are not in the input are PP901's question (their network is unknown), not this one.
fn no_instance_profile(w: &Workload, platform: Option<Platform>) -> Option<Finding> {
    if w.pull_role.is_some() || w.instance_role.is_some() {
        return None;
    }
    let (at, what, hosts) = match platform? {
        Platform::EcsEc2 => {
            let h = w.hosts.as_ref()?;
            if h.unknown.is_some() {
                return None;
            }
            let first = h.nodes.first()?;
            let names: Vec<String> = h.nodes.iter().map(Node::name).collect();
            (
                first.clone(),
                format!(
                    "the container instances of {} ({}) have no instance profile",
                    w.node.name(),
                    names.join(", ")
                ),
                Hop::Instances(names.join(", ")),
            )
        }
        // A compute environment of the input (not a workload declared with `--workload`).
        Platform::BatchEc2 if w.kind == WorkloadKind::BatchComputeEnvironment => (
            w.node.clone(),
            format!(
                "{} sets no compute_resources.instance_role, so its container instances have no instance profile",
                w.node.name()
            ),
            Hop::Instances(w.node.name()),
        ),
        _ => return None,
    };
    Some(
        Finding::fail(
            &RULE,
            at.name(),
            format!(
                "{what}: on EC2 the instance role pulls the images, and without one the ECS agent can neither register the instances with the cluster nor authenticate to ECR"
            ),
        )
        .with_workload(Some(w.node.name()))
        .with_path(vec![Hop::Workload(w.node.name()), hosts])
        .with_fix(
            "give the instances an instance profile whose role has the managed policy arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role (iam_instance_profile on the launch template; instance_role on an AWS Batch compute environment)\n",
        )
        .at(at.location.clone(), at.input),
    )
}

/// An unknown verdict on a role whose policies are not in the input (`role`, as the task or job
/// definition names it), reported on that definition.
fn outside(w: &Workload, role: &str, why: String) -> Finding {
    let def = w.definition.as_ref().unwrap_or(&w.node);
    Finding::unknown(
        &RULE,
        def.name(),
        format!(
            "whether {role}, the role {} names, may pull the images of {} and read its secrets is not decided: {why}",
            def.name(),
            w.node.name()
        ),
    )
    .with_workload(Some(w.node.name()))
    .with_path(vec![
        Hop::Workload(w.node.name()),
        Hop::Definition(def.name()),
        Hop::Principal(role.to_string()),
    ])
    .with_fix(format!("nothing to change if {role} is allowed the ECR pull actions (AmazonECSTaskExecutionRolePolicy) and the secrets the tasks read; to let pullpath decide, check it together with the configuration that defines the role\n"))
    .at(def.location.clone(), def.input)
}

/// The key policy without its entries that name a whole account (`arn:…:iam::ACCOUNT:root`
/// or `ACCOUNT`) in Allow statements: what it grants principals directly. A grant to an
/// account only lets that account's IAM policies allow the key's use (AWS KMS Developer Guide,
/// "Default key policy": "Allows access to the AWS account and enables IAM policies").
fn direct_grants(p: &Policy) -> Policy {
    let whole_account = |e: &str| {
        let id = |s: &str| s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
        if id(e) {
            return true;
        }
        let parts: Vec<&str> = e.split(':').collect();
        parts.len() == 6
            && parts[0] == "arn"
            && parts[2] == "iam"
            && parts[3].is_empty()
            && parts[5] == "root"
    };
    let mut p = p.clone();
    for st in &mut p.statements {
        if st.effect != crate::policy::Effect::Allow {
            continue;
        }
        if let Some(b) = st.principal.as_mut().filter(|b| !b.negated) {
            b.aws.retain(|e| !whole_account(e));
        }
    }
    p
}

/// A request and whether the workload surely makes it.
struct Ask {
    request: crate::policy::Request,
    /// `Some(why)`: the request may not be needed at all (e.g. a key that may be AWS managed):
    /// a deny is unknown, not a fail.
    maybe: Option<String>,
    /// The key policy that gates a `kms:Decrypt`.
    key_policy: Option<(&'static str, String, KeyPolicyView)>,
}

/// A key policy as the rule needs it.
#[derive(Clone)]
enum KeyPolicyView {
    NotInInput,
    Default,
    Document(Result<Policy, String>),
}

/// The request as a key policy sees it: a role whose ARN is known only after apply is the
/// reference that gives it, so a statement naming `aws_iam_role.x.arn` covers it.
fn key_request(r: &Principal, req: &crate::policy::Request) -> crate::policy::Request {
    let mut req = req.clone();
    if let (None, Some(address)) = (&r.arn, &r.node.address) {
        req.principal = crate::policy::PrincipalSpec::Arn(crate::policy::unknown_text(&format!(
            "{address}.arn"
        )));
    }
    req
}

/// Judges a role of the input for the duties it has for workload `f`.
fn judge(
    scope: &Scope<'_>,
    f: &WorkloadFacts,
    role: PrincipalIdx,
    duties: &Duties,
    out: &mut Vec<Finding>,
) {
    let w = scope.workload(f);
    let region = scope.region().unwrap_or("us-east-1").to_string();
    let partition = scope.partition();
    let account = scope.account();
    let r = &scope.net.principals[role];
    let parsed = super::iam::identity_policies(scope.net, role);
    let (identity, reasons) = super::iam::engine_view(&parsed);
    // A permissions boundary caps what the role's policies allow (IAM User Guide, "Permissions
    // boundaries for IAM entities": the effective permissions are what both allow).
    let bounded: Vec<_> = super::iam::boundary_policy(scope.net, role)
        .into_iter()
        .collect();
    let (boundary, boundary_reasons) = super::iam::engine_view(&bounded);
    let boundary_name = r.boundary.as_ref().map(|b| match b {
        crate::graph::AttachedPolicy::Managed { arn, .. } => arn.clone(),
        other => other.source().name(),
    });
    // The calls the boundary does not allow, and those it may not.
    let mut boundary_denied: Vec<String> = Vec::new();
    let mut boundary_unknown: (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let principal = requests::pulling_principal(r.arn.as_deref());
    let absent = KeyState::Absent;
    let mut asks: Vec<Ask> = Vec::new();
    let sure = |request| Ask {
        request,
        maybe: None,
        key_policy: None,
    };
    if duties.pull {
        // Images under a repository of the input whose ARN is known only after apply: a policy
        // on the same reference (`aws_ecr_repository.app.arn`) names the same repository.
        let references = scope.ecr_repository_references(w);
        for (reference, shape) in references.iter().flatten() {
            asks.extend(
                requests::ecr_pull_requests_of_reference(
                    &principal,
                    &region,
                    reference,
                    shape.clone(),
                )
                .into_iter()
                .map(sure),
            );
        }
        for repo in scope.ecr_repositories(w) {
            if repo.is_none() && references.as_ref().is_some_and(|r| !r.is_empty()) {
                // The unknown images are those repositories' (their GetAuthorizationToken is
                // asked with the known ones, or below when there are none).
                if scope.ecr_repositories(w).iter().any(Option::is_some) {
                    continue;
                }
                asks.push(sure(requests::ecr_pull(
                    requests::EcrPullAction::GetAuthorizationToken,
                    principal.clone(),
                    &region,
                    None,
                    absent.clone(),
                    absent.clone(),
                )));
                continue;
            }
            if repo.is_none()
                && !w.containers.is_empty()
                && w.containers.iter().all(|c| {
                    c.image
                        .known()
                        .is_some_and(|i| !matches!(classify(i), Image::PrivateEcr { .. }))
                })
            {
                continue;
            }
            // Container definitions that cannot be read at all: whether their images are in
            // private ECR is not known (a public image needs nothing of the role; a helper's
            // probe: a role without ECR actions failed). A known container whose image is not
            // known before apply is asked surely, as it was (`data.aws_ecr_image…image_uri`, a
            // variable: a review found the same question lost a fail for them).
            let maybe = match &w.containers_unknown {
                Some(why) if repo.is_none() && w.containers.is_empty() => Some(format!(
                    "the images of {} may be in private ECR (its container definitions are not known: {why})",
                    w.node.name()
                )),
                _ => None,
            };
            asks.extend(
                requests::ecr_pull_requests(&principal, &region, repo.as_deref(), &absent, &absent)
                    .into_iter()
                    .map(|request| Ask {
                        request,
                        maybe: maybe.clone(),
                        key_policy: None,
                    }),
            );
        }
        // An image under a pull-through cache prefix: its first pull imports it from the
        // upstream registry into a repository ECR creates (ECR User Guide, "IAM permissions
        // required to sync an upstream registry with an Amazon ECR private registry":
        // `ecr:BatchImportUpstreamImage`, and `ecr:CreateRepository` while the repository does
        // not exist). The private registry's permissions (a registry policy, which may be
        // outside the input) can grant them instead: a role without them is unknown.
        for (repo, prefix) in pull_through_repositories(scope, w) {
            for (action, does) in [
                (
                    "ecr:BatchImportUpstreamImage",
                    format!("the first pull through the pull-through cache prefix {prefix}/ imports the image from the upstream registry"),
                ),
                (
                    "ecr:CreateRepository",
                    "that first pull creates the repository".to_string(),
                ),
            ] {
                let mut request = requests::ecr_pull(
                    requests::EcrPullAction::BatchGetImage,
                    principal.clone(),
                    &region,
                    Some(&repo),
                    absent.clone(),
                    absent.clone(),
                );
                request.action = action.to_string();
                asks.push(Ask {
                    request,
                    maybe: Some(format!(
                        "{does} (the private registry's permissions, a registry policy, may allow it instead)"
                    )),
                    key_policy: None,
                });
            }
        }
    }
    if duties.logs {
        for (group, create) in scope.log_groups(w) {
            if w.containers.is_empty() && w.containers_unknown.is_some() {
                break;
            }
            asks.extend(
                requests::logs_write_requests(
                    &principal,
                    &region,
                    group.as_deref(),
                    create,
                    &absent,
                    &absent,
                )
                .into_iter()
                .map(sure),
            );
        }
    }
    // Container definitions not known before apply (row 85's helper audit: it passed): they may
    // write logs and read secrets, from wherever; a role that allows these everywhere is
    // allowed, else what it lacks may be needed (unknown, never a pass).
    if let Some(why) = &w.containers_unknown {
        let maybe = format!(
            "the container definitions of {} are not known ({why})",
            w.node.name()
        );
        let mut may = |request| Ask {
            request,
            maybe: Some(maybe.clone()),
            key_policy: None,
        };
        let mut extra: Vec<Ask> = Vec::new();
        if duties.logs && w.containers.is_empty() {
            extra.extend(
                requests::logs_write_requests(&principal, &region, None, false, &absent, &absent)
                    .into_iter()
                    .map(&mut may),
            );
        }
        if duties.secrets {
            extra.extend(any_secret_reads(&principal, &region).map(&mut may));
        }
        asks.extend(extra);
    }
    // Secrets not known before apply (a `valueFrom` or repository credentials of unknown
    // value): they may be read, from wherever.
    if duties.secrets {
        if let Some(why) = w.containers.iter().find_map(|c| c.secrets_unknown.clone()) {
            asks.extend(any_secret_reads(&principal, &region).map(|request| Ask {
                request,
                maybe: Some(why.clone()),
                key_policy: None,
            }));
        }
    }
    if duties.secrets {
        for c in &w.containers {
            // A secret whose ARN is known only after apply is read by the reference that gives
            // it: a policy naming the same reference allows it.
            for s in &c.secret_refs {
                let region_of = s.region.as_deref().or(scope.region());
                // One the input creates is in its own account, whatever that is.
                let account = match (&account, s.created) {
                    (Some(a), _) => Some(a.clone()),
                    (None, true) => Some(crate::policy::OWN_ACCOUNT.to_string()),
                    (None, false) => None,
                };
                let resource = if s.secrets_manager {
                    let mut shape =
                        requests::secret_arn_shape(partition, region_of, account.as_deref());
                    if let Some(name) = &s.name {
                        // `secret:<name>-` and the six characters Secrets Manager adds.
                        shape.pop();
                        shape.push_str(&format!("{name}-{}", crate::policy::UNKNOWN_PART));
                    }
                    requests::reference(&s.reference, shape)
                } else {
                    let mut shape =
                        requests::parameter_arn_shape(partition, region_of, account.as_deref());
                    if let Some(name) = &s.name {
                        shape.pop();
                        shape.push_str(name.trim_start_matches('/'));
                    }
                    requests::reference(&s.reference, shape)
                };
                let read = if s.secrets_manager {
                    requests::secret_read_of
                } else {
                    requests::ssm_parameters_read_of
                };
                asks.push(sure(read(
                    principal.clone(),
                    &region,
                    resource,
                    KeyState::Absent,
                    KeyState::Absent,
                )));
            }
            for s in &c.secrets {
                let secrets_manager = s.split(':').nth(2) == Some("secretsmanager");
                // A parameter named without its ARN is in the task's own region and account
                // (Amazon ECS Developer Guide, "Pass Systems Manager parameters as environment
                // variables": the name is enough in the same Region).
                let named = (!secrets_manager && !s.starts_with("arn:"))
                    .then(|| named_parameter_arn(partition, scope.region(), account.as_deref(), s))
                    .flatten();
                let arn = if secrets_manager || s.starts_with("arn:") {
                    Some(s.as_str())
                } else {
                    named.as_deref()
                };
                let read = if secrets_manager {
                    requests::secret_read
                } else {
                    requests::ssm_parameters_read
                };
                asks.push(sure(read(
                    principal.clone(),
                    &region,
                    arn,
                    KeyState::Absent,
                    KeyState::Absent,
                )));
            }
            for k in &c.kms_keys {
                let (resource, maybe) = match &k.key {
                    KmsKey::Arn(arn) => (ResourceSpec::Exact(arn.clone()), None),
                    KmsKey::Reference { reference, region } => (
                        requests::reference(
                            reference,
                            requests::kms_key_arn_shape(
                                partition,
                                region.as_deref().or(scope.region()),
                                account.as_deref(),
                            ),
                        ),
                        None,
                    ),
                    KmsKey::Unknown(why) => (ResourceSpec::Unknown, Some(why.clone())),
                };
                let view = match &k.key_policy {
                    KeyPolicy::NotInInput => KeyPolicyView::NotInInput,
                    KeyPolicy::Default => KeyPolicyView::Default,
                    KeyPolicy::Document(d) => match &**d {
                        AttachedPolicy::Document { policy, source, .. } => KeyPolicyView::Document(
                            policy
                                .clone()
                                .map_err(|e| format!("{}: {e}", source.name())),
                        ),
                        AttachedPolicy::Unknown { reason, .. } => {
                            KeyPolicyView::Document(Err(reason.clone()))
                        }
                        AttachedPolicy::Managed { arn, .. } => KeyPolicyView::Document(Err(
                            format!("the key policy {arn} is not in the input"),
                        )),
                    },
                };
                let key_name = match &k.key {
                    KmsKey::Arn(a) => crate::policy::shown(a),
                    KmsKey::Reference { reference, .. } => reference
                        .strip_suffix(".arn")
                        .unwrap_or(reference)
                        .to_string(),
                    KmsKey::Unknown(_) => format!("the key of {}", k.secret),
                };
                asks.push(Ask {
                    request: requests::kms_decrypt(
                        principal.clone(),
                        &region,
                        k.via,
                        resource,
                        KeyState::Absent,
                        KeyState::Absent,
                    ),
                    maybe,
                    key_policy: Some((k.via, key_name, view)),
                });
            }
        }
    }
    // Each call carries the `aws:SourceVpc` and `aws:SourceVpce` of the endpoint it goes
    // through (none through NAT): a role that allows the pull only through the VPC's endpoints,
    // as the ECR User Guide documents ("Interface VPC endpoints": condition keys on the task
    // execution role), is allowed there (a helper's probe: it failed).
    use super::analysis::Service;
    for ask in &mut asks {
        let action = ask.request.action.as_str();
        let svc = match action.split_once(':').map(|(s, _)| s) {
            Some("ecr") if action.eq_ignore_ascii_case("ecr:GetAuthorizationToken") => {
                Some(Service::EcrApi)
            }
            Some("ecr") => Some(Service::EcrDkr),
            Some("logs") => Some(Service::Logs),
            Some("secretsmanager") => Some(Service::SecretsManager),
            Some("ssm") => Some(Service::Ssm),
            _ => None,
        };
        if let Some(svc) = svc {
            let (vpc, vpce) = super::repository::source_through(scope, f, svc);
            ask.request
                .context
                .set("aws:SourceVpc", vpc)
                .set("aws:SourceVpce", vpce);
        }
    }
    let mut denied: Vec<String> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    // (why the call may be needed, the call) of the calls not allowed that may not be needed.
    let mut maybe_denied: Vec<(String, String)> = Vec::new();
    let deny = |denied: &mut Vec<String>, what: String| {
        if !denied.contains(&what) {
            denied.push(what);
        }
    };
    let role_name = r.node.name();
    for ask in &asks {
        let req = &ask.request;
        let ev = evaluate_identity(&identity, req);
        let why_unknown = |ev: &crate::policy::Evaluation| {
            if reasons.is_empty() {
                ev.unknown_because.clone()
            } else {
                reasons.clone()
            }
        };
        // The key policy decides with IAM (DOMAIN.md §2): a key of the input without a policy
        // has KMS's default policy, which leaves the account's IAM policies in charge.
        let key = ask.key_policy.as_ref().map(|(_, name, view)| {
            let kp = match view {
                KeyPolicyView::NotInInput | KeyPolicyView::Default => None,
                KeyPolicyView::Document(Ok(p)) => Some(Ok(evaluate(p, &key_request(r, req)))),
                KeyPolicyView::Document(Err(e)) => Some(Err(e.clone())),
            };
            (name.clone(), view, kp)
        });
        let action = match (&key, &req.resource) {
            (Some((name, _, _)), _) => format!("kms:Decrypt on {name}"),
            // A secret named by a partial ARN: say which ARN the policy must cover.
            (None, ResourceSpec::Prefix(p)) if req.action == "secretsmanager:GetSecretValue" => {
                format!(
                    "{} on {p}?????? (the task names the secret by a partial ARN; the secret's ARN ends in `-` and six characters Secrets Manager adds, which a Resource must cover: `{p}*`)",
                    req.action
                )
            }
            (None, _) => req.action.clone(),
        };
        if let Some(bname) = &boundary_name {
            let evb = evaluate_identity(&boundary, req);
            let identity_denies = ev.decision.is_deny() && key.is_none() && ask.maybe.is_none();
            match evb.decision {
                Decision::Allow => {}
                d if d.is_deny() && key.is_none() => {
                    match &ask.maybe {
                        Some(why) => unknown.push(format!(
                            "{action} is not allowed by the permissions boundary {bname}, and may be needed: {why}"
                        )),
                        None => {
                            deny(&mut boundary_denied, action.clone());
                            deny(&mut denied, action);
                        }
                    }
                    continue;
                }
                // Its own policies deny it anyway.
                _ if identity_denies => {}
                _ => {
                    let why = if boundary_reasons.is_empty() {
                        evb.unknown_because.clone()
                    } else {
                        boundary_reasons.clone()
                    };
                    deny(&mut boundary_unknown.0, action);
                    boundary_unknown.1.extend(why);
                    continue;
                }
            }
        }
        match (&key, ev.decision) {
            (Some((_, _, Some(Ok(kp)))), _) if kp.decision == Decision::ExplicitDeny => {
                deny(&mut denied, format!("{action} (its key policy denies it)"));
            }
            (None | Some((_, KeyPolicyView::Default, _)), Decision::Allow) => {}
            (Some((_, KeyPolicyView::NotInInput, _)), Decision::Allow) => {}
            (Some((name, _, Some(Ok(kp)))), Decision::Allow) => match kp.decision {
                Decision::Allow => {}
                Decision::ImplicitDeny if ask.maybe.is_none() => deny(
                    &mut denied,
                    format!("{action} (the key policy of {name} allows neither the role nor its account)"),
                ),
                _ => unknown.push(format!(
                    "whether the key policy of {name} allows {role_name} kms:Decrypt is not known{}",
                    if kp.unknown_because.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", kp.unknown_because.join("; "))
                    }
                )),
            },
            (Some((name, _, Some(Err(e)))), Decision::Allow) => unknown.push(format!(
                "the key policy of {name} is not known ({e})"
            )),
            (Some((_, KeyPolicyView::Default, _)), d) | (None, d) if d.is_deny() => {
                match &ask.maybe {
                    Some(why) => maybe_denied.push((why.clone(), action.to_string())),
                    None => deny(&mut denied, action),
                }
            }
            (Some((name, view, kp)), d) if d.is_deny() => {
                let kp_denies = matches!(kp, Some(Ok(kp)) if kp.decision.is_deny());
                // What the key policy grants the role itself, not through its account (whose
                // grant only lets IAM decide): none, decided, and IAM does not allow it.
                let direct = match view {
                    KeyPolicyView::Document(Ok(p)) => {
                        Some(evaluate(&direct_grants(p), &key_request(r, req)).decision)
                    }
                    _ => None,
                };
                match &ask.maybe {
                    None if kp_denies => deny(&mut denied, action),
                    None if d == Decision::ExplicitDeny => deny(&mut denied, action),
                    None if direct == Some(Decision::ImplicitDeny) => deny(
                        &mut denied,
                        format!("{action} (its key policy grants it to the account only, so IAM must)"),
                    ),
                    None if direct == Some(Decision::Allow) => {}
                    Some(why) => maybe_denied.push((why.clone(), action.to_string())),
                    None => unknown.push(format!(
                        "{role_name}'s policies do not allow {action}, which the key policy of {name} may grant it directly{}",
                        if kp.is_none() { " (the key is not in the input)" } else { "" }
                    )),
                }
            }
            (_, _) => unknown.extend(why_unknown(&ev)),
        }
    }
    // Calls that may be needed, not allowed: one sentence per reason.
    let mut reasons: Vec<&String> = Vec::new();
    for (why, _) in &maybe_denied {
        if !reasons.contains(&why) {
            reasons.push(why);
        }
    }
    for why in reasons {
        let actions: Vec<&str> = maybe_denied
            .iter()
            .filter(|(w, _)| w == why)
            .map(|(_, a)| a.as_str())
            .collect();
        let (are, join) = match actions.len() {
            1 => ("is", actions.join("")),
            _ => ("are", actions.join(", ")),
        };
        unknown.push(format!(
            "{join} {are} not allowed, and may be needed: {why}"
        ));
    }
    if let (Some(bname), false) = (&boundary_name, boundary_unknown.0.is_empty()) {
        let (actions, mut why) = boundary_unknown;
        why.sort();
        why.dedup();
        unknown.push(format!(
            "whether the permissions boundary {bname} of {role_name} allows {} is not known ({})",
            actions.join(", "),
            why.join("; ")
        ));
    }
    unknown.sort();
    unknown.dedup();
    let path = vec![
        Hop::Workload(w.node.name()),
        Hop::Definition(w.definition.as_ref().map(|d| d.name()).unwrap_or_default()),
        Hop::Principal(role_name.clone()),
    ];
    let name = w.node.name();
    let stated = format!(" ({EXECUTION_WRITES_LOGS})");
    let doing = match (duties.pull, duties.logs, duties.secrets) {
        (false, true, false) if duties.logs_on_ec2 => {
            format!("the role that writes {name}'s logs{stated}")
        }
        (false, true, true) if duties.logs_on_ec2 => {
            format!("the role that reads {name}'s secrets and writes its logs{stated}")
        }
        (true, _, false) => format!("the role that pulls {name}'s images"),
        (false, false, true) => format!("the role that reads {name}'s secrets"),
        (false, true, false) => format!("a role that may write {name}'s logs"),
        (false, true, true) => {
            format!("the role that reads {name}'s secrets (and may write its logs)")
        }
        (true, _, true) => format!("the role that starts {name}'s tasks"),
        (false, false, false) => format!("a role of {name}"),
    };
    let finding = if !denied.is_empty() {
        Finding::fail(
            &RULE,
            role_name.clone(),
            match (&boundary_name, boundary_denied.is_empty()) {
                (Some(bname), false) if boundary_denied.len() == denied.len() => format!(
                    "{role_name}, {doing}, is not allowed {}: its permissions boundary {bname} allows none of them",
                    denied.join(", "),
                ),
                (Some(bname), false) => format!(
                    "{role_name}, {doing}, is not allowed {}: its permissions boundary {bname} does not allow {}",
                    denied.join(", "),
                    boundary_denied.join(", ")
                ),
                _ => format!(
                    "{role_name}, {doing}, is not allowed {}{}",
                    denied.join(", "),
                    misplaced_policies(&r.policies)
                ),
            },
        )
    } else if !unknown.is_empty() {
        let what = match (duties.pull, duties.logs, duties.secrets) {
            (true, _, _) => format!("may pull {name}'s images"),
            (false, true, true) => format!("may read {name}'s secrets and write its logs"),
            (false, false, _) => format!("may read {name}'s secrets"),
            (false, true, false) => format!("may write {name}'s logs"),
        };
        Finding::unknown(
            &RULE,
            role_name.clone(),
            format!(
                "whether {role_name} {what} is not decided: {}",
                unknown.join("; ")
            ),
        )
    } else {
        return;
    };
    let fix = if !boundary_denied.is_empty() {
        format!(
            "allow {} in {}, the permissions boundary of {role_name}: a boundary caps what the role's own policies allow, so both must allow these calls\n",
            boundary_denied.join(", "),
            boundary_name.as_deref().unwrap_or("the permissions boundary")
        )
    } else if r.node.data && denied.is_empty() {
        format!("nothing to change if {role_name} is allowed these calls; to let pullpath decide, check it together with the configuration that defines the role\n")
    } else if !denied.is_empty() && denied.iter().all(|a| a == "logs:CreateLogGroup") {
        // The managed policy does not grant it: create the group, or allow the call.
        format!("create the log group in the configuration (an aws_cloudwatch_log_group named as the container's awslogs-group: the awslogs driver creates a group only when it is missing), or allow logs:CreateLogGroup on it for {role_name}\n")
    } else if denied.is_empty() {
        format!("nothing to change if {role_name} is allowed these calls; to let pullpath decide, check it together with the configuration that gives what is not known above\n")
    } else if denied
        .iter()
        .all(|a| a.starts_with("ecr:") || a.starts_with("logs:"))
    {
        format!(
            "resource \"aws_iam_role_policy_attachment\" \"execution\" {{\n  role       = {}\n  policy_arn = \"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"\n}}\n",
            super::fixes::reference(scope.net, &r.node, "name")
        )
    } else {
        let keys = if denied.iter().any(|a| a.starts_with("kms:")) {
            " and the keys that encrypt them"
        } else {
            ""
        };
        format!("allow {} for {role_name}, e.g. in an aws_iam_role_policy on the secrets it reads{keys}\n", denied.join(", "))
    };
    out.push(
        finding
            .with_workload(Some(w.node.name()))
            .with_path(path)
            .with_fix(fix)
            .at(r.node.location.clone(), r.node.input),
    );
}

/// The reads of a secret or parameter not known: `secretsmanager:GetSecretValue` and
/// `ssm:GetParameters` on any resource.
fn any_secret_reads(
    principal: &crate::policy::PrincipalSpec,
    region: &str,
) -> [crate::policy::Request; 2] {
    [
        requests::secret_read(
            principal.clone(),
            region,
            None,
            KeyState::Absent,
            KeyState::Absent,
        ),
        requests::ssm_parameters_read(
            principal.clone(),
            region,
            None,
            KeyState::Absent,
            KeyState::Absent,
        ),
    ]
}

/// The ARN of the SSM parameter a container names without its ARN (`/app/db` or `app-db`):
/// `arn:<partition>:ssm:<region>:<account>:parameter/app/db`, the account the input's own
/// ([`crate::policy::OWN_ACCOUNT`] when not known); `None` when the region is not known or the
/// text is not a parameter name.
fn named_parameter_arn(
    partition: &str,
    region: Option<&str>,
    account: Option<&str>,
    name: &str,
) -> Option<String> {
    let region = region?;
    let own = crate::policy::OWN_ACCOUNT.to_string();
    let path = name.strip_prefix('/').unwrap_or(name);
    let valid = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c));
    valid.then(|| {
        format!(
            "arn:{partition}:ssm:{region}:{}:parameter/{path}",
            account.unwrap_or(&own)
        )
    })
}

/// The attached AWS managed policy ARNs that name no policy (a known name under another path):
/// "; arn:aws:iam::aws:policy/X names no AWS managed policy (X is …/service-role/X)".
fn misplaced_policies(policies: &[AttachedPolicy]) -> String {
    let mut out = String::new();
    for p in policies {
        if let AttachedPolicy::Managed { arn, .. } = p {
            if let Some(path) = crate::policy::managed::misplaced(arn) {
                let prefix = arn.split("policy/").next().unwrap_or("arn:aws:iam::aws:");
                out.push_str(&format!(
                    "; {arn} names no AWS managed policy (the policy of that name is {prefix}policy/{path}): attaching it fails"
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// The managed policy attached through `data "aws_iam_policy"` by its ARN (ecosystem rows
    /// 29 and 32): its document is AWS's, so the role is decided (it was unknown).
    #[test]
    fn managed_policy_through_a_data_source_is_decided() {
        let src = private_fargate(ALL_ENDPOINTS).replace(
            r#"policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy""#,
            "policy_arn = data.aws_iam_policy.execution.arn",
        ) + r#"
data "aws_iam_policy" "execution" {
  arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
"#;
        assert!(src.contains("data.aws_iam_policy.execution.arn"));
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts_of("PP404", &f), vec![]);
        // Its document as a source of a customer policy is read too.
        let src = private_fargate(ALL_ENDPOINTS).replace(
            r#"policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy""#,
            "policy_arn = aws_iam_policy.execution.arn",
        ) + r#"
data "aws_iam_policy" "managed" {
  arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
resource "aws_iam_policy" "execution" {
  name   = "execution"
  policy = data.aws_iam_policy.managed.policy
}
"#;
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(verdicts_of("PP404", &f), vec![]);
    }

    /// The private Fargate service whose container reads `value_from` (an HCL expression), the
    /// execution role with the managed policy and an inline policy allowing
    /// `secretsmanager:GetSecretValue` on `resource` (an HCL expression), with `extras`.
    fn reading_secret(value_from: &str, resource: &str, extras: &str) -> String {
        private_fargate(ALL_ENDPOINTS).replace(
            "essential = true",
            &format!(
                "essential = true\n    secrets = [{{ name = \"DB\", valueFrom = {value_from} }}]"
            ),
        ) + &format!(
            r#"
resource "aws_iam_role_policy" "secrets" {{
  role = aws_iam_role.task_execution.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = {resource} }}]
  }})
}}
"#
        ) + SECRET
            + extras
    }

    const SECRET: &str = r#"
resource "aws_secretsmanager_secret" "db" {
  name = "db"
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = "x"
}

resource "aws_secretsmanager_secret" "other" {
  name = "other"
}
"#;

    fn pp404(src: &str) -> Vec<(&'static str, &'static str, String)> {
        verdicts_of("PP404", &check_hcl(&[("main.tf", src)]))
    }

    fn unknown_on_role() -> Vec<(&'static str, &'static str, String)> {
        vec![("PP404", "unknown", "aws_iam_role.task_execution".into())]
    }

    /// A policy whose Resource is the very reference the container reads (ecosystem rows 11
    /// and 30) allows the read: it was unknown ("resource ${…} is not known before apply").
    /// The secret's `id` and its version's `arn` are the same ARN as the secret's `arn`.
    #[test]
    fn a_secret_named_by_the_same_reference_is_allowed() {
        for (value_from, resource) in [
            (
                "aws_secretsmanager_secret.db.arn",
                "aws_secretsmanager_secret.db.arn",
            ),
            (
                "aws_secretsmanager_secret.db.id",
                "aws_secretsmanager_secret.db.arn",
            ),
            (
                "aws_secretsmanager_secret_version.db.arn",
                "aws_secretsmanager_secret.db.arn",
            ),
            (
                "aws_secretsmanager_secret.db.arn",
                "aws_secretsmanager_secret_version.db.arn",
            ),
            (
                "\"${aws_secretsmanager_secret.db.arn}:password::\"",
                "[aws_secretsmanager_secret.db.arn]",
            ),
            (
                "aws_secretsmanager_secret.db.arn",
                "\"arn:aws:secretsmanager:*:*:secret:*\"",
            ),
            ("aws_secretsmanager_secret.db.arn", "\"*\""),
        ] {
            assert_eq!(
                pp404(&reading_secret(value_from, resource, "")),
                vec![],
                "{value_from} / {resource}"
            );
        }
    }

    /// Another secret of the input, named by its reference: another secret, whose ARN is not
    /// the one read (two secrets of the input are two names). PP404 fails, decided.
    #[test]
    fn another_secret_of_the_input_is_not_the_one_read() {
        let src = reading_secret(
            "aws_secretsmanager_secret.db.arn",
            "aws_secretsmanager_secret.other.arn",
            "",
        );
        assert_eq!(
            pp404(&src),
            vec![("PP404", "fail", "aws_iam_role.task_execution".into())]
        );
    }

    /// A secret of the input whose name is known (`db`), named by a pattern of the caller's
    /// account and a name prefix: its ARN is `…:secret:db-` and six characters in the input's
    /// own account, which the pattern covers (row 100); a prefix of another name does not.
    #[test]
    fn a_secret_of_known_name_is_covered_by_its_name_prefix() {
        let caller = "data \"aws_caller_identity\" \"current\" {}\n";
        let covered = reading_secret(
            "aws_secretsmanager_secret.db.arn",
            "\"arn:aws:secretsmanager:us-west-2:${data.aws_caller_identity.current.account_id}:secret:db-*\"",
            caller,
        );
        assert_eq!(pp404(&covered), vec![]);
        let other = reading_secret(
            "aws_secretsmanager_secret.db.arn",
            "\"arn:aws:secretsmanager:us-west-2:${data.aws_caller_identity.current.account_id}:secret:app-*\"",
            caller,
        );
        assert_eq!(
            pp404(&other),
            vec![("PP404", "fail", "aws_iam_role.task_execution".into())]
        );
    }

    /// A literal pattern that may or may not cover the ARN is undecided: unknown, never a pass.
    #[test]
    fn a_secret_named_otherwise_is_unknown() {
        let resource = "\"arn:aws:secretsmanager:us-west-2:111122223333:secret:db-*\"";
        assert_eq!(
            pp404(&reading_secret(
                "aws_secretsmanager_secret.db.arn",
                resource,
                ""
            )),
            unknown_on_role(),
        );
    }

    /// An SSM parameter of the input with a known name is `…:parameter/<name>`, whatever its
    /// ARN is before apply: a policy on its path covers it, another path does not (row 80's
    /// helper audit: both unknown).
    #[test]
    fn a_parameter_of_known_name_is_matched_by_its_path() {
        let parameter = r#"
resource "aws_ssm_parameter" "db" {
  name  = "/app/db"
  type  = "String"
  value = "x"
}
"#;
        let src = |resource: &str| {
            reading_secret("aws_ssm_parameter.db.arn", resource, parameter).replace(
                "Action = \"secretsmanager:GetSecretValue\"",
                "Action = \"ssm:GetParameters\"",
            )
        };
        assert_eq!(pp404(&src("\"arn:aws:ssm:*:*:parameter/app/*\"")), vec![]);
        assert_eq!(
            pp404(&src("\"arn:aws:ssm:*:*:parameter/other/*\"")),
            vec![("PP404", "fail", "aws_iam_role.task_execution".into())]
        );
    }

    /// Container definitions not known before apply may read secrets from anywhere: a role
    /// with the managed execution policy only (no secrets) is unknown, never a pass (row 85's
    /// helper audit: a template-wrapped definition passed); `AdministratorAccess` allows it.
    #[test]
    fn container_definitions_not_known_may_read_secrets() {
        let base = private_fargate(ALL_ENDPOINTS);
        let start = base
            .find("  container_definitions = jsonencode([{")
            .unwrap();
        let end = base[start..].find("}])\n").unwrap() + start + 4;
        let src = format!(
            "{}  container_definitions = var.container_definitions\n{}variable \"container_definitions\" {{\n  type = string\n}}\n",
            &base[..start],
            &base[end..]
        );
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(pp404(&src), unknown_on_role(), "{f:?}");
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(msg.contains("container definitions"), "{msg}");
        let admin = src.replace(
            "service-role/AmazonECSTaskExecutionRolePolicy",
            "AdministratorAccess",
        );
        assert_ne!(admin, src);
        assert_eq!(pp404(&admin), vec![]);
    }

    /// A secret named by a partial ARN (no `-` and six random characters, as ecosystem row 63's
    /// example variables give it): the secret Secrets Manager reads has the full ARN, which a
    /// policy naming the partial ARN itself does not cover (a fail, not a pass); a wildcard after
    /// the name does; `-??????` may (six characters, which the name might not end with).
    #[test]
    fn a_partial_secret_arn_needs_a_wildcard_in_the_policy() {
        let partial = "\"arn:aws:secretsmanager:us-west-2:111122223333:secret:app/key\"";
        let src = |resource: &str| reading_secret(partial, resource, "");
        assert_eq!(
            pp404(&src(partial)),
            vec![("PP404", "fail", "aws_iam_role.task_execution".into())]
        );
        let f = check_hcl(&[("main.tf", &src(partial))]);
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(msg.contains("secretsmanager:GetSecretValue on"), "{msg}");
        assert!(msg.contains("partial ARN"), "{msg}");
        for covering in [
            "\"arn:aws:secretsmanager:us-west-2:111122223333:secret:app/key-*\"",
            "\"arn:aws:secretsmanager:us-west-2:111122223333:secret:app/key*\"",
        ] {
            assert_eq!(pp404(&src(covering)), vec![], "{covering}");
        }
        assert_eq!(
            pp404(&src(
                "\"arn:aws:secretsmanager:us-west-2:111122223333:secret:app/key-??????\""
            )),
            unknown_on_role()
        );
        // A complete ARN is read as it is written.
        let full = "\"arn:aws:secretsmanager:us-west-2:111122223333:secret:app/key-AbC123\"";
        assert_eq!(pp404(&reading_secret(full, full, "")), vec![]);
        assert_eq!(
            pp404(&reading_secret(full, partial, "")),
            vec![("PP404", "fail", "aws_iam_role.task_execution".into())]
        );
    }

    /// The policy written as a heredoc template that interpolates the ARNs (ecosystem row 30:
    /// `"Resource": ${jsonencode(var.arns)}`) says the same as `jsonencode`.
    #[test]
    fn a_heredoc_policy_with_interpolated_arns_is_read() {
        let src = reading_secret(
            "aws_secretsmanager_secret_version.db.arn",
            "\"arn:aws:s3:::nothing\"",
            r#"
resource "aws_iam_policy" "secrets" {
  name   = "secrets"
  policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["secretsmanager:GetSecretValue"],
      "Resource": ${jsonencode([aws_secretsmanager_secret_version.db.arn])}
    }
  ]
}
EOF
}

resource "aws_iam_role_policy_attachment" "secrets" {
  role       = aws_iam_role.task_execution.name
  policy_arn = aws_iam_policy.secrets.arn
}
"#,
        );
        assert_eq!(pp404(&src), vec![]);
    }

    /// An execution role read with a data source (ecosystem row 31, AWS Academy's LabRole):
    /// its policies are not in the input, so PP404 is unknown and says so (it passed).
    #[test]
    fn an_execution_role_from_a_data_source_is_unknown() {
        let src = private_fargate(ALL_ENDPOINTS).replace(
            "execution_role_arn       = aws_iam_role.task_execution.arn",
            "execution_role_arn       = data.aws_iam_role.lab.arn",
        ) + "\ndata \"aws_iam_role\" \"lab\" {\n  name = \"LabRole\"\n}\n";
        let f = check_hcl(&[("main.tf", &src)]);
        assert_eq!(
            verdicts_of("PP404", &f),
            vec![("PP404", "unknown", "data.aws_iam_role.lab".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(msg.contains("data source"), "{msg}");
    }

    /// An execution role given as an ARN that no role of the input has: unknown, naming it.
    #[test]
    fn an_execution_role_outside_the_input_is_unknown() {
        let src = private_fargate(ALL_ENDPOINTS).replace(
            "execution_role_arn       = aws_iam_role.task_execution.arn",
            "execution_role_arn       = \"arn:aws:iam::111122223333:role/elsewhere\"",
        );
        let f = check_hcl(&[("main.tf", &src)]);
        let v = verdicts_of("PP404", &f);
        assert_eq!(
            v,
            vec![("PP404", "unknown", "aws_ecs_task_definition.app".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(
            msg.contains("arn:aws:iam::111122223333:role/elsewhere is not a role of the input"),
            "{msg}"
        );
    }

    /// A Batch EC2 compute environment (instance role with the EC2 container role policy) whose
    /// job definition reads a secret with its execution role `executionRoleArn` (an HCL
    /// expression, or none).
    fn batch_ec2_reading_secret(execution_role: Option<&str>) -> String {
        let role = execution_role
            .map(|r| format!("executionRoleArn = {r}\n"))
            .unwrap_or_default();
        private_fargate(ALL_ENDPOINTS)
            + SECRET
            + &format!(
                r#"
resource "aws_iam_role" "instance" {{
  name = "batch-instance"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ Service = "ec2.amazonaws.com" }}, Action = "sts:AssumeRole" }}]
  }})
}}

resource "aws_iam_role_policy_attachment" "instance" {{
  role       = aws_iam_role.instance.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}}

resource "aws_iam_instance_profile" "instance" {{
  name = "batch-instance"
  role = aws_iam_role.instance.name
}}

resource "aws_batch_compute_environment" "jobs" {{
  type = "MANAGED"
  compute_resources {{
    type               = "EC2"
    instance_role      = aws_iam_instance_profile.instance.arn
    instance_type      = ["optimal"]
    max_vcpus          = 4
    subnets            = [aws_subnet.private_a.id]
    security_group_ids = [aws_security_group.app.id]
  }}
}}

resource "aws_batch_job_definition" "job" {{
  name = "job"
  type = "container"
  container_properties = jsonencode({{
    image = "111122223333.dkr.ecr.us-west-2.amazonaws.com/app:1.0"
    {role}
    secrets = [{{ name = "DB", valueFrom = aws_secretsmanager_secret.db.arn }}]
    resourceRequirements = [{{ type = "VCPU", value = "1" }}, {{ type = "MEMORY", value = "512" }}]
  }})
}}
"#
            )
    }

    /// On EC2 a job or task whose definition names an execution role and uses the awslogs
    /// driver writes that output with the execution role: ECS requires the
    /// `ecs.capability.execution-role-awslogs` attribute of such a definition, which the agent
    /// advertises only where it writes with that role. The instance role is not asked for it;
    /// user data that turns the setting off leaves such jobs nowhere to run (a fail).
    /// (A helper's review: asking either role let a broken deploy pass where the user data
    /// turned the setting off or could not be read.)
    #[test]
    fn on_ec2_awslogs_writes_with_the_execution_role() {
        type Shape<'a> = &'a dyn Fn(&str, bool) -> String;
        let logging = |instance_policy: &str, execution_logs: bool| {
            let hcl = batch_ec2_reading_secret(Some("aws_iam_role.batch_execution.arn"))
                .replace(
                    "    resourceRequirements",
                    "    logConfiguration = { logDriver = \"awslogs\", options = { \"awslogs-group\" = \"/jobs\", \"awslogs-region\" = \"us-west-2\", \"awslogs-stream-prefix\" = \"job\" } }\n    resourceRequirements",
                )
                .replace("service-role/AmazonEC2ContainerServiceforEC2Role", instance_policy);
            let managed = if execution_logs {
                "service-role/AmazonECSTaskExecutionRolePolicy"
            } else {
                "AmazonEC2ContainerRegistryReadOnly"
            };
            hcl + &format!(
                r#"
resource "aws_iam_role" "batch_execution" {{
  name = "batch-execution"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ Service = "ecs-tasks.amazonaws.com" }}, Action = "sts:AssumeRole" }}]
  }})
}}

resource "aws_iam_role_policy_attachment" "batch_execution" {{
  role       = aws_iam_role.batch_execution.name
  policy_arn = "arn:aws:iam::aws:policy/{managed}"
}}
"#
            ) + r#"
resource "aws_cloudwatch_log_group" "jobs" {
  name = "/jobs"
}

resource "aws_iam_role_policy" "secrets" {
  role = aws_iam_role.batch_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.db.arn }]
  })
}
"#
        };
        let both = "service-role/AmazonEC2ContainerServiceforEC2Role";
        let no_logs = "AmazonEC2ContainerRegistryReadOnly";
        // An AMI of its own changes nothing.
        let custom = |instance_policy: &str, execution_logs: bool| {
            logging(instance_policy, execution_logs).replace(
                "    security_group_ids = [aws_security_group.app.id]\n",
                "    security_group_ids = [aws_security_group.app.id]\n    image_id           = \"ami-0123456789abcdef0\"\n",
            )
        };
        assert_ne!(custom(both, true), logging(both, true));
        let shapes: [Shape; 2] = [&logging, &custom];
        for hcl in shapes {
            assert_eq!(pp404(&hcl(both, true)), vec![]);
            // The instance role cannot write logs: it is not asked.
            assert_eq!(pp404(&hcl(no_logs, true)), vec![]);
            for instance in [both, no_logs] {
                let f = check_hcl(&[("main.tf", &hcl(instance, false))]);
                assert_eq!(
                    verdicts_of("PP404", &f),
                    vec![("PP404", "fail", "aws_iam_role.batch_execution".into())]
                );
                let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
                assert!(
                    msg.contains("the role that reads aws_batch_compute_environment.jobs's secrets and writes its logs")
                        && msg.contains("ecs.capability.execution-role-awslogs")
                        && msg.contains("logs:PutLogEvents"),
                    "{msg}"
                );
            }
        }
        // A launch template of the compute environment whose user data (in the MIME form
        // Batch requires) turns the setting off: the jobs cannot run there.
        let templated = |value: &str| {
            logging(no_logs, true).replace(
                "    security_group_ids = [aws_security_group.app.id]\n",
                "    security_group_ids = [aws_security_group.app.id]\n    launch_template {\n      launch_template_id = aws_launch_template.batch.id\n    }\n",
            ) + &format!(
                r#"
resource "aws_launch_template" "batch" {{
  name = "batch"
  user_data = base64encode(<<-EOT
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="==B=="

    --==B==
    Content-Type: text/x-shellscript; charset="us-ascii"

    #!/bin/bash
    echo ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE={value} >> /etc/ecs/ecs.config

    --==B==--
  EOT
  )
}}
"#
            )
        };
        assert_eq!(pp404(&templated("true")), vec![]);
        let f = check_hcl(&[("main.tf", &templated("false"))]);
        assert_eq!(
            verdicts_of("PP404", &f),
            vec![("PP404", "fail", "aws_batch_compute_environment.jobs".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(
            msg.contains("the user data of aws_launch_template.batch writes ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=false")
                && msg.contains("cannot be placed"),
            "{msg}"
        );
    }

    /// A Batch compute environment whose job definitions' roles cannot be judged is unknown,
    /// never silent (a helper's audit of ecosystem row 166: a role without any ECR action
    /// passed): a job definition whose containers cannot be read, none that runs on it, one
    /// whose `platform_capabilities` are not known, several that name different roles.
    #[test]
    fn batch_job_definitions_that_cannot_be_judged_are_unknown() {
        let base = r##"provider "aws" { region = "us-east-1" }
variable "jobs" { type = list(string) }
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  enable_dns_support = true
  enable_dns_hostnames = true
}
resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.v.id }
resource "aws_subnet" "pub" {
  vpc_id = aws_vpc.v.id
  cidr_block = "10.0.0.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_eip" "nat" { domain = "vpc" }
resource "aws_nat_gateway" "n" {
  allocation_id = aws_eip.nat.id
  subnet_id = aws_subnet.pub.id
}
resource "aws_subnet" "priv" {
  vpc_id = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_route_table" "priv" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.n.id
  }
}
resource "aws_route_table_association" "priv" {
  subnet_id = aws_subnet.priv.id
  route_table_id = aws_route_table.priv.id
}
resource "aws_security_group" "b" {
  vpc_id = aws_vpc.v.id
  egress {
    from_port = 0
    to_port = 0
    protocol = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecr_repository" "r" { name = "jobs" }
resource "aws_iam_role" "exec" {
  name = "exec"
  assume_role_policy = jsonencode({Version="2012-10-17",Statement=[{Effect="Allow",Action="sts:AssumeRole",Principal={Service="ecs-tasks.amazonaws.com"}}]})
}
resource "aws_iam_role_policy" "exec" {
  role = aws_iam_role.exec.id
  policy = jsonencode({Version="2012-10-17",Statement=[{Effect="Allow",Action="s3:GetObject",Resource="*"}]})
}
resource "aws_batch_compute_environment" "ce" {
  compute_environment_name = "ce"
  type = "MANAGED"
  compute_resources {
    type = "FARGATE"
    max_vcpus = 4
    subnets = [aws_subnet.priv.id]
    security_group_ids = [aws_security_group.b.id]
  }
}
resource "aws_batch_job_queue" "q" {
  name = "q"
  state = "ENABLED"
  priority = 1
  compute_environment_order {
    order = 1
    compute_environment = aws_batch_compute_environment.ce.arn
  }
}
resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "pub" {
  subnet_id = aws_subnet.pub.id
  route_table_id = aws_route_table.pub.id
}
variable "container_properties" { type = string }
resource "aws_batch_job_definition" "j" {
  name = "job"
  type = "container"
  platform_capabilities = ["FARGATE"]
  container_properties = var.container_properties
}
"##;
        let unknown = |hcl: &str| {
            let got = pp404(hcl);
            assert!(!got.is_empty(), "{hcl}");
            assert!(got.iter().all(|(_, v, _)| *v == "unknown"), "{got:?}");
        };
        // The container properties are a variable without a value.
        unknown(base);
        // No job definition at all.
        let a = base.find("variable \"container_properties\"").unwrap();
        unknown(&base[..a]);
        // Known container properties, but `platform_capabilities` not known.
        let known = base.replace(
            "  container_properties = var.container_properties\n",
            "  container_properties = jsonencode({ image = \"${aws_ecr_repository.r.repository_url}:1\", executionRoleArn = aws_iam_role.exec.arn, resourceRequirements = [{ type = \"VCPU\", value = \"1\" }, { type = \"MEMORY\", value = \"2048\" }] })\n",
        );
        assert_ne!(known, base);
        assert_eq!(
            pp404(&known),
            vec![("PP404", "fail", "aws_iam_role.exec".into())]
        );
        let caps = known.replace(
            "  platform_capabilities = [\"FARGATE\"]\n",
            "  platform_capabilities = var.jobs\n",
        );
        assert_ne!(caps, known);
        unknown(&caps);
        // A second job definition with another role, allowed everything: the first role is
        // not judged alone.
        let two = known.clone()
            + r#"
resource "aws_iam_role" "other" {
  name = "other"
  assume_role_policy = jsonencode({Version="2012-10-17",Statement=[{Effect="Allow",Action="sts:AssumeRole",Principal={Service="ecs-tasks.amazonaws.com"}}]})
}

resource "aws_iam_role_policy_attachment" "other" {
  role       = aws_iam_role.other.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_batch_job_definition" "k" {
  name                  = "other"
  type                  = "container"
  platform_capabilities = ["FARGATE"]
  container_properties  = jsonencode({ image = "${aws_ecr_repository.r.repository_url}:1", executionRoleArn = aws_iam_role.other.arn, resourceRequirements = [{ type = "VCPU", value = "1" }, { type = "MEMORY", value = "2048" }] })
}
"#;
        unknown(&two);
    }

    /// Container definitions that cannot be read: whether the images are in private ECR is
    /// not known, so a role without the ECR actions is unknown, not a fail (a helper's probe).
    #[test]
    fn unreadable_container_definitions_ask_the_pull_perhaps() {
        let hcl = private_fargate(ALL_ENDPOINTS).replace(
            "service-role/AmazonECSTaskExecutionRolePolicy",
            "AmazonS3ReadOnlyAccess",
        );
        let a = hcl.find("  container_definitions = jsonencode(").unwrap();
        let end = hcl[a..]
            .find("\n  }])\n")
            .map(|e| a + e + "\n  }])\n".len())
            .unwrap();
        let unread = format!(
            "{}  container_definitions = var.containers\n{}\nvariable \"containers\" {{\n  type = string\n}}\n",
            &hcl[..a],
            &hcl[end..]
        );
        assert_eq!(
            verdicts_of("PP404", &check_hcl(&[("main.tf", &hcl)])),
            vec![("PP404", "fail", "aws_iam_role.task_execution".into())]
        );
        assert_eq!(
            pp404(&unread),
            vec![("PP404", "unknown", "aws_iam_role.task_execution".into())]
        );
    }

    /// ECS on EC2: a task with an execution role and the awslogs driver writes that output
    /// with its execution role, whatever the instance role allows and whatever AMI the
    /// instances boot; user data that turns ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE off
    /// leaves the tasks nowhere to run. An `export`, another file, a later `>` that rewrites the
    /// file: not what the agent reads.
    #[test]
    fn on_ec2_the_execution_role_writes_the_logs() {
        let on_ec2 = |execution_policy: &str, instance_policy: &str, line: &str| {
            ecs_on_ec2(&[EC2_INSTANCES, ECS_AGENT])
                .replace(
                    "service-role/AmazonECSTaskExecutionRolePolicy",
                    execution_policy,
                )
                .replace(
                    "service-role/AmazonEC2ContainerServiceforEC2Role",
                    instance_policy,
                )
                .replace(
                    "    echo ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config\n",
                    &format!(
                        "    echo ECS_CLUSTER=${{aws_ecs_cluster.main.name}} >> /etc/ecs/ecs.config\n{line}"
                    ),
                )
        };
        let logs = "service-role/AmazonECSTaskExecutionRolePolicy";
        let instance_logs = "service-role/AmazonEC2ContainerServiceforEC2Role";
        let no_logs = "AmazonEC2ContainerRegistryReadOnly";
        let on = "    echo ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true >> /etc/ecs/ecs.config\n";
        let off =
            "    echo \"ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=false\" >> /etc/ecs/ecs.config\n";
        let exported = "    export ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=false\n";
        let elsewhere =
            "    echo ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=false >> /etc/environment\n";
        let rewritten = "    echo ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=false >> /etc/ecs/ecs.config\n    echo ECS_CLUSTER=main > /etc/ecs/ecs.config\n";
        assert_ne!(
            on_ec2(no_logs, instance_logs, on),
            on_ec2(no_logs, instance_logs, "")
        );
        // The execution role cannot write them, the instance role can: a fail of the
        // execution role, whatever the user data says.
        for line in ["", on, exported, elsewhere, rewritten] {
            let f = check_hcl(&[("main.tf", &on_ec2(no_logs, instance_logs, line))]);
            assert_eq!(
                verdicts_of("PP404", &f),
                vec![("PP404", "fail", "aws_iam_role.task_execution".into())],
                "{line}"
            );
            let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
            assert!(
                msg.contains("the role that writes aws_ecs_service.app's logs")
                    && msg.contains("ecs.capability.execution-role-awslogs")
                    && msg.contains("logs:PutLogEvents"),
                "{msg}"
            );
        }
        // The other way round: the instance role is not asked.
        for line in ["", on, exported, elsewhere, rewritten] {
            assert_eq!(pp404(&on_ec2(logs, no_logs, line)), vec![], "{line}");
        }
        // Turned off: no instance runs the task.
        let f = check_hcl(&[("main.tf", &on_ec2(logs, instance_logs, off))]);
        assert_eq!(
            verdicts_of("PP404", &f),
            vec![("PP404", "fail", "aws_ecs_service.app".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(
            msg.contains("writes ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=false")
                && msg.contains("cannot be placed"),
            "{msg}"
        );
        // A value quoted in the file (a heredoc's line) is not one the agent can read: off.
        let quoted = "    cat >> /etc/ecs/ecs.config <<EOF\n    ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=\"true\"\n    EOF\n";
        assert_eq!(
            verdicts_of(
                "PP404",
                &check_hcl(&[("main.tf", &on_ec2(logs, instance_logs, quoted))])
            ),
            vec![("PP404", "fail", "aws_ecs_service.app".into())]
        );
    }

    /// On EC2 the secrets are read with the job definition's execution role, not the instance
    /// role (ecosystem row 11: it was unknown, "pullpath does not judge that role there yet"):
    /// the execution role is judged for them, the instance role for the pull.
    #[test]
    fn on_ec2_the_execution_role_reads_the_secrets() {
        let allowed = batch_ec2_reading_secret(Some("aws_iam_role.task_execution.arn"))
            + r#"
resource "aws_iam_role_policy" "secrets" {
  role = aws_iam_role.task_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.db.arn }]
  })
}
"#;
        assert_eq!(pp404(&allowed), vec![]);
        // Without that statement the execution role fails, not the instance role.
        let f = check_hcl(&[(
            "main.tf",
            &batch_ec2_reading_secret(Some("aws_iam_role.task_execution.arn")),
        )]);
        assert_eq!(
            verdicts_of("PP404", &f),
            vec![("PP404", "fail", "aws_iam_role.task_execution".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(msg.contains("secretsmanager:GetSecretValue"), "{msg}");
        assert!(
            msg.contains("reads aws_batch_compute_environment.jobs's secrets"),
            "{msg}"
        );
        // With no execution role the secrets cannot be read at all.
        assert_eq!(
            pp404(&batch_ec2_reading_secret(None)),
            vec![("PP404", "fail", "aws_batch_job_definition.job".into())]
        );
    }

    /// The private Fargate service reading secret `aws_secretsmanager_secret.enc` whose
    /// `kms_key_id` is `key` (an HCL expression), its execution role allowed the secret and, with
    /// `decrypt`, `kms:Decrypt` on `decrypt`; with `extras`.
    fn reading_encrypted_secret(key: &str, decrypt: Option<&str>, extras: &str) -> String {
        let kms = decrypt
            .map(|r| {
                format!(", {{ Effect = \"Allow\", Action = \"kms:Decrypt\", Resource = {r} }}")
            })
            .unwrap_or_default();
        private_fargate(ALL_ENDPOINTS).replace(
            "essential = true",
            "essential = true\n    secrets = [{ name = \"DB\", valueFrom = aws_secretsmanager_secret.enc.arn }]",
        ) + &format!(
            r#"
resource "aws_secretsmanager_secret" "enc" {{
  name       = "enc"
  kms_key_id = {key}
}}

resource "aws_iam_role_policy" "secrets" {{
  role = aws_iam_role.task_execution.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.enc.arn }}{kms}]
  }})
}}
"#
        ) + extras
    }

    const KEY: &str = r#"
resource "aws_kms_key" "secrets" {
  description = "secrets"
}
"#;

    /// A secret encrypted with a customer managed key needs `kms:Decrypt` on it (DOMAIN.md §2);
    /// a key of the input without a key policy has the default one, so IAM decides.
    #[test]
    fn a_customer_managed_key_needs_kms_decrypt() {
        let f = check_hcl(&[(
            "main.tf",
            &reading_encrypted_secret("aws_kms_key.secrets.arn", None, KEY),
        )]);
        assert_eq!(
            verdicts_of("PP404", &f),
            vec![("PP404", "fail", "aws_iam_role.task_execution".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(msg.contains("kms:Decrypt on aws_kms_key.secrets"), "{msg}");
        for key in [
            "aws_kms_key.secrets.arn",
            "aws_kms_key.secrets.key_id",
            "aws_kms_key.secrets.id",
        ] {
            assert_eq!(
                pp404(&reading_encrypted_secret(
                    key,
                    Some("aws_kms_key.secrets.arn"),
                    KEY
                )),
                vec![],
                "{key}"
            );
        }
        // An AWS managed key asks nothing.
        for key in ["\"alias/aws/secretsmanager\"", "null"] {
            assert_eq!(
                pp404(&reading_encrypted_secret(key, None, "")),
                vec![],
                "{key}"
            );
        }
    }

    /// A key policy in the input that grants neither the role nor its account: IAM cannot
    /// grant what the key policy does not (fail); one that grants the account leaves IAM in
    /// charge.
    #[test]
    fn a_key_policy_of_the_input_gates_kms_decrypt() {
        let key = |principal: &str| {
            format!(
                r#"
resource "aws_kms_key" "secrets" {{
  description = "secrets"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ AWS = "{principal}" }}, Action = "kms:*", Resource = "*" }}]
  }})
}}
"#
            )
        };
        let principal = |p: &str| {
            format!(
                r#"
resource "aws_kms_key" "secrets" {{
  description = "secrets"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {p}, Action = "kms:*", Resource = "*" }}]
  }})
}}
"#
            )
        };
        // Only a service may use the key.
        assert_eq!(
            pp404(&reading_encrypted_secret(
                "aws_kms_key.secrets.arn",
                Some("\"*\""),
                &principal("{ Service = \"logs.amazonaws.com\" }")
            )),
            vec![("PP404", "fail", "aws_iam_role.task_execution".into())]
        );
        // Another account: whether it is the role's is not known.
        assert_eq!(
            pp404(&reading_encrypted_secret(
                "aws_kms_key.secrets.arn",
                Some("\"*\""),
                &key("arn:aws:iam::444455556666:root")
            )),
            unknown_on_role()
        );
        for p in ["\"*\"", "{ AWS = aws_iam_role.task_execution.arn }"] {
            assert_eq!(
                pp404(&reading_encrypted_secret(
                    "aws_kms_key.secrets.arn",
                    Some("\"*\""),
                    &principal(p)
                )),
                vec![],
                "{p}"
            );
        }
    }

    /// A key outside the input: its key policy may grant the role what IAM does not (unknown);
    /// with IAM's grant the read passes.
    #[test]
    fn a_key_outside_the_input() {
        let arn = "\"arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"";
        assert_eq!(
            pp404(&reading_encrypted_secret(arn, None, "")),
            unknown_on_role()
        );
        assert_eq!(pp404(&reading_encrypted_secret(arn, Some(arn), "")), vec![]);
    }

    /// `awslogs-create-group = "true"` needs `logs:CreateLogGroup` only for a group the input
    /// does not create (DOMAIN.md §5: the driver creates the group only when it is missing).
    #[test]
    fn create_group_asks_create_log_group_only_for_a_group_not_in_the_input() {
        let with_group = |group: &str| {
            private_fargate(ALL_ENDPOINTS)
                .replace(
                    "\"awslogs-group\"         = aws_cloudwatch_log_group.app.name",
                    &format!("\"awslogs-group\"         = {group}\n        \"awslogs-create-group\"  = \"true\""),
                )
                .replace(
                    "policy_arn = \"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy\"",
                    "policy_arn = \"arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly\"",
                )
                + r#"
resource "aws_iam_role_policy" "logs" {
  role = aws_iam_role.task_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" }]
  })
}
"#
        };
        for group in ["aws_cloudwatch_log_group.app.name", "\"/ecs/app\""] {
            assert_eq!(pp404(&with_group(group)), vec![], "{group}");
        }
        let f = check_hcl(&[("main.tf", &with_group("\"/ecs/elsewhere\""))]);
        assert_eq!(
            verdicts_of("PP404", &f),
            vec![("PP404", "fail", "aws_iam_role.task_execution".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(msg.contains("logs:CreateLogGroup"), "{msg}");
    }

    /// ECS on EC2 whose container instances (in the input) have no instance profile: the
    /// instance role pulls (DOMAIN.md §2, §5), and there is none, so the pull cannot
    /// authenticate: a fail on the Auto Scaling group, never a silent pass. With the profile,
    /// nothing; with instances outside the input, nothing from this rule (PP901 says their
    /// network is unknown).
    #[test]
    fn ec2_instances_without_an_instance_profile_fail() {
        let with = ecs_on_ec2(
            &ALL_ENDPOINTS
                .iter()
                .copied()
                .chain([EC2_INSTANCES, ECS_AGENT])
                .collect::<Vec<_>>(),
        );
        assert_eq!(pp404(&with), vec![]);
        let without = with.replace(
            "  iam_instance_profile {\n    arn = aws_iam_instance_profile.instance.arn\n  }\n",
            "",
        );
        assert_ne!(without, with);
        let f = check_hcl(&[("main.tf", &without)]);
        assert_eq!(
            verdicts_of("PP404", &f),
            vec![("PP404", "fail", "aws_autoscaling_group.ecs".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(msg.contains("no instance profile"), "{msg}");
        // An instance profile of another stack, by its literal ARN: its role is not in the
        // input, so whether it may pull is not known (row 69: it passed).
        let elsewhere = with.replace(
            "    arn = aws_iam_instance_profile.instance.arn\n",
            "    arn = \"arn:aws:iam::111122223333:instance-profile/elsewhere\"\n",
        );
        assert_ne!(elsewhere, with);
        let f = check_hcl(&[("main.tf", &elsewhere)]);
        assert_eq!(
            verdicts_of("PP404", &f),
            vec![("PP404", "unknown", "aws_ecs_task_definition.app".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(
            msg.contains("instance-profile/elsewhere is not in the input"),
            "{msg}"
        );
        let outside = ecs_on_ec2(
            &ALL_ENDPOINTS
                .iter()
                .copied()
                .chain([ECS_AGENT])
                .collect::<Vec<_>>(),
        );
        assert_eq!(pp404(&outside), vec![]);
    }

    /// An AWS Batch EC2 compute environment without `instance_role` (which Batch requires for
    /// EC2 and SPOT): its instances have no role to pull with.
    #[test]
    fn batch_ec2_without_an_instance_role_fails() {
        let with = batch_ec2_reading_secret(Some("aws_iam_role.task_execution.arn"));
        let without = with.replace(
            "    instance_role      = aws_iam_instance_profile.instance.arn\n",
            "",
        );
        assert_ne!(without, with);
        let before = pp404(&with);
        assert!(
            !before
                .iter()
                .any(|(_, _, r)| r == "aws_batch_compute_environment.jobs"),
            "{before:?}"
        );
        let after = pp404(&without);
        assert!(
            after.contains(&("PP404", "fail", "aws_batch_compute_environment.jobs".into())),
            "{after:?}"
        );
    }

    /// A key policy of the input decides with IAM: one that grants the role itself lets it
    /// decrypt without an IAM grant; one that grants only the account (KMS's default policy,
    /// as a plan of an existing key shows it) leaves IAM in charge, which does not allow it.
    #[test]
    fn a_key_policy_grant_to_the_role_itself_or_to_its_account() {
        let key = |principal: &str| {
            format!(
                r#"
resource "aws_kms_key" "secrets" {{
  description = "secrets"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ AWS = {principal} }}, Action = "kms:*", Resource = "*" }}]
  }})
}}
"#
            )
        };
        assert_eq!(
            pp404(&reading_encrypted_secret(
                "aws_kms_key.secrets.arn",
                None,
                &key("aws_iam_role.task_execution.arn")
            )),
            vec![]
        );
        let f = check_hcl(&[(
            "main.tf",
            &reading_encrypted_secret(
                "aws_kms_key.secrets.arn",
                None,
                &key("\"arn:aws:iam::111122223333:root\""),
            ),
        )]);
        assert_eq!(
            verdicts_of("PP404", &f),
            vec![("PP404", "fail", "aws_iam_role.task_execution".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(msg.contains("to the account only"), "{msg}");
    }

    /// ECS Managed Instances: the task execution role pulls (DOMAIN.md §2), so a task
    /// definition without one cannot pull its private ECR image: a fail, never a silent pass.
    #[test]
    fn managed_instances_without_an_execution_role_fail() {
        let provider = r#"
resource "aws_ecs_capacity_provider" "ec2" {
  name    = "ec2"
  cluster = aws_ecs_cluster.main.name

  managed_instances_provider {
    infrastructure_role_arn = "arn:aws:iam::111122223333:role/ecs-infrastructure"

    instance_launch_template {
      ec2_instance_profile_arn = "arn:aws:iam::111122223333:instance-profile/ecs-managed"

      network_configuration {
        subnets         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
        security_groups = [aws_security_group.app.id]
      }
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [aws_ecs_capacity_provider.ec2.name]
}
"#;
        let mut extras: Vec<&str> = ALL_ENDPOINTS.to_vec();
        extras.extend([ECS_AGENT, provider]);
        let with = ecs_on_ec2(&extras).replace(
            r#"requires_compatibilities = ["EC2"]"#,
            r#"requires_compatibilities = ["MANAGED_INSTANCES"]"#,
        );
        assert_eq!(pp404(&with), vec![]);
        let without = with.replace(
            "execution_role_arn       = aws_iam_role.task_execution.arn\n",
            "",
        );
        assert_ne!(without, with);
        let f = check_hcl(&[("main.tf", &without)]);
        assert_eq!(
            verdicts_of("PP404", &f),
            vec![("PP404", "fail", "aws_ecs_task_definition.app".into())]
        );
        let msg = &f.iter().find(|x| x.rule.code == "PP404").unwrap().message;
        assert!(msg.contains("ECS Managed Instances"), "{msg}");
    }
}
