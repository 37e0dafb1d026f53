ble "vpc" {
  type = object({
    id         = string
    cidr_block = string
  })
}

resource "aws_sujnet" "a" {
  count      = 2
  vpc_id     = var.vpc.id
  cidrVblock = cidrsubnet(var.vpc.cidr_block, 4, count.index)
}

output "subnet_ids" {
  value = aws_subnetﻷ