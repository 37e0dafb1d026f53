# The repository's own commented-out example job (stack/terraform.tfvars:36-40), enabled.
jobs = {
  testJob = {
    schedule_expression = "cron(0 0 * * ? *)"
  }
}
