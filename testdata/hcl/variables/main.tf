# Each variable shows which source wins (Terraform's precedence, later wins):
# default < TF_VAR_ < terraform.tfvars < terraform.tfvars.json < *.auto.tfvars (lexical)
# < --var-file < --var.
variable "from_default" {
  default = "default"
}

variable "from_env" {
  default = "default"
}

variable "from_tfvars" {
  default = "default"
}

variable "from_tfvars_json" {
  default = "default"
}

variable "from_auto" {
  default = "default"
}

variable "from_var_file" {
  default = "default"
}

variable "from_var" {
  default = "default"
}

variable "ports" {
  type    = list(number)
  default = []
}

variable "settings" {
  type = object({
    region = string
    dns    = optional(bool, true)
  })
}

provider "aws" {
  region = var.settings.region
}

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = var.settings.dns

  tags = {
    from_default     = var.from_default
    from_env         = var.from_env
    from_tfvars      = var.from_tfvars
    from_tfvars_json = var.from_tfvars_json
    from_auto        = var.from_auto
    from_var_file    = var.from_var_file
    from_var         = var.from_var
    ports            = join(",", var.ports)
  }
}
