//! The HCL reader on the fixtures of `testdata/hcl`: addresses, values, references, locations,
//! suppressions, variables, modules, and the errors it reports.

use std::path::Path;

use pullpath::hcl::{load_root_module, HclOptions};
use pullpath::model::{InputKind, Model, Resource, Target, Value};

fn opts() -> HclOptions {
    HclOptions {
        env: Some(Vec::new()),
        ..HclOptions::default()
    }
}

fn load(dir: &str) -> Model {
    load_with(dir, &opts())
}

fn load_with(dir: &str, o: &HclOptions) -> Model {
    load_root_module(Path::new(dir), o).unwrap_or_else(|e| panic!("{dir}: {e:#}"))
}

fn res<'m>(m: &'m Model, address: &str) -> &'m Resource {
    m.lookup(0, address).unwrap_or_else(|| {
        panic!(
            "no {address}; have {:?}",
            m.resources.iter().map(|r| &r.address).collect::<Vec<_>>()
        )
    })
}

fn addresses(m: &Model) -> Vec<&str> {
    m.resources.iter().map(|r| r.address.as_str()).collect()
}

fn s(x: &str) -> Value {
    Value::String(x.into())
}

fn reference(address: &str, attr: &str) -> Value {
    Value::reference(
        vec![Target {
            address: address.into(),
            attr: Some(pullpath::model::attribute_name(attr)),
        }],
        true,
        None,
    )
}

fn reason(v: &Value) -> String {
    v.undecided_reason()
        .unwrap_or_else(|| format!("decided: {v:?}"))
}

#[test]
fn flat_layout_input_and_addresses() {
    let m = load("testdata/hcl/flat");
    assert_eq!(m.inputs.len(), 1);
    let info = &m.inputs[0];
    assert_eq!(info.kind, InputKind::Hcl);
    assert_eq!(info.path, "testdata/hcl/flat");
    assert_eq!(info.region.as_deref(), Some("us-west-2"));
    assert!(info.notes.is_empty(), "{:?}", info.notes);
    let a = addresses(&m);
    for want in [
        "aws_vpc.main",
        "aws_subnet.private[0]",
        "aws_subnet.private[1]",
        "aws_route_table_association.private[1]",
        "aws_vpc_endpoint.interface[\"ecr.api\"]",
        "aws_vpc_endpoint.interface[\"logs\"]",
        "aws_vpc_endpoint_subnet_association.interface[\"logs-1\"]",
        "aws_vpc_endpoint.s3",
        "aws_vpc_endpoint_route_table_association.s3",
        "data.aws_iam_policy_document.secrets",
        "data.aws_region.current",
        "data.aws_vpc_endpoint_service.secrets",
        "aws_security_group_rule.endpoints_https",
        "aws_vpc_security_group_egress_rule.batch_https",
        "aws_vpc_security_group_ingress_rule.endpoints_from_batch",
        "aws_ecs_task_definition.app",
        "aws_ecs_service.app",
    ] {
        assert!(a.contains(&want), "missing {want} in {a:?}");
    }
    // Every type of this layout is read: the log group too, since the awslogs driver's
    // CreateLogGroup depends on whether the input creates the group (types pullpath does not
    // read are counted, not kept, as in plans).
    assert!(a.contains(&"aws_cloudwatch_log_group.app"), "{a:?}");
    assert_eq!(m.skipped, 0);
}

