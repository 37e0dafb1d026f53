api_key   = "6c1f0e9a-2b7d-4a55-9d3e-orders-api"
app_image = "111122223333.dkr.ecr.us-west-2.amazonaws.com/orders-api:1.42.0"
