//! The graph built from HCL fixtures: each workload lands in its VPC's subnets with the right
//! endpoints, route tables and security groups, as it would from a plan.

use std::path::Path;

use pullpath::graph::{self, render, BuildOptions};
use pullpath::hcl::{load_root_module, HclOptions};
use serde_json::{json, Value as J};

fn graph_json(dir: &str, vars: &[&str]) -> J {
    let opts = HclOptions {
        vars: vars.iter().map(|v| v.to_string()).collect(),
        env: Some(Vec::new()),
        ..HclOptions::default()
    };
    let model = load_root_module(Path::new(dir), &opts).unwrap_or_else(|e| panic!("{e:#}"));
    let net = graph::build(&model, &BuildOptions::default());
    render::to_json(&net, &model)
}

fn vpc<'a>(g: &'a J, address: &str) -> &'a J {
    g["vpcs"]
        .as_array()
        .and_then(|v| v.iter().find(|x| x["vpc"] == address))
        .unwrap_or_else(|| panic!("no VPC {address} in {g:#}"))
}

fn by<'a>(list: &'a J, key: &str, value: &str) -> &'a J {
    list.as_array()
        .and_then(|v| v.iter().find(|x| x[key] == value))
        .unwrap_or_else(|| panic!("no {key} = {value} in {list:#}"))
}

