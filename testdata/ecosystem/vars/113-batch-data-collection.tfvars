project        = "scraper"
user_variables = {}
jobs = [{
  name             = "scrape"
  image_uri        = "123456789012.dkr.ecr.us-east-2.amazonaws.com/scrape:1"
  vcpus            = "1"
  memory           = "2048"
  assign_public_ip = false
  runtime_platform = "X86_64"
  environment      = []
  scheduling = {
    enabled      = true
    flex_minutes = 5
    instances = [{
      environment      = []
      aws_schedule     = "0 12 * * ? *"
      gcp_schedule     = "0 12 * * *"
      share_identifier = "low"
    }]
  }
}]
