# The container definitions are a JSON template rendered by the `template_file` data source
# (hashicorp/template), whose variables come from resources known only after apply: the
# repository URL of the image, the ARN of a secret, the name of the log group. The text is
# unknown, but every unknown part sits inside a JSON string, so the document is read: the image
# is in the private ECR repository aws_ecr_repository.app (PP601 passes), the container logs
# with awslogs and there is no `logs` endpoint (PP104 fails), it reads a Secrets Manager secret
# and there is no `secretsmanager` endpoint (PP105 fails). All three used to be unknown ("the
# container definitions are not known before apply"). Issue 16, ecosystem row 7; written by hand.

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

resource "aws_secretsmanager_secret" "db" {
  name = "orders/db-password"
}

resource "aws_cloudwatch_log_group" "app" {
  name_prefix       = "/ecs/orders-api-"
  retention_in_days = 30
}

resource "aws_ecs_cluster" "main" {
  name = "orders"
}

data "template_file" "containers" {
  template = file("${path.module}/templates/containers.json.tpl")

  vars = {
    image     = aws_ecr_repository.app.repository_url
    tag       = var.image_tag
    db_secret = aws_secretsmanager_secret.db.arn
    log_group = aws_cloudwatch_log_group.app.name
  }
}

resource "aws_ecs_task_definition" "app" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  container_definitions    = data.template_file.containers.rendered
  execution_role_arn       = aws_iam_role.task_execution.arn
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
