//! The rule test harness: runs a configuration given as `(file name, HCL)` pairs through the
//! real pipeline — [`input::read_all`] (the HCL reader, as for a directory on the command line),
//! [`graph::build`], [`check::run`] with [`Settings`] as `pullpath check` makes them — and
//! returns the findings, sorted as the reports show them. Unit tests at the bottom of each rule
//! file call it:
//!
//! ```ignore
//! let found = check_hcl(&[("main.tf", &private_fargate(&[ECR_API, S3_GATEWAY, LOGS]))]);
//! assert_eq!(verdicts(&found), [("PP101", "fail", "aws_vpc.main".into())]);
//! ```
//!
//! The HCL reader reads module directories (and the `terraform.tfvars`, `.terraform/modules`
//! beside them) from disk, so the files are written to a fresh directory under the system's
//! temporary directory, removed when the check returns.
//!
//! [`private_fargate`] and the fragments below build the usual test subject: a private Fargate
//! service in two subnets of `aws_vpc.main` (us-west-2), no internet route, with whichever
//! endpoints and extras a test names.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::check::{self, UnknownPolicy};
use crate::config::Date;
use crate::graph::{self, BuildOptions};
use crate::input::{self, ReadOptions};
use crate::rules::{Finding, Mode};
use crate::settings::{self, Settings};

/// How to check: the options of `pullpath check` that change findings.
#[derive(Clone, Debug)]
pub struct Options {
    /// `--mode`.
    pub mode: Mode,
    /// `--unknown`.
    pub unknown: UnknownPolicy,
    /// `--select`: rule codes or names; empty runs every rule.
    pub select: Vec<&'static str>,
    /// `--region`.
    pub region: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mode: Mode::Reachability,
            unknown: UnknownPolicy::Warn,
            select: Vec::new(),
            region: None,
        }
    }
}

impl Options {
    /// `--mode strict`.
    pub fn strict() -> Options {
        Options {
            mode: Mode::Strict,
            ..Options::default()
        }
    }
}

/// Checks a root module made of `files` with the default options (every rule, reachability
/// mode, unknown verdicts kept). Panics when the configuration cannot be read.
pub fn check_hcl(files: &[(&str, &str)]) -> Vec<Finding> {
    check_hcl_with(files, &Options::default())
}

/// Checks a root module made of `files` with `opts`. Panics when the configuration cannot be
/// read (a test of a rule wants findings, not a reader error).
pub fn check_hcl_with(files: &[(&str, &str)], opts: &Options) -> Vec<Finding> {
    let dir = ScratchDir::new(files);
    let input = dir.0.to_string_lossy().into_owned();
    let select: Vec<String> = opts.select.iter().map(|s| s.to_string()).collect();
    let rules = settings::select_rules(&select, &[]).unwrap_or_else(|e| panic!("{e:#}"));
    let read = ReadOptions {
        region: opts.region.clone(),
        ..ReadOptions::default()
    };
    let settings = Settings {
        inputs: vec![input],
        read,
        build: BuildOptions {
            region: opts.region.clone(),
            declared: Vec::new(),
        },
        output: None,
        config: None,
        format: crate::cli::Format::Text,
        color: false,
        fail_on: check::FailOn::Error.threshold(),
        unknown: opts.unknown,
        fail_on_new_only: false,
        mode: opts.mode,
        rules,
        severities: Vec::new(),
        today: Date {
            year: 2026,
            month: 1,
            day: 1,
        },
    };
    let (model, errors) = input::read_all(&settings.inputs, &settings.read);
    if let Some(e) = errors.first() {
        panic!("the configuration cannot be read: {:#}", e.error);
    }
    let net = graph::build(&model, &settings.build);
    check::run(&model, &net, &settings).findings
}

/// The graph of a root module made of `files`, as `pullpath graph --format json` prints it.
/// Panics when the configuration cannot be read.
pub fn graph_hcl(files: &[(&str, &str)]) -> serde_json::Value {
    let dir = ScratchDir::new(files);
    let input = dir.0.to_string_lossy().into_owned();
    let (model, errors) = input::read_all(&[input], &ReadOptions::default());
    if let Some(e) = errors.first() {
        panic!("the configuration cannot be read: {:#}", e.error);
    }
    let net = graph::build(&model, &BuildOptions::default());
    graph::render::to_json(&net, &model)
}

/// Each finding as (code, verdict, resource): what a rule test asserts.
pub fn verdicts(findings: &[Finding]) -> Vec<(&'static str, &'static str, String)> {
    findings
        .iter()
        .map(|f| (f.rule.code, f.verdict.as_str(), f.resource.clone()))
        .collect()
}

/// The findings of one rule, as (code, verdict, resource).
pub fn verdicts_of(code: &str, findings: &[Finding]) -> Vec<(&'static str, &'static str, String)> {
    verdicts(findings)
        .into_iter()
        .filter(|(c, _, _)| *c == code)
        .collect()
}

