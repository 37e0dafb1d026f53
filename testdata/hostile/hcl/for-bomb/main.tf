locals {
  x = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : a + b + c]]]
}

resource "aws_ecs_cluster" "c" {
  name = length(local.x)
}
