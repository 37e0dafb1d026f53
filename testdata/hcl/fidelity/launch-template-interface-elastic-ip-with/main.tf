# The twin of launch-template-existing-interface in a subnet routed to an internet gateway, with
# an Elastic IP on the existing network interface: the instances reach the registry through the
# internet gateway, every check passes (the ENI's subnet was not read: PP901). Written by hand.

provider "aws" {
  region = "eu-west-1"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

# public subnet: its route table sends 0.0.0.0/0 to the internet gateway
resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "host" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# the container instance's primary ENI, created up front
resource "aws_network_interface" "host" {
  subnet_id       = aws_subnet.private.id
  security_groups = [aws_security_group.host.id]
}

resource "aws_ecs_cluster" "main" {
  name = "repro"
}

resource "aws_iam_role" "host" {
  name = "repro-host"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "host" {
  role       = aws_iam_role.host.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_instance_profile" "host" {
  name = "repro-host"
  role = aws_iam_role.host.name
}

resource "aws_launch_template" "host" {
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.small"
  user_data     = base64encode("#!/bin/bash\necho ECS_CLUSTER=repro >> /etc/ecs/ecs.config")
  iam_instance_profile {
    name = aws_iam_instance_profile.host.name
  }
  network_interfaces {
    network_interface_id = aws_network_interface.host.id
  }
}

# no vpc_zone_identifier: the subnet comes from the launch template's ENI
resource "aws_autoscaling_group" "host" {
  availability_zones = ["eu-west-1a"]
  min_size           = 1
  max_size           = 1
  launch_template {
    id      = aws_launch_template.host.id
    version = "$Latest"
  }
}

resource "aws_ecs_capacity_provider" "host" {
  name = "repro"
  auto_scaling_group_provider {
    auto_scaling_group_arn = aws_autoscaling_group.host.arn
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [aws_ecs_capacity_provider.host.name]
}

resource "aws_ecr_repository" "app" {
  name = "app"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  network_mode             = "bridge"
  requires_compatibilities = ["EC2"]
  container_definitions = jsonencode([{
    name      = "app"
    image     = "${aws_ecr_repository.app.repository_url}:latest"
    memory    = 256
    essential = true
  }])
}

resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 1
  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.host.name
    weight            = 1
  }
}

resource "aws_eip" "host" {
  domain            = "vpc"
  network_interface = aws_network_interface.host.id
}
