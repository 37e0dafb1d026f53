# Audit mc, rows 150/151: aws/terraform.tfvars.example of evereven-tech/horizons-omnichat with
# its "x.x.x.x" placeholders left out (the variables' own defaults apply: 10.0.0.0/16,
# eu-west-1a/b, 10.0.1.0/24 + 10.0.2.0/24 private, 10.0.101.0/24 + 10.0.102.0/24 public) and
# the required variables without default given neutral values. Network choices as the example.
aws_region         = "eu-west-1"
aws_region_bedrock = "us-west-2"

certificate_arn       = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
domain_name           = "chatbot.example.com"
cognito_domain_prefix = "auth-chatbot-example"

webui_version = "v0.6.10"
ollama_models = "tinyllama,llama2,mistral"

nat_gateway_config = {
  enabled    = true
  single_nat = true
}

vpc_endpoints_enabled = false

enable_gpu = true

gpu_config = {
  instance_types = ["g4dn.xlarge", "g5.xlarge", "p3.2xlarge"]
  min_gpus       = 1
  max_gpus       = 4
}

spot_config = {
  interruption_behavior = "terminate"
  allocation_strategy   = "capacity-optimized-prioritized"
}

budget_notification_emails     = ["someone@example.com"]
budget_notification_thresholds = [25, 50, 75, 100, 125, 150]
platform_budget_limit          = "200"
marketplace_budget_limit       = "100"
