# A module called with `providers = { aws = aws.west }`: the aliased provider's region,
# us-west-2, is the region of everything in the module. The module builds its VPC, its Fargate
# service and its endpoints, naming the services with its own `data.aws_region.current.name`:
# com.amazonaws.us-west-2.ecr.api, ecr.dkr and s3, all right for the VPC. The logs endpoint's
# service name comes from the root instead, where `data.aws_region.current` is the default
# provider's region (us-east-1): com.amazonaws.us-east-1.logs in a us-west-2 VPC is PP108
# (endpoint-region-mismatch), the only finding. Were the alias not followed into the module, the
# VPC would be in us-east-1 and the ECR and S3 endpoints would be the mismatched ones. Until now
# this was checked only by the loader's tests (tests/hcl_load.rs).
# Written by hand.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

data "aws_region" "current" {}

module "service" {
  source = "./modules/service"

  providers = {
    aws = aws.west
  }

  name              = "billing"
  cidr_block        = "10.44.0.0/16"
  logs_service_name = "com.amazonaws.${data.aws_region.current.name}.logs"
}
