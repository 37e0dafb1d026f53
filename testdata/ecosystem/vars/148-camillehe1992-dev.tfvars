# The inputs terragrunt passes to source/units/compute for environments/dev/compute
# (environments/common.hcl, unit_compute.hcl, dev/env.hcl, dev/compute/terragrunt.hcl;
#  the role ARNs are the security unit's outputs, roles named "${env}-${application_name}-batch-*-role",
#  account from environments/root.hcl).
application_name           = "helloworld"
env                        = "dev"
vpc_id                     = "vpc-02fd20cf215e9a54b"
private_subnet_ids         = ["subnet-01afe14bdcb7e6cb9", "subnet-00057cdf4e7655c62", "subnet-0b257db52c4906a75"]
public_subnet_ids          = ["subnet-05caf66e740964d47", "subnet-0ac7236fe344b9a9c", "subnet-0a81c8b4c0bf960bb"]
security_group_ids         = ["sg-0579f97438569f812"]
instance_types             = ["c5.large", "c5.xlarge", "c5.2xlarge"]
min_vcpus                  = 0
desired_vcpus              = 0
max_vcpus                  = 4
attempt_duration_seconds   = 3600
retry_strategy_attempts    = 3
parameters                 = {}
command                    = ["echo", "hello world"]
job_image                  = "public.ecr.aws/amazonlinux/amazonlinux:latest"
resource_requirements_vcpu = "1"
resource_requirements_mem  = "128"
environment                = []
secrets                    = []
batch_instance_role_arn    = "arn:aws:iam::824709318323:role/dev-helloworld-batch-instance-role"
job_role_arn               = "arn:aws:iam::824709318323:role/dev-helloworld-batch-execution-role"
job_execution_role_arn     = "arn:aws:iam::824709318323:role/dev-helloworld-batch-execution-role"
