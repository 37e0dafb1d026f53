# A pull-through cache image whose registry account is `data.aws_caller_identity`'s (not known
# in a configuration), and an execution role with only AmazonECSTaskExecutionRolePolicy: the
# first pull imports the image (`ecr:BatchImportUpstreamImage`, `ecr:CreateRepository`), which
# that policy does not grant, so PP404 is unknown (a registry policy outside the input may grant
# them). It passed: only images known before apply were matched against the cache prefixes (a
# helper's audit of ecosystem row 157). Written by hand.

resource "aws_iam_role" "execution" {
  name = "app-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
resource "aws_ecr_pull_through_cache_rule" "ecr_public" {
  ecr_repository_prefix = "ecr-public"
  upstream_registry_url = "public.ecr.aws"
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  registry = "${data.aws_caller_identity.current.account_id}.dkr.ecr.us-west-2.amazonaws.com"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name      = "log_router"
      image     = "${local.registry}/ecr-public/aws-observability/aws-for-fluent-bit:stable"
      essential = true
      firelensConfiguration = { type = "fluentbit" }
      logConfiguration = {
        logDriver = "awslogs"
        options = { awslogs-group = aws_cloudwatch_log_group.app.name, awslogs-region = "us-west-2", awslogs-stream-prefix = "fb" }
      }
    },
    {
      name  = "app"
      image = "${local.registry}/app:1.0"
      logConfiguration = { logDriver = "awsfirelens", options = { Name = "cloudwatch" } }
    }
  ])
}
# generated network: private subnets, no internet route, interface endpoints: ecr.api,ecr.dkr,logs,secretsmanager,ssm
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.80" }
  }
}

provider "aws" {
  region              = "us-west-2"
  allowed_account_ids = ["111122223333"]
}

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.10.0/24"
  availability_zone = "us-west-2a"
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.11.0/24"
  availability_zone = "us-west-2b"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.private_a.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "b" {
  subnet_id      = aws_subnet.private_b.id
  route_table_id = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-west-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_security_group" "endpoints" {
  name   = "endpoints"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

resource "aws_security_group" "workload" {
  name   = "workload"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_endpoint" "iface" {
  for_each            = toset(["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"])
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-west-2.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids  = [aws_security_group.endpoints.id]
}
resource "aws_ecs_cluster" "main" { name = "main" }

resource "aws_cloudwatch_log_group" "app" { name = "/ecs/app" }

resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  launch_type     = "FARGATE"
  desired_count   = 1
  network_configuration {
    subnets         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    security_groups = [aws_security_group.workload.id]
  }
}
