# ECS on EC2 whose only capacity is an Auto Scaling group in an isolated subnet (no NAT, no
# endpoints), its launch configuration named by `aws_launch_configuration.node.name` with
# `name = "node-lc"`: a name that looks like an id was not searched by name, so the instances
# were "not in the input" (PP901, exit 0). They are: PP101, PP102, PP103, PP106 fail.
# Written by hand (a helper's probe, row 97).

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
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
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
  name            = "node-lc"
  image_id        = "ami-12345678"
  instance_type   = "t3.micro"
  security_groups = [aws_security_group.node.id]
  iam_instance_profile = aws_iam_instance_profile.node.name
  user_data       = <<-EOF
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
  container_definitions = jsonencode([{ name = "app", image = "${aws_ecr_repository.app.repository_url}:1", memory = 128, essential = true }])
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
resource "aws_ecr_repository" "app" { name = "app" }
