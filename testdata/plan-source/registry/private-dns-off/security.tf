resource "aws_security_group" "app" {
  name        = "orders-app"
  description = "orders service tasks"
  vpc_id      = module.vpc.vpc_id

  tags = {
    Name = "app"
  }
}

resource "aws_vpc_security_group_egress_rule" "app_https_vpc" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS to the VPC endpoints"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = module.vpc.vpc_cidr_block
}

resource "aws_vpc_security_group_egress_rule" "app_https_s3" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS to S3 (image layers)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = module.vpc_endpoints.endpoints["s3"].prefix_list_id
}

resource "aws_security_group" "vpc_endpoints" {
  name        = "orders-vpc-endpoints"
  description = "HTTPS from the workloads to the VPC endpoints"
  vpc_id      = module.vpc.vpc_id

  tags = {
    Name = "vpc_endpoints"
  }
}

resource "aws_vpc_security_group_ingress_rule" "vpc_endpoints_https" {
  security_group_id            = aws_security_group.vpc_endpoints.id
  description                  = "HTTPS from the orders tasks"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.app.id
}
