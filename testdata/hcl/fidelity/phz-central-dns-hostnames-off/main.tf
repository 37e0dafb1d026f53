# A workload VPC without interface endpoints of its own that gets them through private hosted
# zones named for the services (endpoints of a hub VPC, outside the input), with
# `enable_dns_hostnames` unset (Terraform's default: false). Route 53 applies private hosted
# zones only where enableDnsHostnames and enableDnsSupport are both true ("Considerations when
# working with a private hosted zone"): PP202 fails (it was unknown, exit 0: a helper's probe
# 059). PP101/PP102 stay unknown: the hub's endpoints are outside the input. Written by hand.

provider "aws" { region = "eu-west-1" }
resource "aws_vpc" "v" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_route_table" "private" { vpc_id = aws_vpc.v.id }
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.private.id
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.v.id
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}
resource "aws_security_group" "ep" {
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.v.cidr_block]
  }
}
resource "aws_route" "hub" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "10.100.0.0/16"
  transit_gateway_id     = "tgw-0123456789abcdef0"
}
resource "aws_route53_zone" "central" {
  for_each = toset(["api.ecr.eu-west-1.amazonaws.com", "dkr.ecr.eu-west-1.amazonaws.com"])
  name     = each.value
  vpc { vpc_id = aws_vpc.v.id }
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
resource "aws_ecr_repository" "app" { name = "app" }
resource "aws_iam_role" "exec" {
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "exec" {
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
