resource "aws_vpc" "hidden" {}
