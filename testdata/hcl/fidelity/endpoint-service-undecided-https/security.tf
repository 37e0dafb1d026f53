resource "aws_security_group" "endpoints" {
  name        = "${var.name}-endpoints"
  description = "Interface endpoints"
  vpc_id      = aws_vpc.main.id
}

# Form 1: inline rules.
resource "aws_security_group" "tasks" {
  name   = "${var.name}-tasks"
  vpc_id = aws_vpc.main.id

  dynamic "egress" {
    for_each = [aws_vpc_endpoint.s3.prefix_list_id]
    content {
      description     = "HTTPS to S3"
      protocol        = "tcp"
      from_port       = 443
      to_port         = 443
      prefix_list_ids = [egress.value]
    }
  }
}

# Forms 3 and 4: the per-rule resources.
resource "aws_security_group" "batch" {
  name   = "${var.name}-batch"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_egress_rule" "batch_https" {
  security_group_id = aws_security_group.batch.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.cidr
}
