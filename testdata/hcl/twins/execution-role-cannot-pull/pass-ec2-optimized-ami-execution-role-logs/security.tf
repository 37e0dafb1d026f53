resource "aws_security_group" "app" {
  name        = "orders-app"
  description = "orders service tasks"
  vpc_id      = aws_vpc.main.id
  tags        = {
    Name = "app"
  }
}

resource "aws_vpc_security_group_egress_rule" "app_https_vpc" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS to the VPC endpoints"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = aws_vpc.main.cidr_block
}

resource "aws_vpc_security_group_egress_rule" "app_https_s3" {
  security_group_id = aws_security_group.app.id
  description       = "HTTPS to S3 (image layers)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = aws_vpc_endpoint.s3.prefix_list_id
}

resource "aws_security_group" "instances" {
  name        = "orders-instances"
  description = "orders service tasks"
  vpc_id      = aws_vpc.main.id
  tags        = {
    Name = "instances"
  }
}

resource "aws_vpc_security_group_egress_rule" "instances_https_vpc" {
  security_group_id = aws_security_group.instances.id
  description       = "HTTPS to the VPC endpoints"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = aws_vpc.main.cidr_block
}

resource "aws_vpc_security_group_egress_rule" "instances_https_s3" {
  security_group_id = aws_security_group.instances.id
  description       = "HTTPS to S3 (image layers)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = aws_vpc_endpoint.s3.prefix_list_id
}

resource "aws_security_group" "vpc_endpoints" {
  name        = "orders-vpc-endpoints"
  description = "HTTPS from the workloads to the VPC endpoints"
  vpc_id      = aws_vpc.main.id

  ingress {
    description     = "HTTPS"
    protocol        = "tcp"
    from_port       = 443
    to_port         = 443
    security_groups = [aws_security_group.instances.id]
  }

  tags = {
    Name = "vpc_endpoints"
  }
}
