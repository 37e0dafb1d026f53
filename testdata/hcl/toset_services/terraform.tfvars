region                  = "us-east-2"
vpc_id                  = "vpc-0a1b2c3d4e5f60718"
private_subnet_ids      = ["subnet-0aa", "subnet-0bb"]
private_route_table_ids = ["rtb-0cc"]