#[test]
fn flat_layout_values_and_references() {
    let m = load("testdata/hcl/flat");
    let subnet = res(&m, "aws_subnet.private[1]");
    assert_eq!(subnet.get("vpc_id"), Some(&reference("aws_vpc.main", "id")));
    assert_eq!(subnet.get("cidr_block"), Some(&s("10.20.16.0/20")));
    assert_eq!(subnet.get("availability_zone"), Some(&s("us-west-2b")));
    assert_eq!(
        subnet.values.path(&["tags", "Name"]),
        Some(&s("orders-private-b"))
    );

    let assoc = res(
        &m,
        "aws_vpc_endpoint_subnet_association.interface[\"ecr.dkr-1\"]",
    );
    assert_eq!(
        assoc.get("vpc_endpoint_id"),
        Some(&reference("aws_vpc_endpoint.interface[\"ecr.dkr\"]", "id"))
    );
    assert_eq!(
        assoc.get("subnet_id"),
        Some(&reference("aws_subnet.private[1]", "id"))
    );

    // A nested block is a list of objects, as in plans.
    let svc = res(&m, "aws_ecs_service.app");
    assert_eq!(
        svc.values.path(&["network_configuration", "subnets"]),
        Some(&Value::List(vec![
            reference("aws_subnet.private[0]", "id"),
            reference("aws_subnet.private[1]", "id"),
        ]))
    );
    assert_eq!(
        svc.values
            .path(&["network_configuration", "assign_public_ip"]),
        Some(&Value::Bool(false))
    );
    assert_eq!(svc.region.as_deref(), Some("us-west-2"));

    // An attribute set to a known value is that value where it is referred to.
    let tasks = res(&m, "aws_security_group.tasks");
    let egress = tasks.get("egress").and_then(Value::as_list).unwrap();
    assert_eq!(egress.len(), 2);
    assert_eq!(
        egress[0].get("cidr_blocks"),
        Some(&Value::List(vec![s("10.20.0.0/16")]))
    );
    assert_eq!(
        egress[1].get("prefix_list_ids"),
        Some(&Value::List(vec![reference(
            "aws_vpc_endpoint.s3",
            "prefix_list_id"
        )]))
    );
}

#[test]
fn flat_layout_policies() {
    let m = load("testdata/hcl/flat");
    // jsonencode of a known value: JSON text.
    let s3 = res(&m, "aws_vpc_endpoint.s3");
    let policy: serde_json::Value =
        serde_json::from_str(s3.get("policy").and_then(Value::as_str).unwrap()).unwrap();
    assert_eq!(
        policy["Statement"][0]["Resource"][0],
        "arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*"
    );
    assert_eq!(
        s3.get("service_name"),
        Some(&s("com.amazonaws.us-west-2.s3"))
    );
    // A heredoc through a conditional and a local.
    let logs = res(&m, "aws_vpc_endpoint.interface[\"logs\"]");
    let policy: serde_json::Value =
        serde_json::from_str(logs.get("policy").and_then(Value::as_str).unwrap()).unwrap();
    assert_eq!(policy["Statement"][0]["Action"][1], "logs:PutLogEvents");
    assert_eq!(
        res(&m, "aws_vpc_endpoint.interface[\"ecr.api\"]").get("policy"),
        None
    );
    // aws_iam_policy_document with an unknown part: the structured document.
    let doc = res(&m, "data.aws_iam_policy_document.secrets");
    let json = doc.get("json").unwrap();
    assert_eq!(
        json.path(&["Statement"])
            .and_then(Value::as_list)
            .map(|l| l[0].get("Sid").cloned()),
        Some(Some(s("ReadFromVpc")))
    );
    assert_eq!(
        json.path(&["Statement"])
            .and_then(Value::as_list)
            .and_then(|l| l[0]
                .path(&["Condition", "StringEquals", "aws:SourceVpc"])
                .cloned()),
        Some(reference("aws_vpc.main", "id"))
    );
    // The endpoint refers to the document's json.
    let secrets = res(&m, "aws_vpc_endpoint.secrets");
    assert_eq!(secrets.get("policy"), Some(json));
    assert_eq!(
        secrets.get("service_name"),
        Some(&s("com.amazonaws.us-west-2.secretsmanager"))
    );
}

#[test]
fn flat_layout_container_definitions_stay_structured_when_partly_unknown() {
    let m = load("testdata/hcl/flat");
    let td = res(&m, "aws_ecs_task_definition.app");
    let defs = td.get("container_definitions").unwrap();
    let c = &defs.as_list().unwrap()[0];
    assert_eq!(
        c.path(&["logConfiguration", "logDriver"]),
        Some(&s("awslogs"))
    );
    assert_eq!(
        c.path(&["logConfiguration", "options", "awslogs-group"]),
        Some(&s("/ecs/orders"))
    );
    assert_eq!(
        reason(c.get("image").unwrap()),
        "variable `image_tag` has no value (set it with --var or a .tfvars file)"
    );
    assert_eq!(
        td.get("execution_role_arn"),
        Some(&reference("aws_iam_role.execution", "arn"))
    );

    // With a value for the variable the definitions are JSON text.
    let o = HclOptions {
        vars: vec!["image_tag=1.4.2".into()],
        ..opts()
    };
    let m = load_with("testdata/hcl/flat", &o);
    let td = res(&m, "aws_ecs_task_definition.app");
    let text = td
        .get("container_definitions")
        .and_then(Value::as_str)
        .unwrap();
    let j: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(
        j[0]["image"],
        "123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2"
    );
    assert_eq!(j[0]["portMappings"][0]["containerPort"], 8080);
}

