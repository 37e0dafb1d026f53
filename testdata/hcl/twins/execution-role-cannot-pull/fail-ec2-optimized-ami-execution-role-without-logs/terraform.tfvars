app_image = "111122223333.dkr.ecr.us-west-2.amazonaws.com/orders-api:1.42.0"
