# Batch on EC2 whose job reads a Secrets Manager secret. The container instance role pulls the
# image, but the secret is read with the job definition's execution role (AWS Batch: "Specifying
# sensitive data with Secrets Manager" needs executionRoleArn): PP404 judges that role for the
# secret and the instance role for the pull, and both are allowed (ecosystem row 11 was a false
# fail on the instance role, then an unknown). The secretsmanager endpoint is there, so PP105
# passes.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region              = "us-west-2"
  allowed_account_ids = ["111122223333"]
}

resource "aws_batch_compute_environment" "jobs" {
  compute_environment_name = "reports-ec2"
  type                     = "MANAGED"

  compute_resources {
    type               = "EC2"
    max_vcpus          = 64
    min_vcpus          = 0
    instance_type      = ["optimal"]
    instance_role      = aws_iam_instance_profile.batch.arn
    subnets            = [aws_subnet.private_a.id, aws_subnet.private_b.id]
    security_group_ids = [aws_security_group.batch.id]
  }
}

resource "aws_batch_job_queue" "jobs" {
  name     = "reports"
  priority = 1
  state    = "ENABLED"

  compute_environment_order {
    order               = 1
    compute_environment = aws_batch_compute_environment.jobs.arn
  }
}

resource "aws_batch_job_definition" "nightly" {
  name                  = "reports-nightly"
  type                  = "container"
  platform_capabilities = ["EC2"]
  container_properties  = jsonencode({
    command              = ["python", "-m", "reports.nightly"]
    image                = "111122223333.dkr.ecr.us-west-2.amazonaws.com/reports:2024.11.3"
    executionRoleArn     = aws_iam_role.batch_execution.arn
    secrets = [
      {
        name      = "DB_PASSWORD"
        valueFrom = "arn:aws:secretsmanager:us-west-2:111122223333:secret:reports/db-AbCdEf"
      },
    ]
    resourceRequirements = [
      {
        type  = "VCPU"
        value = "2"
      },
      {
        type  = "MEMORY"
        value = "4096"
      },
    ]
  })
}