#[test]
fn locations_and_suppressions() {
    let m = load("testdata/hcl/flat");
    let s3 = res(&m, "aws_vpc_endpoint.s3");
    let loc = s3.location().unwrap();
    assert_eq!(
        (loc.file.as_str(), loc.line, loc.column),
        ("testdata/hcl/flat/endpoints.tf", 24, 1)
    );
    let p = s3.location_of("policy").unwrap();
    assert_eq!((p.line, p.column), (28, 3));
    assert_eq!(s3.suppressions().len(), 1);
    let sup = &s3.suppressions()[0];
    assert_eq!(sup.codes, vec!["PP110"]);
    assert_eq!(sup.reason, "the NAT path is only a fallback here");
    assert_eq!((sup.location.line, sup.location.column), (23, 1));

    let subnet = res(&m, "aws_subnet.private[0]");
    let loc = subnet.location().unwrap();
    assert_eq!(
        (loc.file.as_str(), loc.line, loc.column),
        ("testdata/hcl/flat/network.tf", 11, 1)
    );
    let az = subnet.location_of("availability_zone").unwrap();
    assert_eq!((az.line, az.column), (15, 3));
    // Blocks have locations too.
    let svc = res(&m, "aws_ecs_service.app");
    let nc = svc.location_of("network_configuration").unwrap();
    assert_eq!(
        (nc.file.as_str(), nc.line),
        ("testdata/hcl/flat/ecs.tf", 63)
    );
    // Module resources point into the module's files.
    let m = load("testdata/hcl/modules");
    let e = res(&m, "module.vpce[\"logs\"].aws_vpc_endpoint.this");
    let loc = e.location().unwrap();
    assert_eq!(
        (loc.file.as_str(), loc.line),
        ("testdata/hcl/modules/modules/endpoint/main.tf", 26)
    );
}

#[test]
fn local_modules_with_for_each_and_providers() {
    let m = load("testdata/hcl/modules");
    assert_eq!(m.inputs[0].region.as_deref(), Some("eu-central-1"));
    let a = addresses(&m);
    for want in [
        "module.vpc.aws_vpc.this",
        "module.vpc.aws_subnet.private[2]",
        "module.vpc.aws_route_table_association.private[0]",
        "module.vpce[\"ecr_api\"].aws_vpc_endpoint.this",
        "module.vpce[\"ecr_dkr\"].aws_vpc_endpoint.this",
        "module.vpce[\"logs\"].aws_vpc_endpoint.this",
        "module.vpce[\"ssm\"].aws_vpc_endpoint.this",
        "module.vpce[\"ssm\"].data.aws_region.current",
        "module.vpce_dr.aws_vpc_endpoint.this",
    ] {
        assert!(a.contains(&want), "missing {want} in {a:?}");
    }
    let e = res(&m, "module.vpce[\"ecr_dkr\"].aws_vpc_endpoint.this");
    assert_eq!(
        e.get("vpc_id"),
        Some(&reference("module.vpc.aws_vpc.this", "id"))
    );
    assert_eq!(
        e.get("service_name"),
        Some(&s("com.amazonaws.eu-central-1.ecr.dkr"))
    );
    assert_eq!(
        e.get("subnet_ids"),
        Some(&Value::List(
            (0..3)
                .map(|i| reference(&format!("module.vpc.aws_subnet.private[{i}]"), "id"))
                .collect()
        ))
    );
    assert_eq!(
        e.get("security_group_ids"),
        Some(&Value::List(vec![reference(
            "aws_security_group.vpce",
            "id"
        )]))
    );
    assert_eq!(
        e.values.path(&["tags", "Name"]),
        Some(&s("payments-ecr_dkr"))
    );
    assert_eq!(e.region.as_deref(), Some("eu-central-1"));
    // `providers = { aws = aws.dr }` on the call.
    let dr = res(&m, "module.vpce_dr.aws_vpc_endpoint.this");
    assert_eq!(dr.region.as_deref(), Some("eu-west-1"));
    assert_eq!(
        dr.get("service_name"),
        Some(&s("com.amazonaws.eu-west-1.ecr.dkr"))
    );
    // A module output that is a configured value is that value.
    let sg = res(&m, "aws_security_group.vpce");
    assert_eq!(
        sg.values.path(&["ingress", "cidr_blocks"]),
        Some(&Value::List(vec![s("10.40.0.0/16")]))
    );
    let assoc = res(&m, "module.vpc.aws_route_table_association.private[2]");
    assert_eq!(
        assoc.get("route_table_id"),
        Some(&reference("module.vpc.aws_route_table.private[2]", "id"))
    );
}

