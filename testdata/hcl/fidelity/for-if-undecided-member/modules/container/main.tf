# One container definition: every argument the caller leaves null is dropped, as the ECS API
# wants (`{ for k, v in local.definition : k => v if v != null }`), and a CloudWatch Logs
# configuration is added unless the caller turns it off.

variable "name" {
  type = string
}

variable "image" {
  type    = string
  default = null
}

variable "essential" {
  type    = bool
  default = true
}

variable "secrets" {
  type = list(object({
    name      = string
    valueFrom = string
  }))
  default = null
}

variable "enable_cloudwatch_logging" {
  type    = bool
  default = true
}

variable "log_group_name" {
  type    = string
  default = null
}

locals {
  log_configuration = {
    logDriver = "awslogs"
    options = {
      awslogs-group         = var.log_group_name
      awslogs-region        = "us-west-2"
      awslogs-stream-prefix = "ecs"
    }
  }

  definition = {
    name             = var.name
    image            = var.image
    essential        = var.essential
    secrets          = var.secrets
    logConfiguration = var.enable_cloudwatch_logging ? local.log_configuration : null
  }

  container_definition = { for k, v in local.definition : k => v if v != null }
}

output "container_definition" {
  value = local.container_definition
}
