provider "aws" {
  region = local.region
}

locals {
  region = "ap-southeast-2"
  azs    = ["${local.region}a", "${local.region}b"]
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.13.0"

  name            = "batch"
  cidr            = "10.60.0.0/16"
  azs             = local.azs
  private_subnets = [for i, az in local.azs : cidrsubnet("10.60.0.0/16", 8, i)]
}

resource "aws_vpc_endpoint" "ecr" {
  for_each            = toset(["ecr.api", "ecr.dkr"])
  vpc_id              = module.vpc.vpc_id
  service_name        = "com.amazonaws.${local.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = module.vpc.private_subnets
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = module.vpc.vpc_id
  service_name    = "com.amazonaws.${local.region}.s3"
  route_table_ids = module.vpc.private_route_table_ids
}

resource "aws_batch_compute_environment" "jobs" {
  compute_environment_name = "jobs"
  type                     = "MANAGED"

  compute_resources {
    type               = "FARGATE"
    max_vcpus          = 16
    subnets            = module.vpc.private_subnets
    security_group_ids = [module.vpc.default_security_group_id]
  }
}
