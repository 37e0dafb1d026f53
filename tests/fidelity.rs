//! Issue 16, items 4 and 5: facts that pullpath used to read too narrowly, on the HCL fixtures
//! of `testdata/hcl/fidelity/` (written by hand, each says what it shows in its `main.tf`) and
//! on `--workload` declarations that match nothing. Each case asserts the findings (rule,
//! verdict, resource), the exit code and, where the point is the route, the VPC's
//! `internet_route`; the text report is an insta snapshot in `snapshots/fidelity/<case>.snap`.
//! (The plan twins of the other items are in tests/rules.rs and tests/hcl_twins.rs.)

use std::process::Command;

use serde_json::Value;

fn pullpath(args: &[&str]) -> (String, String, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pullpath"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).args(args);
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("PULLPATH_")
            || k.starts_with("TF_VAR_")
            || k == "TF_WORKSPACE"
            || k == "TF_DATA_DIR"
        {
            cmd.env_remove(k);
        }
    }
    let out = cmd.output().expect("run pullpath");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots/fidelity");
    s.set_prepend_module_to_snapshot(false);
    s
}

/// Checks the findings, exit code and internet route of a fixture, and snapshots its text report.
fn case(name: &str, expected: &[(&str, &str, &str)], exit: i32, internet: Value) {
    let dir = format!("testdata/hcl/fidelity/{name}");
    let (out, err, code) = pullpath(&["check", &dir, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{dir}: {e}: {err}"));
    let got: Vec<(String, String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["verdict"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want, "{dir}");
    assert_eq!(code, exit, "{dir}: exit code");
    assert_eq!(
        v["vpcs"][0]["internet_route"], internet,
        "{dir}: internet route"
    );
    let (text, _, _) = pullpath(&["check", &dir, "--color", "never"]);
    settings().bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn image_variable_without_value_is_unknown() {
    case(
        "image-variable-without-value",
        &[("PP601", "unknown", "aws_ecs_task_definition.app")],
        0,
        Value::Bool(false),
    );
}

#[test]
fn image_with_unknown_registry_is_unknown() {
    case(
        "image-unknown-registry",
        &[("PP601", "unknown", "aws_ecs_task_definition.app")],
        0,
        Value::Bool(false),
    );
}

#[test]
fn nat_instance_through_network_interface_is_an_internet_route() {
    case("nat-instance-network-interface", &[], 0, Value::Bool(true));
}

#[test]
fn route_to_an_interface_that_cannot_be_resolved_is_unknown() {
    case("route-to-unknown-interface", &[], 0, Value::Null);
}

#[test]
fn dhcp_options_with_only_a_domain_name_keep_amazon_dns() {
    case("dhcp-domain-name-only", &[], 0, Value::Bool(false));
}

#[test]
fn declared_workload_matching_no_vpc_is_an_error() {
    for (input, decl) in [
        (
            "testdata/plans/options/vpc-without-workload.json",
            "aws_vpc.other=fargate",
        ),
        (
            "testdata/plans/options/vpc-without-workload.json",
            "vpc-0123456789abcdef0=fargate",
        ),
        ("testdata/hcl/fidelity/no-vpc", "*=fargate"),
    ] {
        for cmd in ["check", "graph"] {
            let (out, err, code) = pullpath(&[cmd, input, "--workload", decl]);
            assert_eq!(code, 2, "{cmd} {input} --workload {decl}: {out}{err}");
            assert!(
                out.is_empty(),
                "{cmd} {input} --workload {decl}: printed {out}"
            );
            assert!(
                err.contains("no VPC of the input matches"),
                "{cmd} {input} --workload {decl}: {err}"
            );
        }
    }
    let (_, err, _) = pullpath(&[
        "check",
        "testdata/hcl/fidelity/no-vpc",
        "--workload",
        "*=fargate",
    ]);
    assert!(err.contains("the input defines no VPC"), "{err}");
    // A declaration that matches still runs.
    let (_, _, code) = pullpath(&[
        "check",
        "testdata/plans/options/vpc-without-workload.json",
        "--workload",
        "*=fargate",
    ]);
    assert_eq!(code, 1);
}

/// `create = null` into a `nullable = false` variable takes the default, as in Terraform; the
/// service under `count = module.switch.create ? 1 : 0` exists (before: "a null value cannot be
/// used as a bool", and no workload was found).
#[test]
fn a_null_argument_to_a_non_nullable_variable_takes_the_default() {
    case(
        "non-nullable-module-variable",
        &[("PP902", "fail", "aws_vpc_endpoint.s3")],
        0,
        Value::Bool(false),
    );
}

/// Ecosystem rows 23/24: `arn:aws:logs:*:*:*` covers a log group whose account is not in the
/// input (the last `*` of a segment matches beyond the colons), so PP404 passes where it used
/// to be unknown. The same unknown account leaves open whether the image's literal account is
/// the input's own: PP407 is unknown (DOMAIN.md §2, images in another account's registry).
#[test]
fn logs_wildcard_covers_a_log_group_of_an_unknown_account() {
    case(
        "logs-wildcard-unknown-account",
        &[("PP407", "unknown", "aws_ecs_task_definition.app")],
        0,
        Value::Bool(false),
    );
}

/// Ecosystem row 18: an ECS Express Mode service is a Fargate workload whose container logs with
/// awslogs; in private subnets without endpoints it fails PP101–PP104 (it was "no workload").
#[test]
fn express_mode_service_is_a_fargate_workload() {
    case(
        "express-service",
        &[
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP103", "fail", "aws_vpc.main"),
            ("PP104", "fail", "aws_vpc.main"),
        ],
        1,
        Value::Bool(false),
    );
}

/// Ecosystem row 11: on Batch EC2 the secrets are read with the job's execution role, not the
/// instance role: PP404 judges the execution role for them (it was unknown, and before that a
/// fail of the instance role), and it is allowed. The job's awslogs calls are that role's too:
/// the compute environment sets no AMI, and Batch's default, an ECS-optimized Amazon Linux AMI,
/// has ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE on; it is not allowed them: a fail (it passed
/// on the instance role's policy, then was unknown while the AMI was not read).
#[test]
fn secrets_on_ec2_are_judged_on_the_execution_role() {
    case(
        "batch-ec2-secrets",
        &[("PP404", "fail", "aws_iam_role.batch_execution")],
        1,
        Value::Bool(false),
    );
}

/// Ecosystem row 7: container definitions rendered from a JSON template (`template_file`) whose
/// variables are known only after apply (a repository URL, a secret ARN, a log group name)
/// are read in their known structure: the image is that repository's, the container logs with
/// awslogs and reads a Secrets Manager secret, without `logs` and `secretsmanager` endpoints
/// (PP104, PP105 fail; PP601 passes). All three were unknown.
#[test]
fn a_json_template_with_unknown_strings_keeps_its_structure() {
    case(
        "template-json-unknown-parts",
        &[
            ("PP104", "fail", "aws_vpc.main"),
            ("PP105", "fail", "aws_vpc.main"),
        ],
        1,
        Value::Bool(false),
    );
}

/// Ecosystem rows 3 and 15: a module that drops null arguments with
/// `{ for k, v in local.definition : k => v if v != null }`, where one argument (the log
/// router's image, from an SSM parameter) is not known: the members whose `if` is decided are
/// still read, so the log router's awslogs configuration fails PP104 and its secrets (none)
/// pass PP105; only its image stays unknown (PP601). The whole container was unknown.
#[test]
fn a_for_expression_with_an_undecided_if_keeps_the_decided_members() {
    case(
        "for-if-undecided-member",
        &[
            ("PP104", "fail", "aws_vpc.main"),
            ("PP601", "unknown", "aws_ecs_task_definition.app"),
        ],
        1,
        Value::Bool(false),
    );
}

/// Ecosystem row 7: subnets, route tables, NAT gateways and their associations made one per
/// availability zone (`count = length(local.zones)`, known only when Terraform reads the data
/// source) correspond by index, and no instance's route depends on its index: the service's
/// subnets reach the internet through their NAT gateway and are routed to the S3 gateway
/// endpoint whatever the number of zones (PP301, PP901 were unknown). A service without a
/// subnet cannot be created, so "no zone" decides nothing.
#[test]
fn instances_of_one_unknown_count_that_look_alike_decide() {
    case("count-unknown-alike", &[], 0, Value::Bool(true));
}

/// The `for_each` twin of `count-unknown-alike` (row 68's helper audit): per-zone blocks with
/// the same `for_each`, keyed by zone names known only when Terraform reads the data source,
/// correspond by key, so the subnets reach the NAT gateway through their zone's table; without
/// the route, none does and the ECR Public image fails PP601, decided.
#[test]
fn instances_of_one_unknown_for_each_correspond_by_key() {
    case("for-each-unknown-keys-alike", &[], 0, Value::Bool(true));
    case(
        "for-each-unknown-keys-no-route",
        &[("PP601", "fail", "aws_ecs_task_definition.web")],
        1,
        Value::Bool(false),
    );
}

/// The same isolated subnets without ECR endpoints fail PP101 and PP102 whatever the number of
/// zones; but an S3 gateway endpoint associated with `aws_route_table.private[0]` only leaves
/// PP301 unknown (there may be other route tables), never a pass.
#[test]
fn an_instance_of_an_unknown_count_named_by_a_known_index_stays_unknown() {
    case(
        "count-unknown-first-only",
        &[
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP301", "unknown", "aws_vpc_endpoint.s3"),
        ],
        1,
        Value::Bool(false),
    );
}

/// Ecosystem row 35 (bug 2): a module's output `join("", aws_vpc.default.*.id)` (cloudposse's
/// idiom for the id of a `count = 0/1` resource) is that VPC's id, so the subnet's VPC is known
/// and the Docker Hub image without an internet route fails (it was PP901, "known only after
/// apply").
#[test]
fn module_output_join_of_a_splat_is_the_reference() {
    case(
        "module-output-join-splat",
        &[("PP601", "fail", "aws_ecs_task_definition.web")],
        1,
        Value::Bool(false),
    );
}

/// Ecosystem row 65: `m != null` where `m` is a module call is true (a module instance is an
/// object, never null), so a `for_each` filtered with it is decided and its service exists.
#[test]
fn a_module_call_is_not_null() {
    case(
        "module-not-null",
        &[(
            "PP601",
            "fail",
            "module.service[\"orders\"].aws_ecs_task_definition.this",
        )],
        1,
        Value::Bool(false),
    );
}

/// Ecosystem row 41 (bug 5): a Batch Fargate job definition rendered by `templatefile()` whose
/// variables are known only after apply keeps the template's known JSON: the jobs ask for a
/// public IP in a subnet routed to an internet gateway, so the reachability gate passes (the
/// whole job definition was unknown, then read as "no public IP": PP101–PP104 failed). In strict
/// mode the same document gives the default awslogs driver and a Secrets Manager secret.
#[test]
fn a_batch_job_definition_from_templatefile_with_unknown_variables_is_read() {
    case("batch-templatefile-unknown-var", &[], 0, Value::Bool(true));
    let dir = "testdata/hcl/fidelity/batch-templatefile-unknown-var";
    let (out, err, code) = pullpath(&["check", dir, "--format", "json", "--mode", "strict"]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{dir}: {e}: {err}"));
    let fails: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["verdict"] == "fail")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        fails,
        ["PP101", "PP102", "PP103", "PP104", "PP105"],
        "{dir}"
    );
    assert_eq!(code, 1, "{dir}: exit code");
    let unknown = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["verdict"] == "unknown");
    assert!(!unknown, "{dir}: nothing is unknown");
}

/// Issue 16, item 2: `"com.amazonaws.${var.region}.ecr.dkr"` with no region is still the
/// ecr.dkr service (Terraform keeps a template's known parts): the endpoints decide PP101–PP103
/// (pass) and the missing `logs` endpoint fails PP104; only whether each endpoint names the
/// VPC's region is unknown (PP108). All four pull rules were unknown, and the run passed.
#[test]
fn an_endpoint_service_name_with_an_unknown_region_names_its_service() {
    case(
        "endpoint-service-unknown-region",
        &[
            ("PP104", "fail", "aws_vpc.main"),
            ("PP108", "unknown", "aws_vpc_endpoint.ecr_api"),
            ("PP108", "unknown", "aws_vpc_endpoint.ecr_dkr"),
            ("PP108", "unknown", "aws_vpc_endpoint.s3"),
        ],
        1,
        Value::Bool(false),
    );
}

/// Issue 16, item 3: an attachment that names the execution role with a template of a variable
/// without a value (`role = "${var.env}-exec"`) may or may not be the role's (`ledger-exec`):
/// PP404 is unknown with that reason, never "not allowed" (it failed: the attachment was
/// dropped).
#[test]
fn an_attachment_whose_role_is_not_known_leaves_pp404_unknown() {
    case(
        "role-attachment-unknown-name",
        &[("PP404", "unknown", "aws_iam_role.execution")],
        0,
        Value::Bool(true),
    );
}

/// Its twin: the role's name is the same template in the same module, so the attachment is
/// the role's whatever the variable, and PP404 passes (it failed).
#[test]
fn an_attachment_naming_the_role_by_the_same_template_is_the_roles() {
    case("role-attachment-same-template", &[], 0, Value::Bool(true));
}

/// Issue 16, item 2: an object constructor with a repeated key keeps the last value (HCL
/// rejects duplicates only in `for` expressions): `assign_public_ip = false` then `true` gives
/// the tasks in the public subnet a public IP, a pass. It was a syntax error (exit 2).
#[test]
fn an_object_with_a_repeated_key_keeps_the_last_value() {
    case("object-repeated-key", &[], 0, Value::Bool(true));
}

/// Issue 16, item 2: `jsonencode` of a document with a part known only after apply is an
/// unknown string: a module variable of type string accepts it (it refused "a string is
/// required, got object"), and the document's known structure is still read (the image is the
/// input's repository's).
#[test]
fn jsonencode_with_unknown_parts_passes_a_string_module_variable() {
    case(
        "module-string-jsonencode-unknown",
        &[],
        0,
        Value::Bool(true),
    );
}

/// Issue 16, item 3: an identity policy on `aws_ecr_repository.app.arn` covers an image
/// `"${aws_ecr_repository.app.repository_url}:tag"`: both are the same repository of the input,
/// although neither ARN is known before apply, so PP404 passes (it was unknown).
#[test]
fn a_policy_on_the_repository_reference_covers_its_images() {
    case("ecr-policy-on-repository-arn", &[], 0, Value::Bool(true));
}

/// Issue 16, item 3: a secret `valueFrom` of an RDS-managed master user secret
/// (`"${aws_db_instance.ledger.master_user_secret[0].secret_arn}:password::"`) is a Secrets
/// Manager secret: PP105 fails without a `secretsmanager` endpoint (no `ssm` in question), and a
/// role policy on the same nested attribute allows it (PP404 passes). Both were unknown.
#[test]
fn an_rds_master_user_secret_is_a_secrets_manager_secret() {
    case(
        "secret-rds-master-user",
        &[("PP105", "fail", "aws_vpc.main")],
        1,
        Value::Bool(false),
    );
}

/// Issue 16, items 3 and 5: a logs statement on
/// `"arn:aws:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/ecs/web:*"`
/// does not cover `/ecs/worker`, whatever the account (a log stream name has no ':'): PP404
/// fails, decided (it was unknown: the whole ARN was one unknown value).
#[test]
fn a_partly_known_logs_arn_does_not_cover_another_group() {
    case(
        "logs-policy-other-group-unknown-account",
        &[("PP404", "fail", "aws_iam_role.execution")],
        1,
        Value::Bool(true),
    );
}

/// The same policy as heredoc JSON: the rendered document's `Resource` string keeps its known
/// text around the unknown region and account, and PP404 fails the same way.
#[test]
fn a_partly_known_logs_arn_in_a_heredoc_does_not_cover_another_group() {
    case(
        "logs-policy-heredoc-other-group",
        &[("PP404", "fail", "aws_iam_role.execution")],
        1,
        Value::Bool(true),
    );
}

/// The same pattern in the logs endpoint's policy (Principal `*`): it does not cover the
/// worker's `/ecs/worker` whatever the account, so PP403 fails, decided (it was unknown); the
/// corrected policy shows the unknown account as the interpolation it is.
#[test]
fn a_partly_known_logs_arn_in_an_endpoint_policy_does_not_cover_another_group() {
    case(
        "logs-endpoint-policy-other-group",
        &[("PP403", "fail", "aws_vpc_endpoint.logs")],
        1,
        Value::Bool(false),
    );
}

/// Its twin: the container logs to `/ecs/web`, and the statement names it in the account of
/// `data.aws_caller_identity`: the input's own, which is the log group's (the task writes to its
/// own account's groups). Not known before apply, but the same on both sides: PP404 passes.
#[test]
fn a_logs_arn_in_the_callers_account_covers_the_tasks_group() {
    case(
        "logs-policy-same-group-unknown-account",
        &[],
        0,
        Value::Bool(true),
    );
}

/// Issue 16, item 3: the role may pull from `ledger-tools` (a literal ARN) and `ledger-cache`
/// (an ARN with region and account from data sources); the image is of repository `ledger`
/// of the input, whose account is not known. No account makes either ARN `ledger`'s: PP404
/// fails, decided (it was unknown).
#[test]
fn a_policy_on_other_repositories_does_not_cover_an_image_of_unknown_account() {
    case(
        "ecr-policy-other-repository-unknown-account",
        &[("PP404", "fail", "aws_iam_role.execution")],
        1,
        Value::Bool(true),
    );
}

/// `templatestring()` renders the task definition's container definitions (a unit test covered
/// only the expression): the rendered image is Docker Hub's and the rendered log driver is
/// awslogs, in a private subnet with ECR and S3 endpoints only and no execution role: PP104,
/// PP404 and PP601 fail.
#[test]
fn a_templatestring_container_definition_decides_the_rules() {
    case(
        "templatestring-container-definitions",
        &[
            ("PP104", "fail", "aws_vpc.main"),
            ("PP404", "fail", "aws_ecs_task_definition.edge"),
            ("PP601", "fail", "aws_ecs_task_definition.edge"),
        ],
        1,
        Value::Bool(false),
    );
}

/// A module called with `providers = { aws = aws.west }` (us-west-2) builds its endpoints from
/// its own `data.aws_region.current`: right for its VPC; the logs endpoint's service name comes
/// from the root's region (us-east-1), so PP108 fails on it, and on nothing else (the loader's
/// tests covered only the region of the module's resources).
#[test]
fn an_aliased_provider_passed_to_a_module_sets_its_region() {
    case(
        "module-aliased-provider-region",
        &[(
            "PP108",
            "fail",
            "module.service.aws_vpc_endpoint.interface[\"logs\"]",
        )],
        1,
        Value::Bool(false),
    );
    let (out, _, _) = pullpath(&[
        "check",
        "testdata/hcl/fidelity/module-aliased-provider-region",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["vpcs"][0]["region"], "us-west-2", "{out}");
}

/// What a user sees when `--workload '*=fargate'` matches no VPC (the input defines none):
/// nothing on standard output, whatever the format, one error line naming the declaration and
/// why, exit code 2.
#[test]
fn declared_workload_matching_no_vpc_shows_only_the_error() {
    for args in [
        &["check"][..],
        &["check", "--format", "json"][..],
        &["graph"][..],
    ] {
        let mut all = args.to_vec();
        all.extend(["testdata/hcl/fidelity/no-vpc", "--workload", "*=fargate"]);
        let (out, err, code) = pullpath(&all);
        let text = format!(
            "$ pullpath {}\nexit code: {code}\n--- stdout ---\n{out}--- stderr ---\n{err}",
            all.iter()
                .map(|a| if a.contains('*') {
                    format!("'{a}'")
                } else {
                    a.to_string()
                })
                .collect::<Vec<_>>()
                .join(" ")
        );
        let name = format!(
            "workload-matching-no-vpc__{}",
            args.join("-").replace("--", "")
        );
        settings().bind(|| insta::assert_snapshot!(name, text));
    }
}

/// An Interface endpoint created without security groups gets the VPC's default group, and an
/// `aws_vpc_endpoint_security_group_association` adds its group beside it: AWS removes the
/// default group only when the association says `replace_default_association = true`. The
/// service, in the default group, reaches the endpoints through the default group's rule
/// admitting its own members (it was a false PP501 fail: any association dropped the default
/// group); when the association replaces it, PP501 fails; when that is not decided, unknown.
#[test]
fn endpoint_security_group_association_keeps_the_default_group_unless_it_replaces_it() {
    case(
        "endpoint-sg-association-keeps-default",
        &[],
        0,
        Value::Bool(false),
    );
    let blocked = |verdict| {
        ["ecr.api", "ecr.dkr", "logs"].map(|s| {
            (
                "PP501",
                verdict,
                format!("aws_vpc_endpoint.interface[\"{s}\"]"),
            )
        })
    };
    let fail = blocked("fail");
    let fail: Vec<(&str, &str, &str)> = fail.iter().map(|(a, b, c)| (*a, *b, c.as_str())).collect();
    case(
        "endpoint-sg-association-replaces-default",
        &fail,
        1,
        Value::Bool(false),
    );
    let unknown = blocked("unknown");
    let unknown: Vec<(&str, &str, &str)> = unknown
        .iter()
        .map(|(a, b, c)| (*a, *b, c.as_str()))
        .collect();
    case(
        "endpoint-sg-association-replace-undecided",
        &unknown,
        0,
        Value::Bool(false),
    );
}

/// Ecosystem row 42 (issue 16): an execution role that reads its secret through the AWS managed
/// policy `SecretsManagerReadWrite` is decided (PP404 passes; it was unknown, the policy "not in
/// the input"), and a service that names its task definition as
/// `"${family}:${max(resource revision, data source revision)}"` keeps its task definition.
#[test]
fn secrets_manager_read_write_managed_policy_allows_the_secret() {
    case(
        "managed-secretsmanager-readwrite",
        &[],
        0,
        Value::Bool(false),
    );
}

/// Ecosystem row 43 (issue 16): an image written as
/// `"${replace(aws_ecr_repository.shop.repository_url, "https://", "")}:1.4"` is still the
/// input's own repository (a repository URL has no "https://" in it): PASS in private subnets
/// with every endpoint. PP601 was unknown (`replace()` lost where the value came from).
#[test]
fn replace_on_a_repository_url_keeps_the_repository() {
    case("image-replace-repository-url", &[], 0, Value::Bool(false));
}

/// Interface endpoints whose services are a variable without a value (`for_each` over it): each
/// may be one the service needs, so the endpoints' group that admits nothing (PP501) and the
/// tasks' group that lets HTTPS out only to S3 (PP502) are not decided, beside the missing
/// endpoints (PP101, PP102, PP104). Both were silent: the rules looked only at endpoints whose
/// service is known.
#[test]
fn https_to_an_endpoint_of_undecided_service_is_not_decided() {
    case(
        "endpoint-service-undecided-https",
        &[
            ("PP101", "unknown", "aws_vpc.main"),
            ("PP102", "unknown", "aws_vpc.main"),
            ("PP104", "unknown", "aws_vpc.main"),
            ("PP501", "unknown", "aws_vpc_endpoint.interface[*]"),
            ("PP502", "unknown", "aws_security_group.tasks"),
        ],
        0,
        Value::Bool(false),
    );
}

/// Row 66's helper audit: in strict mode a VPC without an internet route says once that
/// endpoints are required; with one, strict mode is why.
#[test]
fn strict_mode_says_once_that_endpoints_are_required() {
    let dir = "testdata/hcl/fidelity/module-not-null";
    let (text, _, _) = pullpath(&["check", dir, "--mode", "strict", "--color", "never"]);
    assert!(
        text.contains("  internet route: no (endpoints required)\n"),
        "{text}"
    );
    assert!(
        !text.contains("(strict mode: endpoints required)"),
        "{text}"
    );
}

/// Fixes are written in the root module, which cannot name a resource inside a module: they
/// use the module's outputs that give the attributes (rows 57 and 63's helper audits: the fixes
/// wrote `module.vpc.aws_vpc.this[0].id`).
#[test]
fn fixes_name_module_resources_by_their_outputs() {
    case(
        "module-outputs-in-fixes",
        &[
            ("PP101", "fail", "module.network.aws_vpc.this"),
            ("PP102", "fail", "module.network.aws_vpc.this"),
            ("PP103", "fail", "module.network.aws_vpc.this"),
            ("PP104", "fail", "module.network.aws_vpc.this"),
        ],
        1,
        Value::Bool(false),
    );
    let (out, _, _) = pullpath(&[
        "check",
        "testdata/hcl/fidelity/module-outputs-in-fixes",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    for f in v["findings"].as_array().unwrap() {
        let fix = f["fix"].as_str().unwrap_or_default();
        assert!(!fix.contains("module.network.aws_"), "{fix}");
    }
    let all: String = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fix"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        all.contains("vpc_id              = module.network.vpc_id"),
        "{all}"
    );
    assert!(
        all.contains(
            "[module.network.private_subnet_ids[0], module.network.private_subnet_ids[1]]"
        ),
        "{all}"
    );
    assert!(
        all.contains("route_table_ids   = [module.network.private_route_table_id]"),
        "{all}"
    );
}

/// Row 80 (OWASP Nest): `"${aws_cloudwatch_log_group.worker.arn}:*"`, a parameter path in the
/// caller identity's account, and a parameter read by its name. The log group's ARN is made of
/// its known name, region and the input's own account; the named parameter is in the task's own
/// region and account: PP404 passes (it was unknown).
#[test]
fn a_log_group_arn_reference_and_a_named_parameter_are_covered() {
    case("logs-policy-log-group-arn", &[], 0, Value::Bool(true));
}

/// Its twin: the statement names another log group of the input by reference; no account makes
/// that ARN the worker's group. PP404 fails, decided.
#[test]
fn a_log_group_arn_reference_to_another_group_does_not_cover() {
    case(
        "logs-policy-other-log-group-arn",
        &[("PP404", "fail", "aws_iam_role.execution")],
        1,
        Value::Bool(true),
    );
}

/// The incident itself as users write it: an S3 gateway endpoint policy on
/// `"${aws_s3_bucket.assets.arn}/*"` only. A bucket's ARN is its name's: not the layer bucket.
/// PP401 fails, decided (it was unknown), NAT gateway or not.
#[test]
fn an_s3_endpoint_policy_on_a_bucket_reference_blocks_the_layer_bucket() {
    case(
        "s3-endpoint-policy-bucket-arn",
        &[("PP401", "fail", "aws_vpc_endpoint.s3")],
        1,
        Value::Bool(true),
    );
}

/// An S3 gateway endpoint policy whose only principal is the account's root, its account from
/// `data.aws_caller_identity`: never "*", which alone names ECR's presigned layer download.
/// PP401 fails, decided (it was unknown).
#[test]
fn an_s3_endpoint_policy_for_the_accounts_principals_blocks_the_layer_bucket() {
    case(
        "s3-endpoint-policy-account-principal",
        &[("PP401", "fail", "aws_vpc_endpoint.s3")],
        1,
        Value::Bool(false),
    );
}

/// ECR endpoint policies that allow another role of the input, by reference: not the role that
/// pulls. PP402 fails on both endpoints, decided; the twin naming the pulling role passes.
#[test]
fn an_ecr_endpoint_policy_for_another_role_of_the_input_blocks_the_pull() {
    case(
        "ecr-endpoint-policy-other-role",
        &[
            ("PP402", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP402", "fail", "aws_vpc_endpoint.ecr_dkr"),
        ],
        1,
        Value::Bool(false),
    );
    case("ecr-endpoint-policy-own-role", &[], 0, Value::Bool(false));
}

/// A permissions boundary caps the execution role's policies: one of the input that allows
/// only S3 and DynamoDB leaves the role unable to pull or log, whatever its policies allow.
/// PP404 fails (the boundary was ignored: a pass); one outside the input makes it unknown.
#[test]
fn a_permissions_boundary_caps_the_execution_role() {
    case(
        "permissions-boundary-blocks-pull",
        &[
            ("PP110", "fail", "aws_vpc.v"),
            ("PP404", "fail", "aws_iam_role.x"),
        ],
        1,
        Value::Bool(true),
    );
    case(
        "permissions-boundary-not-in-input",
        &[
            ("PP110", "fail", "aws_vpc.v"),
            ("PP404", "unknown", "aws_iam_role.x"),
        ],
        0,
        Value::Bool(true),
    );
}

/// An Auto Scaling group whose launch configuration is named by `.name` (`node-lc`, a name that
/// looks like an id): found by name, the instances are in an isolated subnet: PP101, PP102,
/// PP103, PP106 fail (it was PP901, exit 0).
#[test]
fn a_launch_configuration_named_like_an_id_is_followed() {
    case(
        "launch-configuration-by-name",
        &[
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP103", "fail", "aws_vpc.main"),
            ("PP106", "fail", "aws_vpc.main"),
        ],
        1,
        Value::Bool(false),
    );
}

/// User data whose shebang is indented (a `<<EOF` heredoc, not `<<-EOF`) never runs: its
/// `ECS_CLUSTER` is no join pullpath trusts. PP901 (it passed).
#[test]
fn user_data_with_an_indented_shebang_joins_no_cluster_for_sure() {
    case(
        "user-data-indented-shebang",
        &[("PP901", "fail", "aws_ecs_service.app")],
        0,
        Value::Null,
    );
}

/// A service in a private subnet (endpoints, S3 gateway on its table) and a public one (internet
/// gateway, public IPs): the public subnet reaches S3 through the internet gateway, so PP301
/// passes in reachability mode (a false fail before); strict mode still asks for the gateway
/// on every workload subnet.
#[test]
fn a_public_workload_subnet_needs_no_s3_gateway_route_in_reachability_mode() {
    case("s3-gateway-mixed-subnets", &[], 0, Value::Bool(false));
    let (out, err, code) = pullpath(&[
        "check",
        "testdata/hcl/fidelity/s3-gateway-mixed-subnets",
        "--mode",
        "strict",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let rules: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(rules, [("PP301", "fail")]);
    assert_eq!(code, 1);
}

/// The role's ECR statement names another repository of the input by reference: two
/// repositories of the input are two names. PP404 fails, decided (it was unknown).
#[test]
fn an_ecr_statement_on_another_repository_of_the_input_does_not_cover_the_image() {
    case(
        "ecr-policy-other-repository-reference",
        &[
            ("PP110", "fail", "aws_vpc.v"),
            ("PP404", "fail", "aws_iam_role.x"),
        ],
        1,
        Value::Bool(true),
    );
}

/// ECS tasks started by a Step Functions state machine (in a Parallel branch), an EventBridge
/// Scheduler universal target and an EventBridge pipe are workloads (they were not read: "no
/// workload found", exit 0, where nothing can be pulled). PP101-PP103 fail on each.
#[test]
fn tasks_started_by_step_functions_scheduler_and_pipes_are_workloads() {
    for name in [
        "step-functions-run-task",
        "scheduler-universal-run-task",
        "pipe-ecs-target",
    ] {
        case(
            name,
            &[
                ("PP101", "fail", "aws_vpc.main"),
                ("PP102", "fail", "aws_vpc.main"),
                ("PP103", "fail", "aws_vpc.main"),
                ("PP404", "unknown", "aws_ecs_task_definition.job"),
            ],
            1,
            Value::Bool(false),
        );
    }
}

/// A state whose task definition comes from its input at run time: the images are not known,
/// and wherever they are nothing can pull them here (PP601 fails); the endpoints they may need
/// are unknown.
#[test]
fn a_task_definition_from_the_state_input_is_not_known() {
    case(
        "step-functions-run-task-dynamic",
        &[
            ("PP101", "unknown", "aws_vpc.main"),
            ("PP102", "unknown", "aws_vpc.main"),
            ("PP103", "unknown", "aws_vpc.main"),
            ("PP104", "unknown", "aws_vpc.main"),
            ("PP105", "unknown", "aws_vpc.main"),
            ("PP404", "unknown", "aws_sfn_state_machine.run"),
            ("PP601", "fail", "aws_sfn_state_machine.run"),
        ],
        1,
        Value::Bool(false),
    );
}

/// A network ACL that denies outbound TCP 443 on a subnet whose way out is a NAT gateway: the
/// pull through NAT is dropped. PP503 fails (network ACLs were judged only towards endpoints:
/// a pass).
#[test]
fn a_network_acl_denying_https_through_nat_blocks_the_pull() {
    case(
        "nacl-denies-https-through-nat",
        &[
            ("PP110", "fail", "aws_vpc.v"),
            ("PP503", "fail", "aws_network_acl.private"),
        ],
        1,
        Value::Bool(true),
    );
}

/// Repository credentials from a secret of the input by reference, and an execution role that
/// may not read it: PP404 fails (the reference was dropped: a pass). A secret whose `valueFrom`
/// is not known may be read from anywhere: PP404 is unknown (a pass before).
#[test]
fn secrets_by_reference_or_not_known_are_asked_of_the_execution_role() {
    case(
        "repository-credentials-by-reference",
        &[("PP404", "fail", "aws_iam_role.exec")],
        1,
        Value::Bool(true),
    );
    case(
        "secret-value-from-unknown",
        &[("PP404", "unknown", "aws_iam_role.exec")],
        0,
        Value::Bool(true),
    );
}

/// The pull calls carry the source keys of the endpoints they go through: an execution role
/// that allows the pull only through the VPC's ecr.dkr endpoint passes (a false fail before);
/// a Deny unless the source is the ecr.dkr endpoint denies the token call, which goes through
/// the ecr.api endpoint (another endpoint, another id): PP404 fails on it alone.
#[test]
fn execution_role_conditions_on_the_source_endpoint() {
    case("execution-role-source-vpce", &[], 0, Value::Bool(false));
    case(
        "execution-role-deny-other-endpoint",
        &[("PP404", "fail", "aws_iam_role.exec")],
        1,
        Value::Bool(false),
    );
    let (text, _, _) = pullpath(&[
        "check",
        "testdata/hcl/fidelity/execution-role-deny-other-endpoint",
        "--color",
        "never",
    ]);
    assert!(
        text.contains("is not allowed\n    ecr:GetAuthorizationToken\n")
            || text.contains("is not allowed ecr:GetAuthorizationToken\n"),
        "{text}"
    );
}

/// A workload declared with --workload in a VPC whose private subnet is routed to the S3
/// gateway and whose public subnet is not: its subnets are not known, so PP301 is unknown, not
/// a fail (a false fail before); the run exits 0.
#[test]
fn a_declared_workload_fails_no_subnet_it_may_not_use() {
    let (out, err, code) = pullpath(&[
        "check",
        "testdata/hcl/fidelity/declared-workload-public-subnet",
        "--workload",
        "aws_vpc.v=fargate",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let pp301: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PP301")
        .map(|f| f["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(pp301, ["unknown"]);
    assert_eq!(code, 0, "{out}");
}

/// An endpoint read with a data source for a service offered only as an Interface endpoint is
/// one: PP107 passes (it was unknown: the type is read from AWS).
#[test]
fn an_existing_endpoint_of_an_interface_only_service_is_an_interface_endpoint() {
    case("data-endpoint-interface-only", &[], 0, Value::Bool(false));
}

/// Policy documents merged with override_policy_documents whose statements name resources of
/// the input by reference: merged statement by statement (the whole policy was unknown). The
/// merge allows the pull (PP404 passes); an override replacing the ECR statement with one on
/// another repository does not (PP404 fails).
#[test]
fn policy_documents_with_references_merge() {
    case(
        "policy-document-override-merge",
        &[("PP110", "fail", "aws_vpc.v")],
        0,
        Value::Bool(true),
    );
    case(
        "policy-document-override-other-repository",
        &[
            ("PP110", "fail", "aws_vpc.v"),
            ("PP404", "fail", "aws_iam_role.x"),
        ],
        1,
        Value::Bool(true),
    );
}

/// A SecureString parameter of the input read by its name, encrypted with a customer managed
/// key the role may not use: PP404 fails on kms:Decrypt (the key was not asked for: a pass).
#[test]
fn a_parameter_read_by_name_brings_its_key() {
    case(
        "ssm-parameter-by-name-cmk",
        &[("PP404", "fail", "aws_iam_role.exec")],
        1,
        Value::Bool(false),
    );
}

/// `for_each = aws_subnet.private` over subnets whose own `for_each` is not decided: the same
/// keys, `each.value` the subnet of the key. The associations tie every private subnet to the
/// NAT route table: the internet route is decided (it was unknown).
#[test]
fn for_each_over_a_resource_of_undecided_keys_corresponds_by_key() {
    case(
        "for-each-over-resource",
        &[("PP110", "fail", "aws_vpc.main")],
        0,
        Value::Bool(true),
    );
}

/// A Batch job definition without an execution role: PP404 fails for both the pull and the
/// logs, and its fix names `executionRoleArn` in `container_properties` (it said
/// `execution_role_arn`, which the resource does not have).
#[test]
fn a_batch_job_without_execution_role_is_told_the_key_batch_reads() {
    case(
        "batch-job-without-execution-role",
        &[("PP404", "fail", "aws_batch_job_definition.job")],
        1,
        Value::Bool(true),
    );
    let (text, _, _) = pullpath(&[
        "check",
        "testdata/hcl/fidelity/batch-job-without-execution-role",
        "--color",
        "never",
    ]);
    assert!(
        text.contains("set executionRoleArn in the job definition's container_properties"),
        "{text}"
    );
    assert!(text.contains("nor write to CloudWatch Logs"), "{text}");
}

/// Exclusive management of a role's policies: `aws_iam_role_policy_attachments_exclusive`
/// attaches what it lists (PP404 failed: the resource was not read), also through a
/// `data "aws_iam_policy"` found by an AWS managed policy's name; and it, the
/// `aws_iam_role_policies_exclusive` resource, a written `managed_policy_arns` or an
/// `inline_policy` block remove on apply the policies other resources attach that their list
/// leaves out: PP404 is unknown with the reason (it passed).
#[test]
fn exclusive_policy_management_attaches_and_removes() {
    for name in [
        "iam-exclusive-attachments-only",
        "iam-exclusive-attachments-by-data-name",
        "iam-exclusive-attachments-listed",
        "iam-inline-policy-dynamic-none",
    ] {
        case(name, &[], 0, Value::Bool(false));
    }
    for name in [
        "iam-exclusive-attachments-leave-out",
        "iam-policies-exclusive-empty",
        "iam-managed-policy-arns-empty",
        "iam-inline-policy-empty-block",
    ] {
        case(
            name,
            &[("PP404", "unknown", "aws_iam_role.exec")],
            0,
            Value::Bool(false),
        );
    }
    let (text, _, _) = pullpath(&[
        "check",
        "testdata/hcl/fidelity/iam-exclusive-attachments-leave-out",
        "--color",
        "never",
    ]);
    assert!(
        text.contains("manages the managed policies of aws_iam_role.exec")
            && text.contains("does not list the one aws_iam_role_policy_attachment.exec attaches"),
        "{text}"
    );
}

/// The Service Connect proxy logs with the service's `service_connect_configuration`
/// `log_configuration`: with `awslogs` and no logs endpoint nor internet route, PP104 fails for
/// it (the application container sets no log configuration; it passed).
#[test]
fn the_service_connect_proxy_logs_like_a_container() {
    case(
        "service-connect-proxy-logs",
        &[("PP104", "fail", "aws_vpc.main")],
        1,
        Value::Bool(false),
    );
}

/// A service with an EXTERNAL deployment controller runs its tasks in `aws_ecs_task_set`s: the
/// task set of the input is the workload (launch type, network, task definition are its own), and
/// PP101-PP104 fail (the service alone was taken for an EC2 service: PP901, exit 0). Without a
/// task set in the input the service's network is not known (PP901, with the reason).
#[test]
fn task_sets_of_an_external_deployment_are_the_workloads() {
    case(
        "ecs-task-set-external",
        &[
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP103", "fail", "aws_vpc.main"),
            ("PP104", "fail", "aws_vpc.main"),
        ],
        1,
        Value::Bool(false),
    );
    case(
        "ecs-external-without-task-set",
        &[("PP901", "fail", "aws_ecs_service.app")],
        0,
        Value::Null,
    );
}

/// The workspace `terraform workspace select` recorded in `.terraform/environment` is the one
/// `terraform.workspace` gives when TF_WORKSPACE is not set: a stack that exists only in that
/// workspace is checked (it was dropped as "no workload found", exit 0), and a note says which
/// workspace was taken and why.
#[test]
fn the_selected_workspace_is_the_one_terraform_uses() {
    case(
        "workspace-selected",
        &[
            ("PP101", "fail", "aws_vpc.v"),
            ("PP102", "fail", "aws_vpc.v"),
            ("PP103", "fail", "aws_vpc.v"),
            ("PP404", "fail", "aws_ecs_task_definition.app[0]"),
            ("PP407", "unknown", "aws_ecs_task_definition.app[0]"),
        ],
        1,
        Value::Bool(false),
    );
    let (text, _, _) = pullpath(&["check", "testdata/hcl/fidelity/workspace-selected"]);
    assert!(
        text.contains("terraform.workspace is \"prod\": selected in testdata/hcl/fidelity/workspace-selected/.terraform/environment"),
        "{text}"
    );
}

/// An Auto Scaling group without `vpc_zone_identifier` launches into the subnet its launch
/// template's first network interface names (`subnet_id`, or the subnet of the existing
/// `network_interface_id`): the ECS container instances pull from there (it was PP901, exit 0).
#[test]
fn a_launch_template_interface_places_the_instances() {
    for name in [
        "launch-template-existing-interface",
        "launch-template-interface-subnet",
    ] {
        case(
            name,
            &[
                ("PP101", "fail", "aws_vpc.main"),
                ("PP102", "fail", "aws_vpc.main"),
                ("PP103", "fail", "aws_vpc.main"),
                ("PP106", "fail", "aws_vpc.main"),
            ],
            1,
            Value::Bool(false),
        );
    }
}

/// A secret's `valueFrom` built with `format("%s:%s::", aws_secretsmanager_secret.app.id, …)`
/// names that secret, as the interpolated string does: with no secretsmanager endpoint PP105
/// fails (it was unknown: "a secret … not known before apply").
#[test]
fn a_secret_named_with_format_is_that_secret() {
    case(
        "secret-value-from-format",
        &[("PP105", "fail", "aws_vpc.main")],
        1,
        Value::Bool(false),
    );
}

/// A parameter ARN in the input's own account (`${data.aws_caller_identity.current.account_id}`)
/// is decided: an SSM parameter, which a role's `Resource` in any account covers when its path
/// does (PP105 and PP404 were unknown), and a path the role does not cover fails PP404.
#[test]
fn a_parameter_arn_in_the_own_account_is_decided() {
    case("ssm-arn-caller-account-allowed", &[], 0, Value::Bool(false));
    case(
        "ssm-arn-caller-account-denied",
        &[("PP404", "fail", "aws_iam_role.exec")],
        1,
        Value::Bool(false),
    );
}

/// Calls through an endpoint of a VPC the input creates carry the VPC's reference as
/// `aws:SourceVpc` in every policy rule: an endpoint policy's condition on the same VPC
/// (`aws_vpc.main.id`) matches it, one on another VPC of the input does not (both were unknown).
#[test]
fn endpoint_policy_conditions_on_the_source_vpc_by_reference() {
    case(
        "endpoint-policy-source-vpc-same",
        &[],
        0,
        Value::Bool(false),
    );
    case(
        "endpoint-policy-source-vpc-other",
        &[
            ("PP402", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP402", "fail", "aws_vpc_endpoint.ecr_dkr"),
        ],
        1,
        Value::Bool(false),
    );
}

/// Subnets whose zones are `data.aws_availability_zones.az.names[0]` and `names[1]` are in two
/// zones: endpoints with a subnet only in the first miss the second (PP109 warns; it passed
/// silently, the zones being known only when Terraform reads the data source).
#[test]
fn zones_by_position_in_one_list_are_distinct() {
    case(
        "az-by-position-in-data-source",
        &[
            ("PP109", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP109", "fail", "aws_vpc_endpoint.ecr_dkr"),
        ],
        0,
        Value::Bool(false),
    );
}

/// An instance launched with an existing network interface has the public IPv4 of the Elastic
/// IP on that interface (an `aws_eip` with `network_interface`), and none without one: through
/// an internet gateway route the first pulls (everything passes), the second cannot (a helper's
/// row 126).
#[test]
fn an_existing_interface_is_public_through_its_elastic_ip() {
    case(
        "launch-template-interface-elastic-ip-with",
        &[],
        0,
        Value::Bool(true),
    );
    case(
        "launch-template-interface-elastic-ip-without",
        &[
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP103", "fail", "aws_vpc.main"),
            ("PP106", "fail", "aws_vpc.main"),
        ],
        1,
        Value::Bool(false),
    );
}

/// A log driver's `secretOptions` are fetched by the execution role at task start like
/// `secrets`: a FireLens key in Secrets Manager needs the secretsmanager endpoint and the role's
/// permission (PP105 and PP404 fail; it passed).
#[test]
fn log_configuration_secret_options_are_secrets() {
    case(
        "log-secret-options",
        &[
            ("PP105", "fail", "aws_vpc.main"),
            ("PP404", "fail", "aws_iam_role.exec"),
        ],
        1,
        Value::Bool(false),
    );
}

/// `0.0.0.0/0` to a VPC peering connection is no way to the internet (no edge-to-edge routing
/// through the peer's NAT gateway): PP101-PP104 fail (they were unknown).
#[test]
fn a_default_route_to_a_peering_connection_is_no_internet_route() {
    case(
        "default-route-to-peering",
        &[
            ("PP101", "fail", "aws_vpc.main"),
            ("PP102", "fail", "aws_vpc.main"),
            ("PP103", "fail", "aws_vpc.main"),
            ("PP104", "fail", "aws_vpc.main"),
        ],
        1,
        Value::Bool(false),
    );
}

/// DHCP name servers at the VPC's base address plus two are the Amazon resolver: no bypass of
/// the endpoints' private DNS (PP203 warned, PP201 was unknown).
#[test]
fn the_vpc_resolver_address_is_amazon_provided_dns() {
    case("dhcp-vpc-resolver-address", &[], 0, Value::Bool(false));
}

/// An image under a pull-through cache prefix: its first pull imports it
/// (`ecr:BatchImportUpstreamImage`) into a repository ECR creates (`ecr:CreateRepository`). A
/// role that allows neither is unknown (a registry policy outside the input may grant them; it
/// passed); one that allows both passes.
#[test]
fn a_pull_through_cache_import_is_asked_of_the_role() {
    case(
        "pull-through-cache-import-not-allowed",
        &[("PP404", "unknown", "aws_iam_role.exec")],
        0,
        Value::Bool(true),
    );
    case(
        "pull-through-cache-import-allowed",
        &[],
        0,
        Value::Bool(true),
    );
    // The image's registry account from `data.aws_caller_identity` (not known in a
    // configuration): matched by what is known of its host and path, as PP602 matches it (it
    // passed; a helper's audit of ecosystem row 157).
    case(
        "pull-through-cache-caller-identity-import-not-allowed",
        &[
            ("PP404", "unknown", "aws_iam_role.execution"),
            ("PP602", "fail", "aws_ecs_task_definition.app"),
        ],
        0,
        Value::Bool(false),
    );
}

/// A customer managed prefix list of the input as a security group peer is its entries: one
/// holding the VPC's CIDR admits the workloads (PP501 passes), one holding only another range
/// admits none (PP501 fails); both were unknown ("not read").
#[test]
fn a_managed_prefix_list_of_the_input_is_its_entries() {
    case("prefix-list-entries-admit", &[], 0, Value::Bool(false));
    case(
        "prefix-list-entries-exclude",
        &[
            ("PP501", "fail", "aws_vpc_endpoint.ecr_api"),
            ("PP501", "fail", "aws_vpc_endpoint.ecr_dkr"),
            ("PP501", "fail", "aws_vpc_endpoint.logs"),
        ],
        1,
        Value::Bool(false),
    );
}

/// A workload with an internet route and ECR endpoints whose private DNS is off: the default
/// mode passes; strict mode fails PP201 and says the calls bypass the endpoints through the
/// internet route (it said the workload "cannot reach" ECR: a helper's row 138).
#[test]
fn strict_private_dns_off_with_an_internet_route_says_bypass() {
    case(
        "strict-private-dns-off-with-internet",
        &[],
        0,
        Value::Bool(true),
    );
    let dir = "testdata/hcl/fidelity/strict-private-dns-off-with-internet";
    let (out, _, code) = pullpath(&["check", dir, "--mode", "strict", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let pp201: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "PP201")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(pp201.len(), 2, "{out}");
    for m in pp201 {
        assert!(
            m.contains("bypass it and leave through its internet route"),
            "{m}"
        );
        assert!(!m.contains("cannot reach"), "{m}");
    }
}

/// An image on the ECR dual-stack host, a VPC without NAT whose route table sends `::/0` to an
/// egress-only gateway: the pull may go over IPv6, which depends on the tasks' addresses: PP601
/// is unknown (it failed: only `0.0.0.0/0` was asked for).
#[test]
fn a_dual_stack_image_with_ipv6_egress_is_unknown() {
    case(
        "dual-stack-image-ipv6-egress",
        &[("PP601", "unknown", "aws_ecs_task_definition.app")],
        0,
        Value::Bool(false),
    );
}

/// Egress on 443 only to the VPC and to S3's prefix list, a Docker Hub image through NAT: S3's
/// ranges never hold a registry's API host, PP502 fails (it was unknown).
#[test]
fn s3_prefix_list_egress_does_not_reach_a_registry() {
    case(
        "sg-egress-s3-prefix-list-docker-hub",
        &[("PP502", "fail", "aws_security_group.app")],
        1,
        Value::Bool(true),
    );
}

/// An `ecr.dkr` endpoint taken out of the configuration by a `removed` block with
/// `destroy = false` goes on existing, with attributes the configuration no longer says: PP101
/// is unknown (it failed), and a note names the block. With `destroy = true` PP101 fails.
#[test]
fn a_removed_endpoint_kept_in_aws_is_unknown() {
    case(
        "removed-endpoint-kept",
        &[
            ("PP101", "unknown", "aws_vpc.v"),
            ("PP401", "unknown", "aws_vpc_endpoint.ecr_dkr"),
        ],
        0,
        Value::Bool(false),
    );
    let (out, _, _) = pullpath(&[
        "check",
        "testdata/hcl/fidelity/removed-endpoint-kept",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let notes = v["input_notes"].to_string();
    assert!(
        notes.contains(
            "aws_vpc_endpoint.ecr_dkr is removed from the configuration but not destroyed"
        ),
        "{notes}"
    );
    case(
        "removed-endpoint-destroyed",
        &[("PP101", "fail", "aws_vpc.v")],
        1,
        Value::Bool(false),
    );
}

/// Where `0.0.0.0/0` leads decides the internet route: a public NAT gateway whose own subnet
/// has no route to an internet gateway (it was a pass), a private NAT gateway whose subnet
/// routes to the internet gateway (which drops its traffic), an instance with its
/// source/destination check on (both were unknown): no internet route, the endpoints fail.
#[test]
fn a_nat_that_does_not_reach_the_internet_is_no_internet_route() {
    for name in [
        "nat-gateway-subnet-without-igw-route",
        "private-nat-gateway-to-igw",
        "nat-instance-source-dest-check",
    ] {
        case(
            name,
            &[
                ("PP101", "fail", "aws_vpc.v"),
                ("PP102", "fail", "aws_vpc.v"),
                ("PP103", "fail", "aws_vpc.v"),
            ],
            1,
            Value::Bool(false),
        );
    }
}

/// An endpoint read back by a data source whose `id` is the endpoint resource's (cloudposse's
/// vpc-endpoints module): the data source is that endpoint, so the missing logs endpoint fails
/// PP104 (the read-back was an endpoint of unknown service: PP104 and PP401 were unknown).
#[test]
fn an_endpoint_read_back_by_its_id_is_the_same_endpoint() {
    case(
        "data-endpoint-read-back",
        &[("PP104", "fail", "aws_vpc.main")],
        1,
        Value::Bool(false),
    );
}

/// A route table that learns routes from a VPN gateway (`propagating_vgws`, or an
/// `aws_vpn_gateway_route_propagation`) may get 0.0.0.0/0 from the other side of the VPN: the
/// internet route is not decided and the missing endpoints are unknown (they failed).
#[test]
fn routes_propagated_from_a_vpn_gateway_leave_the_internet_route_undecided() {
    for name in ["vgw-route-propagation", "vgw-route-propagation-resource"] {
        case(
            name,
            &[
                ("PP101", "unknown", "aws_vpc.v"),
                ("PP102", "unknown", "aws_vpc.v"),
                ("PP103", "unknown", "aws_vpc.v"),
            ],
            0,
            Value::Null,
        );
    }
}

/// Logs (`awslogs-region`) and a secret (its ARN) in another region than the VPC's, without an
/// internet route: the VPC's endpoints serve its own region only and PrivateLink does not serve
/// CloudWatch Logs or Secrets Manager across regions: PP108 fails (both passed).
#[test]
fn logs_and_secrets_in_another_region_fail_without_internet() {
    for name in ["logs-region-other", "secret-region-other"] {
        case(
            name,
            &[("PP108", "fail", "aws_ecs_task_definition.app")],
            1,
            Value::Bool(false),
        );
    }
}

/// OpenTofu's `enabled` meta-argument: a resource or module call with `enabled = false` has no
/// instance (the disabled logs endpoint was counted: PP104 passed), one whose `enabled` is not
/// decided may exist (PP104 unknown).
#[test]
fn opentofu_enabled_false_creates_nothing() {
    for name in ["tofu-enabled-false", "tofu-module-enabled-false"] {
        case(
            name,
            &[("PP104", "fail", "aws_vpc.main")],
            1,
            Value::Bool(false),
        );
    }
    case(
        "tofu-enabled-undecided",
        &[("PP104", "unknown", "aws_vpc.main")],
        0,
        Value::Bool(false),
    );
}

/// An aliased provider without `allowed_account_ids` and without credentials of its own uses
/// the same credentials as the pinned default provider: one account, PP407 passes (it was
/// unknown). With a profile of its own the account is open: PP407 unknown.
#[test]
fn an_alias_on_the_same_credentials_shares_the_pinned_account() {
    case("provider-alias-without-account", &[], 0, Value::Bool(false));
    case(
        "provider-alias-own-credentials",
        &[("PP407", "unknown", "aws_ecs_task_definition.app")],
        0,
        Value::Bool(false),
    );
}

/// Private hosted zones named for the services: where the VPC's own zones answer the names of
/// endpoints with private DNS off, PP201 is unknown (it failed); where a VPC relies on such
/// zones for a hub's endpoints with `enable_dns_hostnames` unset, PP202 fails (it was unknown).
#[test]
fn private_hosted_zones_for_the_services() {
    case(
        "phz-local-private-dns-off",
        &[
            ("PP201", "unknown", "aws_vpc_endpoint.iface[\"ecr.api\"]"),
            ("PP201", "unknown", "aws_vpc_endpoint.iface[\"ecr.dkr\"]"),
        ],
        0,
        Value::Bool(false),
    );
    case(
        "phz-central-dns-hostnames-off",
        &[
            ("PP101", "unknown", "aws_vpc.v"),
            ("PP102", "unknown", "aws_vpc.v"),
            ("PP202", "fail", "aws_vpc.v"),
        ],
        1,
        Value::Bool(false),
    );
}

/// The NAT gateway's own subnet is on the path: a network ACL there that lets 443 in but not
/// the replies back fails PP503 (it passed).
#[test]
fn the_nat_gateway_subnet_acl_is_on_the_path() {
    case(
        "nacl-nat-subnet-no-replies",
        &[
            ("PP110", "fail", "aws_vpc.v"),
            ("PP503", "fail", "aws_network_acl.public"),
        ],
        1,
        Value::Bool(true),
    );
}

/// A subnet's block lies in one of its VPC's blocks: with one block and no secondary one, a rule
/// admitting the VPC's block admits the subnet whatever its own block is (known or not), and a
/// rule admitting `aws_vpc.v.cidr_block` admits the VPC's subnets whatever the VPC's block (an
/// IPAM pool's) turns out to be: PP501 passes (both were unknown). With a secondary block of
/// unknown range the subnet may lie outside the primary one: unknown.
#[test]
fn a_subnet_lies_in_its_vpc_block() {
    for name in ["sg-vpc-block-unknown-subnet", "sg-ipam-vpc-block"] {
        case(name, &[], 0, Value::Bool(false));
    }
    case(
        "sg-ipam-vpc-block-secondary",
        &[
            ("PP501", "unknown", "aws_vpc_endpoint.iface[\"ecr.api\"]"),
            ("PP501", "unknown", "aws_vpc_endpoint.iface[\"ecr.dkr\"]"),
            ("PP501", "unknown", "aws_vpc_endpoint.iface[\"logs\"]"),
        ],
        0,
        Value::Bool(false),
    );
}

/// OpenTofu's provider `for_each`: a resource on `aws.by_region["us-east-1"]` is not in the
/// default provider's region (it was, and a VPC of another region passed): the region comes from
/// elsewhere (the subnet's zone here), and the other region's endpoints, image and logs fail.
#[test]
fn an_instance_of_a_provider_for_each_is_not_the_default_provider() {
    case(
        "tofu-provider-for-each",
        &[
            ("PP108", "fail", "aws_ecs_task_definition.app"),
            ("PP108", "fail", "aws_ecs_task_definition.app"),
            ("PP108", "fail", "aws_vpc_endpoint.iface[\"ecr.api\"]"),
            ("PP108", "fail", "aws_vpc_endpoint.iface[\"ecr.dkr\"]"),
            ("PP108", "fail", "aws_vpc_endpoint.iface[\"logs\"]"),
            ("PP108", "fail", "aws_vpc_endpoint.s3"),
        ],
        1,
        Value::Bool(false),
    );
}

/// A secret's customer managed key named by an alias of the input (`aws_kms_alias.k.name`): the
/// alias's target key, whose kms:Decrypt the execution role needs (PP404 fails without it and
/// passes with it; both were unknown).
#[test]
fn a_secret_key_named_by_an_alias_of_the_input() {
    case(
        "secret-kms-alias-name-no-decrypt",
        &[("PP404", "fail", "aws_iam_role.exec")],
        1,
        Value::Bool(false),
    );
    case("secret-kms-alias-name-decrypt", &[], 0, Value::Bool(false));
}

/// Providers pinning two accounts, the repository made through the alias of the other one: the
/// image is not taken as the workload's own account's (it passed with no repository policy):
/// PP407 unknown.
#[test]
fn a_repository_of_an_input_with_several_accounts_may_be_another_account() {
    case(
        "repository-of-aliased-account",
        &[("PP407", "unknown", "aws_ecs_task_definition.app")],
        0,
        Value::Bool(false),
    );
}

/// A private ECR image whose registry account is a variable without a value: whether the pull is
/// cross-account is not decided, PP407 unknown (it passed silently).
#[test]
fn an_ecr_image_of_an_unknown_account_is_unknown() {
    case(
        "ecr-image-account-unknown",
        &[("PP407", "unknown", "aws_ecs_task_definition.app")],
        0,
        Value::Bool(false),
    );
}

/// `arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy` (no `service-role/`) names no AWS
/// managed policy: it grants nothing, PP404 fails and names the right ARN (it was unknown).
#[test]
fn a_managed_policy_under_the_wrong_path_grants_nothing() {
    case(
        "managed-policy-without-service-role-path",
        &[("PP404", "fail", "aws_iam_role.exec")],
        1,
        Value::Bool(false),
    );
}

/// `aws_iam_policy_attachment` owns a policy's attachments account-wide: where it leaves out the
/// execution role that another resource attaches the policy to, or where two of them attach the
/// same policy, whether the role keeps it is not decided: PP404 unknown (both passed).
#[test]
fn an_aws_iam_policy_attachment_owns_the_policy_account_wide() {
    case(
        "policy-attachment-owner-other-role",
        &[("PP404", "unknown", "aws_iam_role.exec")],
        0,
        Value::Bool(false),
    );
    case(
        "policy-attachment-owners-twice",
        &[("PP404", "unknown", "aws_iam_role.execution")],
        0,
        Value::Bool(false),
    );
    // One that owns another policy of the input detaches nothing from the role.
    case(
        "policy-attachment-owner-other-policy",
        &[],
        0,
        Value::Bool(false),
    );
}

/// A pull-through cache image whose registry account is `data.aws_caller_identity`'s, without an
/// internet route: PP602 warns (it said nothing).
#[test]
fn a_pull_through_cache_image_of_the_caller_account_warns() {
    case(
        "pull-through-cache-caller-identity-host",
        &[("PP602", "fail", "aws_ecs_task_definition.app")],
        0,
        Value::Bool(false),
    );
}

/// An image under an `aws_ecrpublic_repository`'s `repository_uri` is on ECR Public: without an
/// internet route PP601 fails (it was unknown).
#[test]
fn an_ecr_public_repository_uri_is_ecr_public() {
    case(
        "ecr-public-repository-uri",
        &[("PP601", "fail", "aws_ecs_task_definition.app")],
        1,
        Value::Bool(false),
    );
}

/// A review's cases, each unknown where it passed or failed: a known secondary block beside an
/// IPAM primary one (not the VPC's only block), a subnet of the default VPC outside its known
/// block, a NAT instance whose interface (in its own `network_interface` block) carries the
/// source/destination check, and the implicit default provider beside a pinned alias.
#[test]
fn review_cases_are_unknown() {
    for name in ["sg-ipam-vpc-block-known-secondary", "sg-default-vpc-block"] {
        case(
            name,
            &[
                ("PP501", "unknown", "aws_vpc_endpoint.iface[\"ecr.api\"]"),
                ("PP501", "unknown", "aws_vpc_endpoint.iface[\"ecr.dkr\"]"),
                ("PP501", "unknown", "aws_vpc_endpoint.iface[\"logs\"]"),
            ],
            0,
            Value::Bool(false),
        );
    }
    case(
        "nat-instance-interface-block",
        &[
            ("PP101", "unknown", "aws_vpc.v"),
            ("PP102", "unknown", "aws_vpc.v"),
            ("PP103", "unknown", "aws_vpc.v"),
        ],
        0,
        Value::Null,
    );
    case(
        "provider-implicit-default",
        &[("PP407", "unknown", "aws_ecs_task_definition.app")],
        0,
        Value::Bool(false),
    );
}

/// A service (`trimsuffix(arn, ":${revision}")`) and an EventBridge-scheduled task (`replace`
/// with `/:\d+$/`) name their task definition by its ARN without the revision: both run its
/// containers, a private ECR image logging with awslogs, without an execution role and without
/// a logs endpoint (PP104, PP404 fail). The deploy passed: the function's result named no task
/// definition (a helper's audit of ecosystem row 161).
#[test]
fn a_task_definition_arn_without_its_revision_names_the_task_definition() {
    case(
        "task-definition-arn-trimmed",
        &[
            ("PP104", "fail", "aws_vpc.v"),
            ("PP404", "fail", "aws_ecs_task_definition.app"),
            ("PP404", "fail", "aws_ecs_task_definition.app"),
        ],
        1,
        Value::Bool(false),
    );
}
