# Issue 16, item 1: whether the NAT module is instantiated is not decided (`enable_nat` has no
# value). With it, the private subnets reach the internet and need no ecr.dkr endpoint; without
# it, they do, and there is none.
variable "enable_nat" {
  type = bool
}

module "nat" {
  source = "./modules/nat"
  count  = var.enable_nat ? 1 : 0

  vpc_id                 = aws_vpc.main.id
  public_cidr            = cidrsubnet(var.cidr, 4, 15)
  availability_zone      = var.azs[0]
  private_route_table_id = aws_route_table.private.id
}
