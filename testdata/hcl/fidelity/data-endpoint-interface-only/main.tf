# A secretsmanager endpoint read with data "aws_vpc_endpoint" (it exists; its type is read
# from AWS, not written in the input). Secrets Manager is offered only as an Interface endpoint,
# so an endpoint that exists for it is one: PP107 passes (it was unknown). Written by hand (a
# helper's audit of row 99).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}
resource "aws_vpc" "v" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}
resource "aws_subnet" "p" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_route_table" "p" { vpc_id = aws_vpc.v.id }
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
resource "aws_security_group" "e" {
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}
resource "aws_vpc_endpoint" "i" {
  for_each            = toset(["ecr.api", "ecr.dkr", "logs", "secretsmanager"])
  vpc_id              = aws_vpc.v.id
  service_name        = "com.amazonaws.us-east-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.p.id]
  security_group_ids  = [aws_security_group.e.id]
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.v.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_route_table.p.id]
}
data "aws_vpc_endpoint" "sm" {
  vpc_id       = aws_vpc.v.id
  service_name = "com.amazonaws.us-east-1.secretsmanager"
}
resource "aws_iam_role" "x" {
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "x" {
  role       = aws_iam_role.x.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
resource "aws_iam_role_policy" "s" {
  role   = aws_iam_role.x.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf" }] })
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
    image = "111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1"
    secrets = [{ name = "P", valueFrom = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf:password::" }]
    logConfiguration = { logDriver = "awslogs", options = { awslogs-group = "/ecs/t", awslogs-region = "us-east-1", awslogs-stream-prefix = "t" } }
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
