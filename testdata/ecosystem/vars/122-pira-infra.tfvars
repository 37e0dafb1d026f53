# pira-infra ships its tfvars only SOPS-encrypted (nextflow/envs/main.tfvars.json.enc); values chosen for the audit.
region                = "us-east-1"
environment           = "main"
terraform_bucket_name = "pira-terraform-state"
nextflow_service_name = "nextflow"
availability_zone     = "us-east-1a"
