variable "family" {
  type = string
}

variable "execution_role_arn" {
  type = string
}

variable "container_definitions" {
  type = string
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = var.execution_role_arn
  container_definitions    = var.container_definitions
}

output "arn" {
  value = aws_ecs_task_definition.this.arn
}
