# Numbers past what a 64-bit float holds are numbers in Terraform (cty's are arbitrary-precision);
# pullpath reads them as numbers it cannot represent: unknown, never a syntax error, never a
# value decided wrong.
locals {
  big  = 1e400
  neg  = -1e400
  tiny = 1e-400
  fine = 1.5e300
  list = [1e400, 2]
  text = "1e400 stays text"
}

resource "aws_subnet" "many" {
  count      = 1e400
  vpc_id     = "vpc-1"
  cidr_block = "10.0.0.0/24"
}

resource "aws_ecs_cluster" "c" {
  name = "c-${local.list[1]}-${local.text}"
}

resource "aws_ecs_cluster" "d" {
  name = "d-${local.big}-${local.neg}-${local.tiny}-${local.fine}"
}
