# The VPC under `count = 0/1` and its id returned as `join("", aws_vpc.default.*.id)`: the
# idiom of cloudposse modules for "the id, or an empty string".
variable "enabled" {
  type    = bool
  default = true
}

resource "aws_vpc" "default" {
  count                = var.enabled ? 1 : 0
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

output "vpc_id" {
  value = join("", aws_vpc.default.*.id)
}
