# dev/*.sample concatenated (the repo ships only .sample files)
# VPC Variables
vpc_name = "kiavpc"
vpc_cidr_block = "10.0.0.0/16"
# vpc_availability_zones = data.aws_availability_zones.available.names
vpc_public_subnets = ["10.0.101.0/24", "10.0.102.0/24"]
vpc_private_subnets = ["10.0.3.0/24", "10.0.4.0/24"] 
vpc_enable_nat_gateway = true  
vpc_single_nat_gateway = true
aws_region = "ap-southeast-1"
s3_source_bucket= "src-kiani"
s3_dst_bucket = "dst-kiani"
environment = "dev"
aws_batch_service_role_name = "regov-batch-service-role"
aws_batch_compute_environment_security_group_name = "regov-batch-compute-security-group"
compute_environment_name = "regov"
job_role_name = "regov-job-role"
batch_s3_policy_name = "regov-s3-batch-policy"
job_queue_name = "regov-job-queue"
ecs_batch_exec_role = "regov-ecs-batch-exec-role"
regov_job_name = "regov-job"
cloudwatch_event_batch_job_role_name = "regov-event-batch-job-role"
cloudwatch_event_submit_batch_role_name = "regov-event-submit-batch-role"
project_name = "regov"
