# A Fargate service in private subnets made one per availability zone (modules/subnets: every
# `count` is the number of zones, known only when Terraform reads the data source). Each
# private subnet routes 0.0.0.0/0 to its zone's NAT gateway and is associated with the S3
# gateway endpoint, through route tables made per zone too: whatever the number of zones,
# every instance looks alike, so the service reaches the internet and S3 (it used to be
# unknown: PP301, PP901, "`count` … is not known before apply"). A service with no subnet
# cannot be created, so "no zone" decides nothing. Issue 16, ecosystem row 7; written by hand.

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

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

module "subnets" {
  source              = "./modules/subnets"
  vpc_id              = aws_vpc.main.id
  vpc_cidr            = aws_vpc.main.cidr_block
  internet_gateway_id = aws_internet_gateway.main.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-west-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = module.subnets.private_route_table_ids
}

resource "aws_security_group" "app" {
  name   = "orders-app"
  vpc_id = aws_vpc.main.id

  egress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecr_repository" "app" {
  name = "orders-api"
}

resource "aws_ecs_cluster" "main" {
  name = "orders"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  container_definitions = jsonencode([
    {
      name      = "orders-api"
      image     = "${aws_ecr_repository.app.repository_url}:1.42.0"
      essential = true
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
    subnets          = module.subnets.private_subnet_ids
    assign_public_ip = false
    security_groups  = [aws_security_group.app.id]
  }
}
