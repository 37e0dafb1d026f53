# No provider block: the region comes from the environment when Terraform runs.
data "aws_region" "current" {}

resource "aws_vpc_endpoint" "ecr" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.${data.aws_region.current.name}.ecr.dkr"
  vpc_endpoint_type = "Interface"
}
