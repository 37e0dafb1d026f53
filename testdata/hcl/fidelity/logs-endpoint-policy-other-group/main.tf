# The logs endpoint's policy allows the awslogs calls only on the group `/ecs/web`, named by an
# ARN whose region and account come from data sources:
# "arn:aws:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/ecs/web:*".
# The service's container logs to `/ecs/worker` through that endpoint (private subnets, every
# endpoint). The account is not known before apply, but no account or region makes the pattern
# name `/ecs/worker`: PP403 fails, decided (it was unknown). The execution role may write to
# every log group (PP404 passes). Issue 16, items 3 and 5; written by hand.

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
  region = "us-west-2"
}

resource "aws_ecs_cluster" "main" {
  name = "orders"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

resource "aws_ecr_repository" "app" {
  name = "orders-api"
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/worker"
  retention_in_days = 30
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  container_definitions    = jsonencode([
    {
      name         = "orders-api"
      image        = "${aws_ecr_repository.app.repository_url}:1.42.0"
      essential    = true
      portMappings = [
        {
          containerPort = 8080
          hostPort      = 8080
          protocol      = "tcp"
        },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options   = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = "us-west-2"
          "awslogs-stream-prefix" = "orders"
        }
      }
    },
  ])
  execution_role_arn = aws_iam_role.task_execution.arn
}

resource "aws_ecs_service" "app" {
  name            = "orders-api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    assign_public_ip = false
    security_groups  = [aws_security_group.app.id]
  }
}
