//! A benchmark, not a test: generates 1,000 root modules of 10 files each (plus one shared
//! local module) and reads them with `--recursive`. Run it by hand in a release build:
//!
//! ```text
//! cargo test --release --test hcl_perf -- --ignored --nocapture
//! ```
//!
//! It prints the time taken; it asserts only that everything was read (speed is measured, never
//! asserted by a timed test). With `PULLPATH_BENCH_DIR=DIR` the tree is written there and kept,
//! for timing the binary (`pullpath graph --recursive DIR/stacks`) or profiling.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use pullpath::input::{read_all, ReadOptions};

const ROOTS: usize = 1000;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn generate(base: &Path) {
    let shared = base.join("modules/endpoint");
    write(
        &shared.join("main.tf"),
        r#"variable "vpc_id" { type = string }
variable "service" { type = string }
variable "subnet_ids" { type = list(string) }
data "aws_region" "current" {}
resource "aws_vpc_endpoint" "this" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.${var.service}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = var.subnet_ids
}
output "id" { value = aws_vpc_endpoint.this.id }
"#,
    );
    for i in 0..ROOTS {
        let d = base.join(format!("stacks/team-{:02}/svc-{i:04}", i % 40));
        let b = i % 200;
        write(
            &d.join("providers.tf"),
            "provider \"aws\" {\n  region = var.region\n}\n",
        );
        write(
            &d.join("variables.tf"),
            "variable \"region\" {\n  type    = string\n  default = \"us-east-1\"\n}\nvariable \"name\" {\n  type = string\n}\nvariable \"azs\" {\n  type    = list(string)\n  default = [\"us-east-1a\", \"us-east-1b\", \"us-east-1c\"]\n}\n",
        );
        write(
            &d.join("terraform.tfvars"),
            &format!("name = \"svc-{i}\"\n"),
        );
        write(
            &d.join("locals.tf"),
            &format!(
                "locals {{\n  cidr = \"10.{b}.0.0/16\"\n  tags = {{ Service = var.name, Index = \"{i}\" }}\n  interface = {{ for s in [\"ecr.dkr\", \"ecr.api\", \"logs\", \"secretsmanager\", \"ssm\"] : replace(s, \".\", \"_\") => s }}\n}}\n"
            ),
        );
        write(
            &d.join("network.tf"),
            "resource \"aws_vpc\" \"main\" {\n  cidr_block           = local.cidr\n  enable_dns_support   = true\n  enable_dns_hostnames = true\n  tags                 = merge(local.tags, { Name = var.name })\n}\n\nresource \"aws_subnet\" \"private\" {\n  count             = length(var.azs)\n  vpc_id            = aws_vpc.main.id\n  cidr_block        = cidrsubnet(local.cidr, 4, count.index)\n  availability_zone = var.azs[count.index]\n  tags              = local.tags\n}\n\nresource \"aws_route_table\" \"private\" {\n  vpc_id = aws_vpc.main.id\n}\n\nresource \"aws_route_table_association\" \"private\" {\n  count          = length(var.azs)\n  subnet_id      = aws_subnet.private[count.index].id\n  route_table_id = aws_route_table.private.id\n}\n",
        );
        write(
            &d.join("endpoints.tf"),
            "module \"vpce\" {\n  source     = \"../../../modules/endpoint\"\n  for_each   = local.interface\n  vpc_id     = aws_vpc.main.id\n  service    = each.value\n  subnet_ids = aws_subnet.private[*].id\n}\n\nresource \"aws_vpc_endpoint\" \"s3\" {\n  vpc_id          = aws_vpc.main.id\n  service_name    = \"com.amazonaws.${var.region}.s3\"\n  route_table_ids = [aws_route_table.private.id]\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect    = \"Allow\"\n      Principal = \"*\"\n      Action    = [\"s3:GetObject\"]\n      Resource  = [\"arn:aws:s3:::prod-${var.region}-starport-layer-bucket/*\"]\n    }]\n  })\n}\n",
        );
        write(
            &d.join("security.tf"),
            "resource \"aws_security_group\" \"tasks\" {\n  name   = \"${var.name}-tasks\"\n  vpc_id = aws_vpc.main.id\n  egress {\n    protocol    = \"tcp\"\n    from_port   = 443\n    to_port     = 443\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n\nresource \"aws_security_group_rule\" \"https\" {\n  type              = \"ingress\"\n  security_group_id = aws_security_group.tasks.id\n  protocol          = \"tcp\"\n  from_port         = 443\n  to_port           = 443\n  cidr_blocks       = [aws_vpc.main.cidr_block]\n}\n",
        );
        write(
            &d.join("iam.tf"),
            "data \"aws_iam_policy_document\" \"assume\" {\n  statement {\n    actions = [\"sts:AssumeRole\"]\n    principals {\n      type        = \"Service\"\n      identifiers = [\"ecs-tasks.amazonaws.com\"]\n    }\n  }\n}\n\nresource \"aws_iam_role\" \"execution\" {\n  name               = \"${var.name}-execution\"\n  assume_role_policy = data.aws_iam_policy_document.assume.json\n}\n",
        );
        write(
            &d.join("ecs.tf"),
            "resource \"aws_ecs_task_definition\" \"app\" {\n  family                   = var.name\n  requires_compatibilities = [\"FARGATE\"]\n  network_mode             = \"awsvpc\"\n  cpu                      = 256\n  memory                   = 512\n  execution_role_arn       = aws_iam_role.execution.arn\n  container_definitions = jsonencode([{\n    name  = \"app\"\n    image = \"123456789012.dkr.ecr.${var.region}.amazonaws.com/${var.name}:1.0\"\n    logConfiguration = {\n      logDriver = \"awslogs\"\n      options   = { awslogs-group = \"/ecs/${var.name}\", awslogs-region = var.region }\n    }\n  }])\n}\n\nresource \"aws_ecs_service\" \"app\" {\n  name            = var.name\n  task_definition = aws_ecs_task_definition.app.arn\n  launch_type     = \"FARGATE\"\n  network_configuration {\n    subnets         = aws_subnet.private[*].id\n    security_groups = [aws_security_group.tasks.id]\n  }\n}\n",
        );
        let mut outputs = String::new();
        for o in ["vpc_id", "subnets"] {
            let v = if o == "vpc_id" {
                "aws_vpc.main.id"
            } else {
                "aws_subnet.private[*].id"
            };
            let _ = writeln!(outputs, "output \"{o}\" {{\n  value = {v}\n}}");
        }
        write(&d.join("outputs.tf"), &outputs);
    }
}

#[test]
#[ignore = "a benchmark: run by hand with --release --ignored --nocapture"]
fn read_a_thousand_root_modules() {
    let keep = std::env::var_os("PULLPATH_BENCH_DIR");
    let base = match &keep {
        Some(d) => Path::new(d).to_path_buf(),
        None => std::env::temp_dir().join(format!("pullpath-hcl-bench-{}", std::process::id())),
    };
    let _ = std::fs::remove_dir_all(&base);
    generate(&base);
    let opts = ReadOptions {
        recursive: true,
        ..ReadOptions::default()
    };
    let input = base.join("stacks").to_string_lossy().to_string();
    let start = Instant::now();
    let (model, errors) = read_all(&[input], &opts);
    let took = start.elapsed();
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&base);
    }
    assert!(
        errors.is_empty(),
        "{:?}",
        errors.first().map(|e| format!("{:#}", e.error))
    );
    assert_eq!(model.inputs.len(), ROOTS);
    println!(
        "read {} root modules ({} files), {} resources in {:.3} s",
        model.inputs.len(),
        ROOTS * 10,
        model.resource_count(),
        took.as_secs_f64()
    );
}
