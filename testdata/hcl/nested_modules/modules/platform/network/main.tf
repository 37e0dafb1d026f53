variable "vpc" {
  type = object({
    id         = string
    cidr_block = string
  })
}

resource "aws_subnet" "a" {
  count      = 2
  vpc_id     = var.vpc.id
  cidr_block = cidrsubnet(var.vpc.cidr_block, 4, count.index)
}

output "subnet_ids" {
  value = aws_subnet.a[*].id
}

output "cidr" {
  value = var.vpc.cidr_block
}
