# Local development override: the right endpoint type, and private DNS.
resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}

locals {
  env = "prod"
}

resource "aws_vpc_endpoint" "not_in_base" {
  service_name = "com.amazonaws.us-east-1.logs"
}
