resource "aws_vpc" "this" {
  cidr_block = 
}
