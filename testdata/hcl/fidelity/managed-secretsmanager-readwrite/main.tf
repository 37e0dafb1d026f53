# The execution role reads its Secrets Manager secret through the AWS managed policy
# `SecretsManagerReadWrite` (attached beside `AmazonECSTaskExecutionRolePolicy`), whose
# `secretsmanager:*` on `*` allows `secretsmanager:GetSecretValue` (AWS Managed Policy
# Reference, "SecretsManagerReadWrite"). PP404 passes; it was unknown ("the policy … is not in
# the input"), as pullpath did not know that managed policy. The service names its task
# definition as `"${family}:${max(resource revision, data source revision)}"`, which must still
# tie it to the task definition. Private subnets without NAT, every endpoint present. Written by
# hand after ecosystem row 42 (issue 16).

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
  region = "eu-central-1"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.44.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.44.1.0/24"
  availability_zone = "eu-central-1a"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "shared" {
  name   = "shared"
  vpc_id = aws_vpc.main.id

  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = [aws_vpc.main.cidr_block]
  }

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each = toset(["ecr.api", "ecr.dkr", "logs", "secretsmanager"])

  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-central-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private.id]
  security_group_ids  = [aws_security_group.shared.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-central-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "billing/api-key"
}

resource "aws_ecr_repository" "billing" {
  name = "billing"
}

resource "aws_cloudwatch_log_group" "billing" {
  name = "/ecs/billing"
}

resource "aws_iam_role" "execution" {
  name = "billing-execution"
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

resource "aws_iam_role_policy_attachment" "secrets" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/SecretsManagerReadWrite"
}

resource "aws_ecs_cluster" "main" {
  name = "billing"
}

resource "aws_ecs_task_definition" "billing" {
  family                   = "billing"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn

  container_definitions = jsonencode([
    {
      name      = "billing"
      image     = "${aws_ecr_repository.billing.repository_url}:2.3.1"
      essential = true
      secrets = [
        {
          name      = "API_KEY"
          valueFrom = aws_secretsmanager_secret.api_key.arn
        },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.billing.name
          awslogs-region        = "eu-central-1"
          awslogs-stream-prefix = "billing"
        }
      }
    }
  ])
}

data "aws_ecs_task_definition" "billing" {
  task_definition = aws_ecs_task_definition.billing.family
}

resource "aws_ecs_service" "billing" {
  name            = "billing"
  cluster         = aws_ecs_cluster.main.id
  task_definition = "${aws_ecs_task_definition.billing.family}:${max(aws_ecs_task_definition.billing.revision, data.aws_ecs_task_definition.billing.revision)}"
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = [aws_subnet.private.id]
    security_groups  = [aws_security_group.shared.id]
    assign_public_ip = false
  }
}