/// A directory with the files of one test, removed on drop.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new(files: &[(&str, &str)]) -> ScratchDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pullpath-rule-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the test directory");
        let dir = ScratchDir(dir);
        for (name, text) in files {
            assert!(
                !name.contains('/') && !name.contains('\\'),
                "{name}: one directory only"
            );
            std::fs::write(dir.0.join(name), text).expect("write a test file");
        }
        dir
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The provider (region us-west-2, account 111122223333: the account of
/// [`PRIVATE_ECR_IMAGE`]), the VPC (DNS on), two private subnets on one route table without an internet
/// route, the task security group (HTTPS out anywhere), the endpoints' security group (HTTPS
/// in from the tasks), the execution role with the managed policy, and a Fargate service of
/// `image` with the `awslogs` driver.
pub fn private_fargate_base(image: &str) -> String {
    format!(
        r#"
provider "aws" {{
  region              = "us-west-2"
  allowed_account_ids = ["111122223333"]
}}

resource "aws_vpc" "main" {{
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}}

resource "aws_subnet" "private_a" {{
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.10.0/24"
  availability_zone = "us-west-2a"
}}

resource "aws_subnet" "private_b" {{
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.11.0/24"
  availability_zone = "us-west-2b"
}}

resource "aws_route_table" "private" {{
  vpc_id = aws_vpc.main.id
}}

resource "aws_route_table_association" "private_a" {{
  subnet_id      = aws_subnet.private_a.id
  route_table_id = aws_route_table.private.id
}}

resource "aws_route_table_association" "private_b" {{
  subnet_id      = aws_subnet.private_b.id
  route_table_id = aws_route_table.private.id
}}

resource "aws_security_group" "app" {{
  name   = "app"
  vpc_id = aws_vpc.main.id

  egress {{
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}

resource "aws_security_group" "vpc_endpoints" {{
  name   = "vpc-endpoints"
  vpc_id = aws_vpc.main.id

  ingress {{
    protocol        = "tcp"
    from_port       = 443
    to_port         = 443
    security_groups = [aws_security_group.app.id]
  }}
}}

resource "aws_iam_role" "task_execution" {{
  name = "task-execution"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Service = "ecs-tasks.amazonaws.com" }}
      Action    = "sts:AssumeRole"
    }}]
  }})
}}

resource "aws_iam_role_policy_attachment" "task_execution" {{
  role       = aws_iam_role.task_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}}

resource "aws_ecs_cluster" "main" {{
  name = "main"
}}

resource "aws_cloudwatch_log_group" "app" {{
  name = "/ecs/app"
}}

resource "aws_ecs_task_definition" "app" {{
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.task_execution.arn
  container_definitions = jsonencode([{{
    name      = "app"
    image     = {image}
    essential = true
    logConfiguration = {{
      logDriver = "awslogs"
      options = {{
        "awslogs-group"         = aws_cloudwatch_log_group.app.name
        "awslogs-region"        = "us-west-2"
        "awslogs-stream-prefix" = "app"
      }}
    }}
  }}])
}}

resource "aws_ecs_service" "app" {{
  name            = "app"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {{
    subnets          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    assign_public_ip = false
    security_groups  = [aws_security_group.app.id]
  }}
}}
"#
    )
}

/// The image of [`private_fargate`]: private ECR in the VPC's region, as an HCL expression.
pub const PRIVATE_ECR_IMAGE: &str = r#""111122223333.dkr.ecr.us-west-2.amazonaws.com/app:1.0""#;

/// [`private_fargate_base`] of [`PRIVATE_ECR_IMAGE`] followed by `extras` (endpoints, routes…).
pub fn private_fargate(extras: &[&str]) -> String {
    let mut out = private_fargate_base(PRIVATE_ECR_IMAGE);
    for e in extras {
        out.push_str(e);
    }
    out
}

/// Every endpoint a private Fargate service of a private ECR image with `awslogs` needs.
pub const ALL_ENDPOINTS: &[&str] = &[S3_GATEWAY, ECR_API, ECR_DKR, LOGS];

/// The S3 gateway endpoint on the private route table, with the default (full-access) policy.
pub const S3_GATEWAY: &str = r#"
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-west-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}
"#;

pub const ECR_API: &str = r#"
resource "aws_vpc_endpoint" "ecr_api" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-west-2.ecr.api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids  = [aws_security_group.vpc_endpoints.id]
}
"#;

pub const ECR_DKR: &str = r#"
resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-west-2.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids  = [aws_security_group.vpc_endpoints.id]
}
"#;

pub const LOGS: &str = r#"
resource "aws_vpc_endpoint" "logs" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-west-2.logs"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids  = [aws_security_group.vpc_endpoints.id]
}
"#;

/// An internet gateway, a public subnet with a NAT gateway, and the private route table's
/// default route to it.
pub const NAT: &str = r#"
resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public_a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.0.0/24"
  availability_zone       = "us-west-2a"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public_a" {
  subnet_id      = aws_subnet.public_a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public_a.id
}