fn names(list: &J, key: &str) -> Vec<String> {
    list.as_array()
        .map(|v| {
            v.iter()
                .map(|x| x[key].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn flat_layout_places_the_service_in_its_vpc() {
    let g = graph_json("testdata/hcl/flat", &["image_tag=1.4.2"]);
    assert_eq!(g["unplaced_workloads"], json!([]));
    let v = vpc(&g, "aws_vpc.main");
    assert_eq!(v["region"], "us-west-2");
    assert_eq!(v["cidrs"], json!(["10.20.0.0/16"]));
    assert_eq!(v["dns_support"], true);
    assert_eq!(v["dns_hostnames"], true);

    let w = by(&v["workloads"], "workload", "aws_ecs_service.app");
    assert_eq!(w["platform"], "fargate");
    assert_eq!(w["public_ip"], false);
    assert_eq!(
        w["subnets"],
        json!(["aws_subnet.private[0]", "aws_subnet.private[1]"])
    );
    assert_eq!(w["security_groups"], json!(["aws_security_group.tasks"]));
    assert_eq!(w["definition"], "aws_ecs_task_definition.app");
    assert_eq!(w["pull_role"], "aws_iam_role.execution");
    let c = &w["containers"][0];
    assert_eq!(
        c["image"],
        "123456789012.dkr.ecr.us-west-2.amazonaws.com/orders:1.4.2"
    );
    assert_eq!(c["log_driver"], "awslogs");

    let subnet = by(&v["subnets"], "subnet", "aws_subnet.private[1]");
    assert_eq!(subnet["az"], "us-west-2b");
    assert_eq!(subnet["cidr"], "10.20.16.0/20");
    assert_eq!(subnet["route_table"], "aws_route_table.private");
    assert_eq!(
        subnet["association"],
        "aws_route_table_association.private[1]"
    );
    assert_eq!(subnet["default_route"], "none");

    let mut eps = names(&v["endpoints"], "endpoint");
    eps.sort();
    assert_eq!(
        eps,
        vec![
            "aws_vpc_endpoint.interface[\"ecr.api\"]",
            "aws_vpc_endpoint.interface[\"ecr.dkr\"]",
            "aws_vpc_endpoint.interface[\"logs\"]",
            "aws_vpc_endpoint.s3",
            "aws_vpc_endpoint.secrets",
        ]
    );
    let dkr = by(
        &v["endpoints"],
        "endpoint",
        "aws_vpc_endpoint.interface[\"ecr.dkr\"]",
    );
    assert_eq!(dkr["service"], "com.amazonaws.us-west-2.ecr.dkr");
    assert_eq!(dkr["type"], "Interface");
    assert_eq!(dkr["private_dns"], true);
    // Subnets come from aws_vpc_endpoint_subnet_association resources.
    assert_eq!(
        dkr["subnets"],
        json!(["aws_subnet.private[0]", "aws_subnet.private[1]"])
    );
    assert_eq!(
        dkr["security_groups"],
        json!(["aws_security_group.endpoints"])
    );
    assert_eq!(dkr["policy"], "default (full access)");

    let s3 = by(&v["endpoints"], "endpoint", "aws_vpc_endpoint.s3");
    assert_eq!(s3["type"], "Gateway");
    assert_eq!(s3["service"], "com.amazonaws.us-west-2.s3");
    // The route table comes from an aws_vpc_endpoint_route_table_association.
    assert_eq!(s3["route_tables"], json!(["aws_route_table.private"]));
    assert_eq!(s3["policy"], "document from aws_vpc_endpoint.s3");

    let logs = by(
        &v["endpoints"],
        "endpoint",
        "aws_vpc_endpoint.interface[\"logs\"]",
    );
    assert_eq!(
        logs["policy"],
        "document from aws_vpc_endpoint.interface[\"logs\"]"
    );
    let secrets = by(&v["endpoints"], "endpoint", "aws_vpc_endpoint.secrets");
    assert_eq!(secrets["service"], "com.amazonaws.us-west-2.secretsmanager");
    // Its policy refers to aws_vpc.main.id (known after apply): the document is kept, that
    // value evaluated as unknown.
    assert_eq!(secrets["policy"], "document from aws_vpc_endpoint.secrets");

    // All four security group rule forms.
    let ep_sg = by(
        &v["security_groups"],
        "security_group",
        "aws_security_group.endpoints",
    );
    assert_eq!(
        ep_sg["ingress"],
        json!([
            "tcp 443 aws_security_group.tasks (aws_security_group_rule.endpoints_https)",
            "tcp 443 aws_security_group.batch (aws_vpc_security_group_ingress_rule.endpoints_from_batch)"
        ])
    );
    let tasks = by(
        &v["security_groups"],
        "security_group",
        "aws_security_group.tasks",
    );
    assert_eq!(
        tasks["egress"],
        json!([
            "tcp 443 10.20.0.0/16 (aws_security_group.tasks)",
            "tcp 443 prefix list aws_vpc_endpoint.s3 (aws_security_group.tasks)"
        ])
    );
    let batch = by(
        &v["security_groups"],
        "security_group",
        "aws_security_group.batch",
    );
    assert_eq!(
        batch["egress"],
        json!(["tcp 443 10.20.0.0/16 (aws_vpc_security_group_egress_rule.batch_https)"])
    );
}

#[test]
fn module_layout_places_the_service_with_the_module_endpoints() {
    let g = graph_json("testdata/hcl/modules", &[]);
    assert_eq!(g["unplaced_workloads"], json!([]));
    let v = vpc(&g, "module.vpc.aws_vpc.this");
    assert_eq!(v["region"], "eu-central-1");
    let w = by(&v["workloads"], "workload", "aws_ecs_service.api");
    assert_eq!(w["platform"], "fargate");
    assert_eq!(
        w["subnets"],
        json!([
            "module.vpc.aws_subnet.private[0]",
            "module.vpc.aws_subnet.private[1]",
            "module.vpc.aws_subnet.private[2]"
        ])
    );
    assert_eq!(
        w["containers"][0]["image"],
        "public.ecr.aws/nginx/nginx:1.27"
    );
    for (key, svc) in [
        ("ecr_dkr", "ecr.dkr"),
        ("ecr_api", "ecr.api"),
        ("logs", "logs"),
        ("ssm", "ssm"),
    ] {
        let e = by(
            &v["endpoints"],
            "endpoint",
            &format!("module.vpce[\"{key}\"].aws_vpc_endpoint.this"),
        );
        assert_eq!(e["service"], format!("com.amazonaws.eu-central-1.{svc}"));
        assert_eq!(e["type"], "Interface");
        assert_eq!(e["subnets"], w["subnets"]);
        assert_eq!(e["security_groups"], json!(["aws_security_group.vpce"]));
    }
    let dr = by(
        &v["endpoints"],
        "endpoint",
        "module.vpce_dr.aws_vpc_endpoint.this",
    );
    assert_eq!(dr["service"], "com.amazonaws.eu-west-1.ecr.dkr");
    let s3 = by(&v["endpoints"], "endpoint", "aws_vpc_endpoint.s3");
    assert_eq!(
        s3["route_tables"],
        json!([
            "module.vpc.aws_route_table.private[0]",
            "module.vpc.aws_route_table.private[1]",
            "module.vpc.aws_route_table.private[2]"
        ])
    );
    let subnet = by(&v["subnets"], "subnet", "module.vpc.aws_subnet.private[2]");
    assert_eq!(
        subnet["route_table"],
        "module.vpc.aws_route_table.private[2]"
    );
    assert_eq!(subnet["az"], "eu-central-1c");
    let sg = by(
        &v["security_groups"],
        "security_group",
        "aws_security_group.vpce",
    );
    assert_eq!(
        sg["ingress"],
        json!(["tcp 443 10.40.0.0/16 (aws_security_group.vpce)"])
    );
}

#[test]
fn registry_layout_places_the_batch_environment() {
    let g = graph_json("testdata/hcl/registry", &[]);
    let v = vpc(&g, "module.vpc.aws_vpc.this[0]");
    assert_eq!(v["region"], "ap-southeast-2");
    let w = by(
        &v["workloads"],
        "workload",
        "aws_batch_compute_environment.jobs",
    );
    assert_eq!(w["platform"], "batch-fargate");
    assert_eq!(
        w["subnets"],
        json!([
            "module.vpc.aws_subnet.private[0]",
            "module.vpc.aws_subnet.private[1]"
        ])
    );
    assert_eq!(
        w["security_groups"],
        json!(["module.vpc.aws_vpc.this[0] (default security group)"])
    );
    let s3 = by(&v["endpoints"], "endpoint", "aws_vpc_endpoint.s3");
    assert_eq!(s3["type"], "Gateway");
    assert_eq!(
        s3["route_tables"],
        json!([
            "module.vpc.aws_route_table.private[0]",
            "module.vpc.aws_route_table.private[1]"
        ])
    );
    let subnet = by(&v["subnets"], "subnet", "module.vpc.aws_subnet.private[0]");
    assert_eq!(subnet["az"], "ap-southeast-2a");
}

#[test]
fn registry_layout_without_init_leaves_the_workload_unplaced_and_says_why() {
    let g = graph_json("testdata/hcl/registry_no_init", &[]);
    assert_eq!(g["vpcs"], json!([]));
    let u = &g["unplaced_workloads"][0];
    assert_eq!(u["workload"], "aws_batch_compute_environment.jobs");
    assert!(
        u["reason"].as_str().is_some_and(|r| r.contains(
            "module `vpc` (registry source terraform-aws-modules/vpc/aws) is not installed: run `terraform init`"
        )),
        "{u}"
    );
    assert!(g["inputs"][0]["notes"][0]
        .as_str()
        .is_some_and(|n| n.contains("terraform init")));
}

#[test]
fn existing_vpc_given_by_id() {
    let g = graph_json("testdata/hcl/toset_services", &[]);
    let v = g["vpcs"]
        .as_array()
        .and_then(|v| v.iter().find(|x| x["id"] == "vpc-0a1b2c3d4e5f60718"))
        .unwrap_or_else(|| panic!("{g:#}"));
    let mut services = names(&v["endpoints"], "service");
    services.sort();
    assert_eq!(
        services,
        vec![
            "com.amazonaws.us-east-2.ecr.api",
            "com.amazonaws.us-east-2.ecr.dkr",
            "com.amazonaws.us-east-2.logs",
            "com.amazonaws.us-east-2.s3",
            "com.amazonaws.us-east-2.secretsmanager",
        ]
    );
    let s3 = by(
        &v["endpoints"],
        "endpoint",
        "aws_vpc_endpoint.gateway[\"com.amazonaws.us-east-2.s3\"]",
    );
    assert_eq!(s3["type"], "Gateway");
}
