# HCL twin of testdata/plans/modules/pass-vpc-and-endpoint-modules.json:
# The VPC comes from the registry module terraform-aws-modules/vpc/aws (installed by
# `terraform init` in .terraform/modules/vpc), with count instances
# (`module.vpc.aws_subnet.private[0]`); the interface endpoints from the local module
# ./modules/interface-endpoint with `for_each = toset(["ecr.api", "ecr.dkr", "logs"])`
# (`module.endpoint["ecr.dkr"].aws_vpc_endpoint.this`), whose inputs are module.vpc's outputs and
# a root security group; the S3 gateway is at the root on module.vpc.private_route_table_ids.
# No finding. Written by hand (testdata/plans/generate.py does not write module twins).

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
