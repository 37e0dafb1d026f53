variable "region" {
  type = string
}

provider "aws" {
  region = var.region
}

variable "vpc_id" {
  description = "An existing VPC, managed by the network stack"
  type        = string
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "private_route_table_ids" {
  type = list(string)
}

resource "aws_vpc_endpoint" "interface" {
  for_each = toset([
    "com.amazonaws.${var.region}.ecr.api",
    "com.amazonaws.${var.region}.ecr.dkr",
    "com.amazonaws.${var.region}.logs",
    "com.amazonaws.${var.region}.secretsmanager",
  ])

  vpc_id              = var.vpc_id
  service_name        = each.value
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = var.private_subnet_ids
}

resource "aws_vpc_endpoint" "gateway" {
  for_each = toset(["com.amazonaws.${var.region}.s3"])

  vpc_id          = var.vpc_id
  service_name    = each.value
  route_table_ids = var.private_route_table_ids
}
