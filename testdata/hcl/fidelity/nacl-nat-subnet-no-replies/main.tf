# A Fargate service behind a NAT gateway whose public subnet has a network ACL of its own that
# lets TCP 443 in and nothing else back (a "web only" hardening, as terraform-aws-modules/vpc's
# `public_dedicated_network_acl` with 443/80 inbound rules). The replies of the registries come
# back to the NAT gateway on its ports 1024-65535 (VPC User Guide, "Ephemeral ports") and the
# ACL drops them: PP503 fails on the NAT gateway's subnet (it passed: only the workload's and
# the endpoints' subnets were judged; a helper's probes 081 and 018). Written by hand.

provider "aws" { region = "eu-west-1" }
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.v.id }
resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.0.0/24"
}
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}
resource "aws_eip" "nat" { domain = "vpc" }
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.private.id
}
resource "aws_security_group" "task" {
  vpc_id = aws_vpc.v.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecs_task_definition" "t" {
  family                   = "t"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.exec.arn
  container_definitions    = jsonencode([{ name = "app", image = "${aws_ecr_repository.app.repository_url}:1" }])
}
resource "aws_ecs_service" "s" {
  name            = "s"
  task_definition = aws_ecs_task_definition.t.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.app.id]
    security_groups = [aws_security_group.task.id]
  }
}
# the NAT gateway's subnet admits only 443 in: the replies from the internet to the NAT are dropped
resource "aws_network_acl" "public" {
  vpc_id     = aws_vpc.v.id
  subnet_ids = [aws_subnet.public.id]
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}
resource "aws_ecr_repository" "app" { name = "app" }
resource "aws_iam_role" "exec" {
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "exec" {
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
