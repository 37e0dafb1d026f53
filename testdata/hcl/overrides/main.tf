provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc_endpoint" "ecr_dkr" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.us-east-1.ecr.dkr"
  vpc_endpoint_type = "Gateway"

  tags = {
    Team = "platform"
  }
}

locals {
  env = "dev"
}