#[test]
fn registry_module_from_the_terraform_cache() {
    let m = load("testdata/hcl/registry");
    assert!(m.inputs[0].notes.is_empty(), "{:?}", m.inputs[0].notes);
    let a = addresses(&m);
    assert!(a.contains(&"module.vpc.aws_vpc.this[0]"), "{a:?}");
    assert!(!a
        .iter()
        .any(|x| x.contains("aws_vpc_ipv4_cidr_block_association")));
    let subnet = res(&m, "module.vpc.aws_subnet.private[1]");
    assert_eq!(
        subnet.get("vpc_id"),
        Some(&reference("module.vpc.aws_vpc.this[0]", "id"))
    );
    assert_eq!(subnet.get("availability_zone"), Some(&s("ap-southeast-2b")));
    assert_eq!(subnet.get("cidr_block"), Some(&s("10.60.1.0/24")));
    let ce = res(&m, "aws_batch_compute_environment.jobs");
    assert_eq!(
        ce.values.path(&["compute_resources", "security_group_ids"]),
        Some(&Value::List(vec![reference(
            "module.vpc.aws_vpc.this[0]",
            "default_security_group_id"
        )]))
    );
    let loc = subnet.location().unwrap();
    assert_eq!(
        loc.file,
        "testdata/hcl/registry/.terraform/modules/vpc/main.tf"
    );
}

#[test]
fn registry_module_without_the_cache_is_reported() {
    let m = load("testdata/hcl/registry_no_init");
    let want = "module `vpc` (registry source terraform-aws-modules/vpc/aws) is not installed: run `terraform init`";
    assert_eq!(
        m.inputs[0].notes,
        vec![format!(
            "testdata/hcl/registry_no_init/main.tf:10:1: {want}; its resources are not read"
        )]
    );
    assert!(!addresses(&m).iter().any(|a| a.starts_with("module.")));
    let ce = res(&m, "aws_batch_compute_environment.jobs");
    let subnets = ce.values.path(&["compute_resources", "subnets"]).unwrap();
    assert_eq!(reason(subnets), want);
}

#[test]
fn endpoints_from_toset_of_full_service_names() {
    let m = load("testdata/hcl/toset_services");
    assert_eq!(
        addresses(&m),
        vec![
            "aws_vpc_endpoint.interface[\"com.amazonaws.us-east-2.ecr.api\"]",
            "aws_vpc_endpoint.interface[\"com.amazonaws.us-east-2.ecr.dkr\"]",
            "aws_vpc_endpoint.interface[\"com.amazonaws.us-east-2.logs\"]",
            "aws_vpc_endpoint.interface[\"com.amazonaws.us-east-2.secretsmanager\"]",
            "aws_vpc_endpoint.gateway[\"com.amazonaws.us-east-2.s3\"]",
        ]
    );
    let e = res(
        &m,
        "aws_vpc_endpoint.interface[\"com.amazonaws.us-east-2.logs\"]",
    );
    assert_eq!(e.get("vpc_id"), Some(&s("vpc-0a1b2c3d4e5f60718")));
    assert_eq!(
        e.get("subnet_ids"),
        Some(&Value::List(vec![s("subnet-0aa"), s("subnet-0bb")]))
    );
}

