resource "aws_subnet" "this" {
  count      = 9999
  vpc_id     = "vpc-0a1"
  cidr_block = "10.0.0.0/24"
}
