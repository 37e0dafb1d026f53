# ECS on EC2 whose instances join cluster `main` only through user data written as a plain
# `<<EOF` heredoc whose lines, the shebang included, are indented: cloud-init does not run it
# ("Exec format error"), ECS_CLUSTER is never written and the instances join `default`. Not a
# join pullpath can trust: PP901 (it passed). Written by hand (a helper's probe, row 97).

provider "aws" { region = "us-west-2" }
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}
resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.main.id }
resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/24"
}
resource "aws_eip" "nat" { domain = "vpc" }
resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public.id
}
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_security_group" "node" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecs_cluster" "main" { name = "main" }

resource "aws_launch_configuration" "node" {
  image_id        = "ami-12345678"
  instance_type   = "t3.micro"
  security_groups = [aws_security_group.node.id]
  iam_instance_profile = aws_iam_instance_profile.node.name
  user_data       = <<EOF
              #!/bin/bash
              echo ECS_CLUSTER=${aws_ecs_cluster.main.name} >> /etc/ecs/ecs.config
              EOF
}
resource "aws_autoscaling_group" "node" {
  vpc_zone_identifier  = [aws_subnet.private.id]
  min_size             = 1
  max_size             = 1
  launch_configuration = aws_launch_configuration.node.name
}
resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = jsonencode([{ name = "app", image = "nginx:latest", memory = 128, essential = true }])
}
resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 1
}
resource "aws_iam_role" "node" {
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "node" {
  role       = aws_iam_role.node.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}
resource "aws_iam_instance_profile" "node" { role = aws_iam_role.node.name }
