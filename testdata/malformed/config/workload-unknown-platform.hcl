workload "vpc-0a1" {
  platform = "lambda"
}
