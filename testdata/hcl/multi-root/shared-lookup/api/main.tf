# Neither root creates the VPC: both find it with the same filter. They are one VPC (joined by
# equal lookups), whose endpoints are outside the input.
provider "aws" {
  region              = "us-west-2"
  allowed_account_ids = ["123456789012"]
}

data "aws_vpc" "shared" {
  filter {
    name   = "tag:Name"
    values = ["shared"]
  }
}

resource "aws_subnet" "api" {
  vpc_id            = data.aws_vpc.shared.id
  cidr_block        = "10.9.1.0/24"
  availability_zone = "us-west-2a"
}

resource "aws_security_group" "api" {
  vpc_id = data.aws_vpc.shared.id

  egress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
  container_definitions = jsonencode([{
    name  = "api"
    image = "123456789012.dkr.ecr.us-west-2.amazonaws.com/api:1.0"
  }])
}

resource "aws_ecs_service" "api" {
  name            = "api"
  task_definition = aws_ecs_task_definition.api.arn
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = [aws_subnet.api.id]
    security_groups = [aws_security_group.api.id]
  }
}
