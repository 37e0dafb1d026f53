provider "aws" {
  region = "us-west-2"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "tasks" {
  vpc_id = aws_vpc.main.id

  dynamic "egress" {
    for_each = [443]
    from_port = egress.value
  }
}
