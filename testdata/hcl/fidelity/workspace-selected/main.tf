# The whole stack exists only in the prod workspace (count = terraform.workspace == "prod" ? 1 : 0),
# and .terraform/environment records `terraform workspace select prod`, which terraform plan
# uses when TF_WORKSPACE is not set. The service is checked (PP101-PP103 fail); it was dropped
# as "no workload found", exit 0. Written by hand.

provider "aws" { region = "us-east-1" }

resource "aws_vpc" "v" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_security_group" "task" {
  vpc_id = aws_vpc.v.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "app" {
  count                    = terraform.workspace == "prod" ? 1 : 0
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name  = "app"
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"
  }])
}

resource "aws_ecs_service" "app" {
  count           = terraform.workspace == "prod" ? 1 : 0
  name            = "app"
  task_definition = aws_ecs_task_definition.app[0].arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.private.id]
    security_groups = [aws_security_group.task.id]
  }
}
