resource "aws_security_group" "app" {
  name        = "orders-app"
  description = "orders service tasks"
  vpc_id      = aws_vpc.main.id
  tags        = {
    Name = "app"
  }
}

resource "aws_vpc_security_group_egress_rule" "app_all" {
  security_group_id = aws_security_group.app.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