#[test]
fn variable_sources_and_precedence() {
    let o = HclOptions {
        vars: vec!["from_var=cli".into()],
        var_files: vec!["testdata/hcl/variables/extra.tfvars".into()],
        env: Some(vec![
            ("TF_VAR_from_env".into(), "env".into()),
            ("TF_VAR_from_tfvars".into(), "env".into()),
            ("HOME".into(), "/root".into()),
        ]),
        region: None,
        ..HclOptions::default()
    };
    let m = load_with("testdata/hcl/variables", &o);
    let vpc = res(&m, "aws_vpc.main");
    for (k, want) in [
        ("from_default", "default"),
        ("from_env", "env"),
        ("from_tfvars", "terraform.tfvars"),
        ("from_tfvars_json", "terraform.tfvars.json"),
        ("from_auto", "b.auto.tfvars.json"),
        ("from_var_file", "extra.tfvars"),
        ("from_var", "cli"),
        ("ports", "443,8443"),
    ] {
        assert_eq!(vpc.values.path(&["tags", k]), Some(&s(want)), "{k}");
    }
    // An optional attribute's default, and a region from a variable.
    assert_eq!(vpc.get("enable_dns_hostnames"), Some(&Value::Bool(true)));
    assert_eq!(m.inputs[0].region.as_deref(), Some("sa-east-1"));
    assert_eq!(
        m.inputs[0].notes,
        vec!["testdata/hcl/variables/extra.tfvars: a value is given for `undeclared`, which the root module does not declare; ignored"]
    );
}

/// A plan's variable values (its source evaluated with them) come after the var files and
/// before `--var`, and are named as the plan's in notes; nothing is written to read them.
#[test]
fn plan_variables_are_given_in_memory() {
    let o = HclOptions {
        vars: vec!["from_var=cli".into()],
        var_files: vec!["testdata/hcl/variables/extra.tfvars".into()],
        plan_variables: [
            ("from_var_file", "plan"),
            ("from_var", "plan"),
            ("from_auto", "plan"),
            ("not_declared_here", "plan"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), serde_json::json!(v)))
        .collect(),
        ..opts()
    };
    let m = load_with("testdata/hcl/variables", &o);
    let vpc = res(&m, "aws_vpc.main");
    for (k, want) in [
        ("from_default", "default"),
        ("from_auto", "plan"),
        ("from_var_file", "plan"),
        ("from_var", "cli"),
    ] {
        assert_eq!(vpc.values.path(&["tags", k]), Some(&s(want)), "{k}");
    }
    assert!(
        m.inputs[0].notes.iter().any(|n| n
            == "the plan's variables: a value is given for `not_declared_here`, which the root module does not declare; ignored"),
        "{:?}",
        m.inputs[0].notes
    );
}

/// A value for an undeclared variable is noted with the declared name it most likely meant.
#[test]
fn undeclared_variables_get_a_did_you_mean() {
    let o = HclOptions {
        vars: vec!["from_vra=x".into(), "nothing_like_it=y".into()],
        var_files: vec![],
        env: Some(vec![]),
        region: None,
        ..HclOptions::default()
    };
    let m = load_with("testdata/hcl/variables", &o);
    let notes: Vec<&String> = m.inputs[0]
        .notes
        .iter()
        .filter(|n| n.contains("does not declare"))
        .collect();
    assert_eq!(
        notes,
        [
            "--var from_vra: a value is given for `from_vra`, which the root module does not declare (did you mean `from_var`?); ignored",
            "--var nothing_like_it: a value is given for `nothing_like_it`, which the root module does not declare; ignored",
        ]
    );
}

