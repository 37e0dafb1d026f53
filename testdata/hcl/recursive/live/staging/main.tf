provider "aws" {
  region = "us-east-1"
}

module "network" {
  source = "../../modules/network"
  cidr   = "10.2.0.0/16"
}
