resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = {
    Name = "orders"
  }
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.10.0/24"
  availability_zone = "us-west-2a"
  tags              = {
    Name = "orders-private-us-west-2a"
    Tier = "private"
  }
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.11.0/24"
  availability_zone = "us-west-2b"
  tags              = {
    Name = "orders-private-us-west-2b"
    Tier = "private"
  }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  tags   = {
    Name = "orders-private"
  }
}

resource "aws_route_table_association" "private_a" {
  subnet_id      = aws_subnet.private_a.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "private_b" {
  subnet_id      = aws_subnet.private_b.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route53_zone" "ecr_api" {
  name = "api.ecr.us-west-2.amazonaws.com"

  vpc {
    vpc_id = "vpc-0a1b2c3d4e5f60718"
  }

  tags = {
    Name = "hub api.ecr"
  }
}

resource "aws_route53_zone" "ecr_dkr" {
  name = "dkr.ecr.us-west-2.amazonaws.com"

  vpc {
    vpc_id = "vpc-0a1b2c3d4e5f60718"
  }

  tags = {
    Name = "hub dkr.ecr"
  }
}

resource "aws_route53_zone" "logs" {
  name = "logs.us-west-2.amazonaws.com"

  vpc {
    vpc_id = "vpc-0a1b2c3d4e5f60718"
  }

  tags = {
    Name = "hub logs"
  }
}