#[test]
fn json_syntax_files() {
    let m = load("testdata/hcl/json_syntax");
    let a = addresses(&m);
    assert!(a.contains(&"aws_subnet.private[1]"), "{a:?}");
    assert!(a.contains(&"aws_vpc_endpoint.ecr[\"ecr.dkr\"]"), "{a:?}");
    let subnet = res(&m, "aws_subnet.private[1]");
    assert_eq!(subnet.get("cidr_block"), Some(&s("10.70.1.0/24")));
    assert_eq!(subnet.get("availability_zone"), Some(&s("eu-west-3b")));
    assert_eq!(subnet.get("vpc_id"), Some(&reference("aws_vpc.main", "id")));
    assert_eq!(
        res(&m, "aws_vpc.main").values.path(&["tags", "Name"]),
        Some(&s("json-eu-west-3"))
    );
    let global = res(&m, "aws_vpc_endpoint.global");
    assert_eq!(global.region.as_deref(), Some("us-east-1"));
    assert!(global.get("lifecycle").is_none());
    let sg = res(&m, "aws_security_group.endpoints");
    assert_eq!(
        sg.values.path(&["ingress", "from_port"]),
        Some(&Value::Number(443.0))
    );
    let loc = subnet.location().unwrap();
    assert_eq!(
        (loc.file.as_str(), loc.line),
        ("testdata/hcl/json_syntax/main.tf.json", 25)
    );
    let az = subnet.location_of("availability_zone").unwrap();
    assert_eq!((az.line, az.column), (29, 9));
}

#[test]
fn override_files_merge_over_the_base() {
    let m = load("testdata/hcl/overrides");
    assert_eq!(addresses(&m), vec!["aws_vpc_endpoint.ecr_dkr"]);
    let e = res(&m, "aws_vpc_endpoint.ecr_dkr");
    assert_eq!(e.get("vpc_endpoint_type"), Some(&s("Interface")));
    assert_eq!(e.get("private_dns_enabled"), Some(&Value::Bool(true)));
    assert_eq!(e.values.path(&["tags", "Team"]), Some(&s("platform")));
    assert_eq!(
        e.location().map(|l| l.file.as_str()),
        Some("testdata/hcl/overrides/main.tf")
    );
    assert_eq!(m.inputs[0].notes.len(), 1);
    assert!(m.inputs[0].notes[0].contains("has no base definition"));
}

#[test]
fn tofu_files_shadow_tf_files() {
    let m = load("testdata/hcl/tofu");
    let vpc = res(&m, "aws_vpc.main");
    assert_eq!(vpc.get("cidr_block"), Some(&s("10.1.0.0/16")));
    assert_eq!(vpc.values.path(&["tags", "Tool"]), Some(&s("opentofu")));
    assert_eq!(
        res(&m, "aws_subnet.a").get("cidr_block"),
        Some(&s("10.1.0.0/24"))
    );
}

