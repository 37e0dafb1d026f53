# Row 163 (cloudstoragesec/terraform-aws-cloud-storage-security): the five variables without a
# default, as a user deploying into an existing VPC supplies them (placeholder ids).
vpc         = "vpc-0123456789abcdef0"
cidr        = ["10.0.0.0/16"]
subnet_a_id = "subnet-0123456789abcdef1"
subnet_b_id = "subnet-0123456789abcdef2"
email       = "admin@example.com"
