# The shape of terraform-aws-modules/vpc's vpc-endpoints submodule: one map of endpoints,
# Interface unless an entry says otherwise, service names looked up through a data source.
provider "aws" {
  region = "ca-central-1"
}

resource "aws_vpc" "this" {
  cidr_block           = "10.80.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private" {
  for_each          = { a = "10.80.1.0/24", b = "10.80.2.0/24" }
  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = "ca-central-1${each.key}"
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

module "endpoints" {
  source = "./modules/vpc-endpoints"

  vpc_id             = aws_vpc.this.id
  subnet_ids         = [for s in aws_subnet.private : s.id]
  security_group_ids = []

  endpoints = {
    s3 = {
      service         = "s3"
      service_type    = "Gateway"
      route_table_ids = [aws_route_table.private.id]
    }
    ecr_api = {
      service             = "ecr.api"
      private_dns_enabled = true
    }
    ecr_dkr = {
      service             = "ecr.dkr"
      private_dns_enabled = true
      policy = jsonencode({
        Statement = [{
          Effect    = "Deny"
          Principal = "*"
          Action    = "*"
          Resource  = "*"
          Condition = { StringNotEquals = { "aws:SourceVpc" = aws_vpc.this.id } }
        }]
      })
    }
  }
}