#[test]
fn file_and_templatefile() {
    let m = load("testdata/hcl/templates");
    let s3 = res(&m, "aws_vpc_endpoint.s3");
    let text = s3.get("policy").and_then(Value::as_str).unwrap();
    let j: serde_json::Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(j["Statement"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        j["Statement"][0]["Resource"],
        "arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*"
    );
    assert_eq!(j["Statement"][1]["Sid"], "Read1");
    let logs = res(&m, "aws_vpc_endpoint.logs");
    assert!(logs
        .get("policy")
        .and_then(Value::as_str)
        .is_some_and(|p| p.contains("logs:PutLogEvents")));
}

#[test]
fn syntax_errors_name_file_line_and_column() {
    let e = load_root_module(Path::new("testdata/hcl/syntax_error"), &opts()).unwrap_err();
    let msg = format!("{e:#}");
    assert!(
        msg.starts_with("testdata/hcl/syntax_error/main.tf:8:1: syntax error: expected `)`"),
        "{msg}"
    );
}

#[test]
fn a_module_calling_itself_is_an_error() {
    let e = load_root_module(Path::new("testdata/hcl/cycle"), &opts()).unwrap_err();
    let msg = format!("{e:#}");
    assert!(
        msg.starts_with("testdata/hcl/cycle/main.tf:1:1: module `again` calls testdata/hcl/cycle"),
        "{msg}"
    );
    assert!(msg.contains("a module cannot call itself"), "{msg}");
}

#[test]
fn directories_without_configuration_are_errors() {
    let e = load_root_module(Path::new("testdata/hcl"), &opts()).unwrap_err();
    assert!(
        format!("{e:#}").contains("no Terraform configuration files"),
        "{e:#}"
    );
    let e = load_root_module(Path::new("testdata/hcl/does-not-exist"), &opts()).unwrap_err();
    assert!(format!("{e:#}").contains("not a directory"), "{e:#}");
}

#[test]
fn missing_var_file_is_an_error() {
    let o = HclOptions {
        var_files: vec!["testdata/hcl/flat/nope.tfvars".into()],
        ..opts()
    };
    let e = load_root_module(Path::new("testdata/hcl/flat"), &o).unwrap_err();
    assert_eq!(
        format!("{e:#}"),
        "--var-file testdata/hcl/flat/nope.tfvars: no such file"
    );
}

#[test]
fn nested_modules_with_count_and_whole_object_outputs() {
    let m = load("testdata/hcl/nested_modules");
    let a = addresses(&m);
    for want in [
        "module.platform[0].aws_vpc.this",
        "module.platform[1].aws_vpc.this",
        "module.platform[0].module.network.aws_subnet.a[0]",
        "module.platform[1].module.network.aws_subnet.a[1]",
    ] {
        assert!(a.contains(&want), "missing {want} in {a:?}");
    }
    // `module.extra`'s `count` is not decided: its resources are read as one instance that may
    // exist (issue 16), never as instances with keys it may not have.
    let extra: Vec<&&str> = a.iter().filter(|x| x.starts_with("module.extra")).collect();
    assert!(
        extra.iter().all(|x| x.starts_with("module.extra[*].")),
        "{extra:?}"
    );
    let r = res(&m, "module.extra[*].aws_vpc.this");
    assert!(
        r.may_exist().is_some_and(|me| me.what == "module.extra[*]"),
        "{:?}",
        r.may_exist()
    );
    let subnet = res(&m, "module.platform[1].module.network.aws_subnet.a[1]");
    assert_eq!(
        subnet.get("vpc_id"),
        Some(&reference("module.platform[1].aws_vpc.this", "id"))
    );
    assert_eq!(subnet.get("cidr_block"), Some(&s("10.1.16.0/20")));
    // `providers = { aws = aws.east2 }` reaches the nested module too.
    assert_eq!(subnet.region.as_deref(), Some("us-east-2"));
    let sg = res(&m, "aws_security_group.peer");
    assert_eq!(
        sg.get("vpc_id"),
        Some(&reference("module.platform[1].aws_vpc.this", "id"))
    );
    assert_eq!(
        sg.values.path(&["egress", "cidr_blocks"]),
        Some(&Value::List(vec![s("10.0.0.0/16"), s("10.1.0.0/16")]))
    );
    assert_eq!(
        sg.values.path(&["tags", "subnets"]),
        Some(&Value::List(vec![
            reference("module.platform[0].module.network.aws_subnet.a[0]", "id"),
            reference("module.platform[0].module.network.aws_subnet.a[1]", "id"),
        ]))
    );
    let extra = sg.values.path(&["tags", "extra"]).unwrap();
    assert!(
        reason(extra).starts_with("`count` of module `extra` is not known before apply"),
        "{extra:?}"
    );
    assert_eq!(m.inputs[0].notes.len(), 1);
    assert!(m.inputs[0].notes[0]
        .starts_with("testdata/hcl/nested_modules/main.tf:27:1: `count` of module `extra`"));
}

#[test]
fn endpoints_module_map_with_lookups_and_a_data_source() {
    let m = load("testdata/hcl/endpoints_module");
    assert!(m.inputs[0].notes.is_empty(), "{:?}", m.inputs[0].notes);
    let data = res(
        &m,
        "module.endpoints.data.aws_vpc_endpoint_service.this[\"ecr_api\"]",
    );
    assert_eq!(data.get("service"), Some(&s("ecr.api")));
    // `service_name = lookup(…, null)` leaves it to the data source: computed.
    assert_eq!(
        data.get("service_name"),
        Some(&s("com.amazonaws.ca-central-1.ecr.api"))
    );
    let s3 = res(&m, "module.endpoints.aws_vpc_endpoint.this[\"s3\"]");
    assert_eq!(
        s3.get("service_name"),
        Some(&s("com.amazonaws.ca-central-1.s3"))
    );
    assert_eq!(s3.get("vpc_endpoint_type"), Some(&s("Gateway")));
    assert_eq!(s3.get("subnet_ids"), None);
    assert_eq!(
        s3.get("route_table_ids"),
        Some(&Value::List(vec![reference(
            "aws_route_table.private",
            "id"
        )]))
    );
    let api = res(&m, "module.endpoints.aws_vpc_endpoint.this[\"ecr_api\"]");
    assert_eq!(api.get("vpc_endpoint_type"), Some(&s("Interface")));
    assert_eq!(api.get("private_dns_enabled"), Some(&Value::Bool(true)));
    assert_eq!(
        api.get("subnet_ids"),
        Some(&Value::List(vec![
            reference("aws_subnet.private[\"a\"]", "id"),
            reference("aws_subnet.private[\"b\"]", "id"),
        ]))
    );
    assert_eq!(api.get("policy"), None);
    let assoc = res(&m, "aws_route_table_association.private[\"b\"]");
    assert_eq!(
        assoc.get("subnet_id"),
        Some(&reference("aws_subnet.private[\"b\"]", "id"))
    );
}

/// `--recursive` reads its roots on all cores, each with the modules parsed so far: every root
/// reads as it does alone, errors included.
#[test]
fn recursive_roots_read_as_they_do_alone() {
    let roots = pullpath::hcl::load_recursive(Path::new("testdata/hcl"), &opts()).unwrap();
    assert!(roots.len() >= 8, "{} roots", roots.len());
    let mut read = 0;
    for (dir, r) in &roots {
        let alone = load_root_module(Path::new(dir), &opts());
        match (r, alone) {
            (Ok(a), Ok(b)) => {
                read += 1;
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "{dir}");
            }
            (Err(a), Err(b)) => assert_eq!(format!("{a:#}"), format!("{b:#}"), "{dir}"),
            (a, b) => panic!("{dir}: {:?} alone: {:?}", a.is_ok(), b.is_ok()),
        }
    }
    assert!(read >= 8, "{read} roots read");
}

