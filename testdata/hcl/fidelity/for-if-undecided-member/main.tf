# Container definitions built by a module that drops the arguments left null
# (`{ for k, v in local.definition : k => v if v != null }`, as the terraform-aws-ecs
# container-definition module does). The log router's image is an SSM parameter's value,
# known only when Terraform reads it, so whether `image` is kept is not known: the object's
# other members still are. The log router logs with awslogs (the module's default; the
# application container turns it off) and there is no `logs` endpoint: PP104 fails (it was
# unknown, "container 2 … is not known before apply"); neither container reads a secret
# (PP105 was unknown too); the log router's image stays unknown (PP601). Issue 16, ecosystem
# rows 3 and 15; written by hand.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region = "us-west-2"
}

resource "aws_ecr_repository" "app" {
  name = "orders-api"
}

data "aws_ssm_parameter" "log_router" {
  name = "/aws/service/aws-for-fluent-bit/stable"
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/orders-api"
  retention_in_days = 30
}

module "app" {
  source         = "./modules/container"
  name           = "orders-api"
  image          = "${aws_ecr_repository.app.repository_url}:1.42.0"

  enable_cloudwatch_logging = false
}

module "log_router" {
  source         = "./modules/container"
  name           = "log-router"
  image          = nonsensitive(data.aws_ssm_parameter.log_router.value)
  log_group_name = aws_cloudwatch_log_group.app.name
}

resource "aws_ecs_cluster" "main" {
  name = "orders"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  container_definitions = jsonencode([
    module.app.container_definition,
    module.log_router.container_definition,
  ])
  execution_role_arn = aws_iam_role.task_execution.arn
}

resource "aws_ecs_service" "app" {
  name            = "orders-api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    assign_public_ip = false
    security_groups  = [aws_security_group.app.id]
  }
}
