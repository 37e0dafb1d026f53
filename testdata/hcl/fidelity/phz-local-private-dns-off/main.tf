# Interface endpoints with `private_dns_enabled = false` whose service names are answered by
# private hosted zones of the same VPC (`api.ecr.<region>.amazonaws.com` and
# `dkr.ecr.<region>.amazonaws.com`, aliased to the endpoints: the hub pattern, e.g. cicdenv's
# vpc-endpoints module). The names resolve through the zones, so PP201 is not a fail: it is
# unknown (the zones' records are not followed to the endpoints). It failed: a helper's probe
# 058. Written by hand.

provider "aws" { region = "eu-west-1" }
resource "aws_vpc" "v" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
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
locals {
  zones = { "ecr.api" = "api.ecr.eu-west-1.amazonaws.com", "ecr.dkr" = "dkr.ecr.eu-west-1.amazonaws.com" }
}
resource "aws_vpc_endpoint" "iface" {
  for_each            = local.zones
  vpc_id              = aws_vpc.v.id
  service_name        = "com.amazonaws.eu-west-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = false # names served by the private hosted zones below
  subnet_ids          = [aws_subnet.app.id]
  security_group_ids  = [aws_security_group.ep.id]
}
resource "aws_route53_zone" "ep" {
  for_each = local.zones
  name     = each.value
  vpc { vpc_id = aws_vpc.v.id }
}
resource "aws_route53_record" "ep" {
  for_each = { for k, v in local.zones : k => v }
  zone_id  = aws_route53_zone.ep[each.key].zone_id
  name     = each.key == "ecr.dkr" ? "*.${each.value}" : each.value
  type     = "A"
  alias {
    name                   = aws_vpc_endpoint.iface[each.key].dns_entry[0].dns_name
    zone_id                = aws_vpc_endpoint.iface[each.key].dns_entry[0].hosted_zone_id
    evaluate_target_health = false
  }
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
