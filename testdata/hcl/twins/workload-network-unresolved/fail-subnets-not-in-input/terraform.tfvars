vpc_id             = "vpc-0c6f3e9b2a1d47f58"
private_subnet_ids = ["subnet-0a41c2f7d8e9b1357", "subnet-0b52d3e8f9fa2c468"]
app_image          = "111122223333.dkr.ecr.us-west-2.amazonaws.com/orders-api:1.42.0"
