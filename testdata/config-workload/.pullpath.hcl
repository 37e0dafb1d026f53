# A Fargate workload the configuration beside this file does not define.
workload "aws_vpc.main" { platform = "fargate" }
