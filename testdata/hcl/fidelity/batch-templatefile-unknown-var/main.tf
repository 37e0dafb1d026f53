# An AWS Batch Fargate job definition whose `container_properties` is rendered by
# `templatefile()` with variables known only after apply (the ARNs of a secret and of the
# execution role). The rendered text is unknown, but every unknown part sits inside a JSON string
# of the template, so the document keeps its known structure: the job asks for a public IP
# (`assignPublicIp = "ENABLED"`), and the subnet routes 0.0.0.0/0 to an internet gateway, so the
# jobs reach Docker Hub, ECR and S3 over the internet and no endpoint is needed (PASS). In strict
# mode the same document shows the default awslogs driver (no `logConfiguration`: PP104) and a
# Secrets Manager secret (PP105). The whole job definition used to be unknown, and an unknown
# job definition was read as "no public IP": PP101-PP104 failed in reachability mode.
# Issue 16, ecosystem row 41 (bug 5); written by hand.

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
  region = "eu-west-1"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "jobs" {
  name   = "runner-jobs"
  vpc_id = aws_vpc.main.id

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_secretsmanager_secret" "token" {
  name = "runner/token"
}

resource "aws_iam_role" "execution" {
  name = "runner-job-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { Service = "ecs-tasks.amazonaws.com" }
        Action    = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "read_token" {
  name = "read-token"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = aws_secretsmanager_secret.token.arn
      },
    ]
  })
}

resource "aws_batch_compute_environment" "fargate" {
  compute_environment_name = "runner-fargate"
  type                     = "MANAGED"

  compute_resources {
    type               = "FARGATE"
    max_vcpus          = 8
    subnets            = [aws_subnet.public.id]
    security_group_ids = [aws_security_group.jobs.id]
  }
}

resource "aws_batch_job_queue" "runner" {
  name     = "runner"
  priority = 1
  state    = "ENABLED"

  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.fargate.arn
  }
}

resource "aws_batch_job_definition" "runner" {
  name                  = "runner"
  type                  = "container"
  platform_capabilities = ["FARGATE"]
  container_properties = templatefile("${path.module}/templates/job.json.tftpl", {
    execution_role = aws_iam_role.execution.arn
    token_secret   = aws_secretsmanager_secret.token.arn
  })
}
