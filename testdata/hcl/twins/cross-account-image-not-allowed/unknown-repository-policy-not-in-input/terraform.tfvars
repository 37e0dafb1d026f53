app_image = "444455556666.dkr.ecr.us-west-2.amazonaws.com/shared/orders-api:1.42.0"
