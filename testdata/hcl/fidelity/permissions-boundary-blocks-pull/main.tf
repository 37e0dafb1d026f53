# An execution role with AmazonECSTaskExecutionRolePolicy and a permissions boundary of the
# input that allows only S3 and DynamoDB: the effective permissions are what both allow (IAM
# User Guide, "Permissions boundaries for IAM entities"), so the role can neither pull nor log.
# PP404 fails (pullpath ignored the boundary: a pass). Written by hand (a helper's probe).

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}
resource "aws_vpc" "v" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}
resource "aws_subnet" "p" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_subnet" "pub" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.2.0/24"
}
resource "aws_internet_gateway" "i" { vpc_id = aws_vpc.v.id }
resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.i.id
  }
}
resource "aws_route_table_association" "pub" {
  subnet_id      = aws_subnet.pub.id
  route_table_id = aws_route_table.pub.id
}
resource "aws_eip" "n" { domain = "vpc" }
resource "aws_nat_gateway" "n" {
  allocation_id = aws_eip.n.id
  subnet_id     = aws_subnet.pub.id
}
resource "aws_route_table" "p" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.n.id
  }
}
resource "aws_route_table_association" "p" {
  subnet_id      = aws_subnet.p.id
  route_table_id = aws_route_table.p.id
}
resource "aws_security_group" "t" {
  vpc_id = aws_vpc.v.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecr_repository" "app" { name = "shop/app" }
resource "aws_cloudwatch_log_group" "app" { name = "staging-app-container" }
resource "aws_iam_role" "x" {
  permissions_boundary = aws_iam_policy.boundary.arn
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_ecs_task_definition" "t" {
  family                   = "t"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.x.arn
  container_definitions = jsonencode([{
    name  = "a"
    image = aws_ecr_repository.app.repository_url
    logConfiguration = { logDriver = "awslogs", options = { awslogs-group = aws_cloudwatch_log_group.app.name, awslogs-region = "eu-west-1", awslogs-stream-prefix = "t" } }
  }])
}
resource "aws_ecs_service" "s" {
  name            = "s"
  task_definition = aws_ecs_task_definition.t.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.p.id]
    security_groups = [aws_security_group.t.id]
  }
}
