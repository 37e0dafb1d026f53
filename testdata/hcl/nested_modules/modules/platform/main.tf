variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}

module "network" {
  source = "./network"
  vpc    = aws_vpc.this
}

# The whole resource object as an output.
output "vpc" {
  value = aws_vpc.this
}

output "network" {
  value = module.network
}
