# The task definition's `container_definitions` is rendered by `templatestring()` (Terraform
# 1.9) from a template kept in a local, with the image and the log group as template variables.
# The rendered document decides the verdicts: the image is Docker Hub's `nginx` and the container
# logs with awslogs to `/ecs/edge`. The tasks run in a private subnet without an internet route,
# with endpoints for ECR and S3 but none for CloudWatch Logs: Docker Hub is unreachable (PP601),
# the awslogs driver has no logs endpoint (PP104), and without an execution role the tasks cannot
# write to CloudWatch Logs (PP404). Until now `templatestring` was checked only by a unit test of
# the expression; here the rendered document decides three rules.
# Written by hand.

terraform {
  required_version = ">= 1.9"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

locals {
  container_template = <<-EOT
    [
      {
        "name": "edge",
        "image": "$${image}",
        "essential": true,
        "portMappings": [{ "containerPort": 80, "protocol": "tcp" }],
        "logConfiguration": {
          "logDriver": "awslogs",
          "options": {
            "awslogs-group": "$${log_group}",
            "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "edge"
          }
        }
      }
    ]
  EOT
}

resource "aws_vpc" "main" {
  cidr_block           = "10.43.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.43.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "tasks" {
  name   = "edge-tasks"
  vpc_id = aws_vpc.main.id

  egress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "endpoints" {
  name   = "edge-endpoints"
  vpc_id = aws_vpc.main.id

  ingress {
    protocol        = "tcp"
    from_port       = 443
    to_port         = 443
    security_groups = [aws_security_group.tasks.id]
  }
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_vpc_endpoint" "ecr_api" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.ecr.api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private.id]
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private.id]
  security_group_ids  = [aws_security_group.endpoints.id]
}

resource "aws_cloudwatch_log_group" "edge" {
  name              = "/ecs/edge"
  retention_in_days = 7
}

resource "aws_ecs_cluster" "main" {
  name = "edge"
}

resource "aws_ecs_task_definition" "edge" {
  family                   = "edge"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512

  container_definitions = templatestring(local.container_template, {
    image     = "nginx:1.27"
    log_group = aws_cloudwatch_log_group.edge.name
  })
}

resource "aws_ecs_service" "edge" {
  name            = "edge"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.edge.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = [aws_subnet.private.id]
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }
}
