resource "aws_security_group" "app" {
  name        = "orders-app"
  description = "orders service tasks"
  vpc_id      = aws_vpc.main.id
  tags        = {
    Name = "app"
  }
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
    security_groups = [aws_security_group.app.id]
  }

  tags = {
    Name = "vpc_endpoints"
  }
}
