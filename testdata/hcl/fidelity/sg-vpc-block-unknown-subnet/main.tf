# A subnet whose block is known only after apply (it depends on a data source, as
# cloudposse's dynamic-subnets computes them), in a VPC the input creates with one block,
# 10.0.0.0/16, and no secondary block. The endpoints' group admits 443 from 10.0.0.0/16: a
# subnet's block lies in one of its VPC's blocks, so the tasks are admitted whatever the block
# turns out to be. PP501 passes (it was unknown: a helper's probe la-010). Written by hand.

# Minimal: subnet CIDR known only after apply (bits from a data source, as cloudposse dynamic-subnets
# computes them); endpoint SG admits the VPC CIDR. Every subnet of the VPC is inside its CIDR.
provider "aws" {
  region              = "us-east-2"
  allowed_account_ids = ["123456789012"]
}
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}
data "aws_availability_zones" "all" {}
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, ceil(log(length(data.aws_availability_zones.all.names) * 2, 2)), 0)
}
resource "aws_route_table" "private" { vpc_id = aws_vpc.main.id }
resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.private.id
}
resource "aws_security_group" "all" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}
resource "aws_vpc_endpoint" "ecr" {
  for_each            = toset(["ecr.api", "ecr.dkr", "logs"])
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-2.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.a.id]
  security_group_ids  = [aws_security_group.all.id]
}
resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  execution_role_arn       = aws_iam_role.exec.arn
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name  = "app"
    image = "123456789012.dkr.ecr.us-east-2.amazonaws.com/app:1"
    logConfiguration = {
      logDriver = "awslogs"
      options   = { awslogs-group = "/ecs/app", awslogs-region = "us-east-2", awslogs-stream-prefix = "app" }
    }
  }])
}
resource "aws_ecs_service" "app" {
  name            = "app"
  launch_type     = "FARGATE"
  task_definition = aws_ecs_task_definition.app.arn
  network_configuration {
    subnets         = [aws_subnet.a.id]
    security_groups = [aws_security_group.all.id]
  }
}
resource "aws_iam_role" "exec" {
  name = "app-exec"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}
resource "aws_iam_role_policy_attachment" "exec" {
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
