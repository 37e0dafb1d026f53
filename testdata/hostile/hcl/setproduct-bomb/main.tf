locals {
  l = [1, 2, 3, 4]
  # 4^10 = 1048576 rows of 10 elements each, twenty times.
  p = [for i in range(20) : length(setproduct(local.l, local.l, local.l, local.l, local.l, local.l, local.l, local.l, local.l, local.l))]
}

resource "aws_ecs_cluster" "c" {
  name = jsonencode(local.p)
}
