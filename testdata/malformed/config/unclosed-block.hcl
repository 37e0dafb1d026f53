mode = "strict"
workload "vpc-0a1" {
  platform = "fargate"
