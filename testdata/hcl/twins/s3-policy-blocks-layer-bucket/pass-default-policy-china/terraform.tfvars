app_image = "111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/orders-api:1.42.0"
