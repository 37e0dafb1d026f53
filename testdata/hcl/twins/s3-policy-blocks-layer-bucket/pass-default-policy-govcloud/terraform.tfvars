app_image = "111122223333.dkr.ecr.us-gov-west-1.amazonaws.com/orders-api:1.42.0"
