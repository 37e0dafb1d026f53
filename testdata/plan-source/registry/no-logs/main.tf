# HCL twin of testdata/plans/modules/fail-registry-endpoints-module-app-bucket-policy.json (and
# of unknown-registry-endpoints-module-create.json, a plan of the same configuration):
# module "vpc" (terraform-aws-modules/vpc/aws) and module "vpc_endpoints" (its
# modules/vpc-endpoints), both installed by `terraform init` in .terraform/modules. The S3
# gateway gets the seed incident's app-bucket-only policy from
# data.aws_iam_policy_document.s3_endpoint through `var.endpoints`: PP401 on
# module.vpc_endpoints.aws_vpc_endpoint.this["s3"]. Unlike the plans, the reader evaluates the
# module's locals and `each.value` lookups, so the interface endpoints' (default) policies,
# subnets and security groups are known: nothing else is reported.
# Written by hand (testdata/plans/generate.py does not write module twins).

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = ["111122223333"]
}

resource "aws_ecs_cluster" "main" {
  name = "orders"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/orders-api"
  retention_in_days = 30
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.task_execution.arn
  container_definitions    = jsonencode([
    {
      name      = "orders-api"
      image     = var.app_image
      essential = true
      portMappings = [
        { containerPort = 8080, hostPort = 8080, protocol = "tcp" },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = "orders"
        }
      }
    },
  ])
}

resource "aws_ecs_service" "app" {
  name            = "orders-api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = module.vpc.private_subnets
    assign_public_ip = false
    security_groups  = [aws_security_group.app.id]
  }
}
