# The twin of ../api: the same lookup of the VPC "shared".
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

resource "aws_subnet" "worker" {
  vpc_id            = data.aws_vpc.shared.id
  cidr_block        = "10.9.2.0/24"
  availability_zone = "us-west-2a"
}

resource "aws_security_group" "worker" {
  vpc_id = data.aws_vpc.shared.id

  egress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
  container_definitions = jsonencode([{
    name  = "worker"
    image = "123456789012.dkr.ecr.us-west-2.amazonaws.com/worker:1.0"
  }])
}

resource "aws_ecs_service" "worker" {
  name            = "worker"
  task_definition = aws_ecs_task_definition.worker.arn
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = [aws_subnet.worker.id]
    security_groups = [aws_security_group.worker.id]
  }
}
