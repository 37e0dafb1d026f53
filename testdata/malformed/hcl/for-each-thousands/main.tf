provider "aws" {
  region = "us-west-2"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/8"
}

# A for_each over 5,000 keys: 5,000 subnets, all used by the service.
resource "aws_subnet" "private" {
  for_each   = toset([for i in range(5000) : format("s%04d", i)])
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 16, tonumber(substr(each.key, 1, 4)))
}

resource "aws_ecs_service" "app" {
  name            = "app"
  launch_type     = "FARGATE"
  task_definition = aws_ecs_task_definition.app.arn

  network_configuration {
    subnets = [for s in aws_subnet.private : s.id]
  }
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name  = "app"
    image = "111122223333.dkr.ecr.us-west-2.amazonaws.com/app:1"
  }])
}
