# Nested template loops with no output: a billion iterations of nothing.
locals {
  t = <<EOT
%{for a in range(1000)}%{for b in range(1000)}%{for c in range(1000)}%{for d in range(1000)}%{if a < 0}${a}${b}${c}${d}%{endif}%{endfor}%{endfor}%{endfor}%{endfor}
EOT
}

resource "aws_ecs_cluster" "c" {
  name = local.t
}