resource "aws_route" "private_nat" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.main.id
}
"#;

/// [`private_fargate_base`] of [`PRIVATE_ECR_IMAGE`] as ECS on EC2: the task definition
/// requires EC2 and the service runs on the capacity provider `aws_ecs_capacity_provider.ec2`
/// (its tasks keep their awsvpc `network_configuration`), followed by `extras`. Add
/// [`EC2_INSTANCES`] for the container instances, else they are not in the input.
pub fn ecs_on_ec2(extras: &[&str]) -> String {
    let mut out = private_fargate_base(PRIVATE_ECR_IMAGE)
        .replace(
            r#"requires_compatibilities = ["FARGATE"]"#,
            r#"requires_compatibilities = ["EC2"]"#,
        )
        .replace(
            "  launch_type     = \"FARGATE\"\n",
            "  capacity_provider_strategy {\n    capacity_provider = \"ec2\"\n    weight            = 1\n  }\n",
        );
    for e in extras {
        out.push_str(e);
    }
    out
}

/// The container instances of cluster `aws_ecs_cluster.main` for [`ecs_on_ec2`]: an instance
/// role with `AmazonEC2ContainerServiceforEC2Role` and its profile, the instances' security
/// group (HTTPS out anywhere, admitted by the endpoints' group), a launch template whose user
/// data joins the cluster, an Auto Scaling group in both private subnets, and the capacity
/// provider `ec2` of the cluster over it.
pub const EC2_INSTANCES: &str = r#"
resource "aws_iam_role" "instance" {
  name = "ecs-instance"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "instance" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_instance_profile" "instance" {
  name = "ecs-instance"
  role = aws_iam_role.instance.name
}

resource "aws_security_group" "instances" {
  name   = "ecs-instances"
  vpc_id = aws_vpc.main.id

  egress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_instances" {
  security_group_id            = aws_security_group.vpc_endpoints.id
  referenced_security_group_id = aws_security_group.instances.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}

resource "aws_launch_template" "ecs" {
  name_prefix            = "ecs-"
  image_id               = "ami-0123456789abcdef0"
  instance_type          = "t3.medium"
  vpc_security_group_ids = [aws_security_group.instances.id]

  iam_instance_profile {
    arn = aws_iam_instance_profile.instance.arn
  }

  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config
  EOT
  )
}

resource "aws_autoscaling_group" "ecs" {
  name                = "ecs"
  min_size            = 1
  max_size            = 4
  vpc_zone_identifier = [aws_subnet.private_a.id, aws_subnet.private_b.id]

  launch_template {
    id      = aws_launch_template.ecs.id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "ec2" {
  name = "ec2"

  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.ecs.arn
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [aws_ecs_capacity_provider.ec2.name]
}
"#;

/// The `ecs`, `ecs-agent` and `ecs-telemetry` Interface endpoints in both private subnets:
/// what the ECS agent of container instances needs besides [`ALL_ENDPOINTS`].
pub const ECS_AGENT: &str = r#"
resource "aws_vpc_endpoint" "ecs" {
  for_each            = toset(["ecs", "ecs-agent", "ecs-telemetry"])
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-west-2.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids  = [aws_security_group.vpc_endpoints.id]
}
"#;

/// The harness's own tests: the complete setup passes, so every finding a rule test sees comes
/// from what that test changed.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_private_fargate_has_no_finding() {
        let found = check_hcl(&[("main.tf", &private_fargate(ALL_ENDPOINTS))]);
        assert_eq!(verdicts(&found), []);
    }

    /// ECS on EC2 with its container instances and every endpoint they need passes too.
    #[test]
    fn complete_private_ecs_on_ec2_has_no_finding() {
        let mut extras = ALL_ENDPOINTS.to_vec();
        extras.extend([ECS_AGENT, EC2_INSTANCES]);
        let found = check_hcl(&[("main.tf", &ecs_on_ec2(&extras))]);
        assert_eq!(verdicts(&found), []);
    }

    #[test]
    fn files_of_one_module_are_read_together() {
        let found = check_hcl(&[
            ("main.tf", &private_fargate(&[ECR_API, ECR_DKR])),
            ("endpoints.tf", &[S3_GATEWAY, LOGS].concat()),
        ]);
        assert_eq!(verdicts(&found), []);
    }

    #[test]
    fn select_limits_the_rules() {
        let src = private_fargate(&[]);
        let all = check_hcl(&[("main.tf", &src)]);
        assert!(all.iter().any(|f| f.rule.code == "PP102"), "{all:?}");
        let one = check_hcl_with(
            &[("main.tf", &src)],
            &Options {
                select: vec!["PP101"],
                ..Options::default()
            },
        );
        assert_eq!(verdicts(&one), [("PP101", "fail", "aws_vpc.main".into())]);
    }
}