/// A plan's source is evaluated only for the top-level attributes pullpath reads of each
/// managed resource (`only_read_attributes`): on every root of `testdata/hcl`, those come out
/// as they do when every attribute is evaluated, the others are absent, and data sources are
/// whole.
#[test]
fn only_read_attributes_evaluates_the_read_ones_alike() {
    let narrow = HclOptions {
        only_read_attributes: true,
        ..opts()
    };
    let all = pullpath::hcl::load_recursive(Path::new("testdata/hcl"), &opts()).unwrap();
    let (mut compared, mut left_out) = (0, 0);
    for (dir, whole) in &all {
        let read = load_root_module(Path::new(dir), &narrow);
        let (whole, read) = match (whole, read) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(a), Err(b)) => {
                assert_eq!(format!("{a:#}"), format!("{b:#}"), "{dir}");
                continue;
            }
            (a, b) => panic!(
                "{dir}: every attribute: {:?}, only read: {:?}",
                a.is_ok(),
                b.is_ok()
            ),
        };
        assert_eq!(addresses(whole), addresses(&read), "{dir}");
        for (w, r) in whole.resources.iter().zip(&read.resources) {
            compared += 1;
            let kept = pullpath::model::kept_attributes(false, &w.addr.rtype);
            let (Value::Object(wm), Value::Object(rm)) = (&w.values, &r.values) else {
                assert_eq!(w.values, r.values, "{dir}: {}", w.address);
                continue;
            };
            if w.is_data() {
                assert_eq!(wm, rm, "{dir}: {}", w.address);
                continue;
            }
            for (k, v) in wm.iter() {
                if pullpath::model::kept_key(kept, k).is_some() {
                    assert_eq!(rm.get(k), Some(v), "{dir}: {}.{k}", w.address);
                } else {
                    assert_eq!(rm.get(k), None, "{dir}: {}.{k} is not read", w.address);
                    left_out += 1;
                }
            }
            assert!(rm.len() <= wm.len(), "{dir}: {}", w.address);
        }
    }
    assert!(compared > 500, "{compared} resources compared");
    assert!(left_out > 100, "only {left_out} attributes left out");
}
