# A reduced copy of terraform-aws-modules/vpc, for tests.
locals {
  len_private_subnets = max(length(var.private_subnets), 0)
  create_vpc          = var.create_vpc
  vpc_id              = try(aws_vpc_ipv4_cidr_block_association.this[0].vpc_id, aws_vpc.this[0].id, "")
}

resource "aws_vpc" "this" {
  count = local.create_vpc ? 1 : 0

  cidr_block           = var.cidr
  enable_dns_hostnames = var.enable_dns_hostnames
  enable_dns_support   = var.enable_dns_support

  tags = merge(
    { "Name" = var.name },
    var.tags,
  )
}

resource "aws_vpc_ipv4_cidr_block_association" "this" {
  count = 0

  vpc_id     = aws_vpc.this[0].id
  cidr_block = "100.64.0.0/16"
}

locals {
  create_private_subnets = local.create_vpc && local.len_private_subnets > 0
}

resource "aws_subnet" "private" {
  count = local.create_private_subnets ? local.len_private_subnets : 0

  availability_zone = length(regexall("^[a-z]{2}-", element(var.azs, count.index))) > 0 ? element(var.azs, count.index) : null
  cidr_block        = element(concat(var.private_subnets, [""]), count.index)
  vpc_id            = local.vpc_id

  tags = merge(
    {
      Name = try(
        format("${var.name}-private-%s", element(var.azs, count.index))
      )
    },
    var.tags,
  )
}

resource "aws_route_table" "private" {
  count = local.create_private_subnets ? var.single_nat_gateway ? 1 : local.len_private_subnets : 0

  vpc_id = local.vpc_id
}

resource "aws_route_table_association" "private" {
  count = local.create_private_subnets ? local.len_private_subnets : 0

  subnet_id = element(aws_subnet.private[*].id, count.index)
  route_table_id = element(
    aws_route_table.private[*].id,
    var.single_nat_gateway ? 0 : count.index,
  )
}
