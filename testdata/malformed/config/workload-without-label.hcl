workload {
  platform = "fargate"
}
