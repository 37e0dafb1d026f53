# Written for the audit: the values .github/workflows/plan.yml writes into ci.auto.tfvars
# (ECR_REGISTRY = 985539771340.dkr.ecr.eu-west-2.amazonaws.com) plus the variables the S3-held dev.tfvars
# would set, with values consistent with main.tf (log group keys it indexes, service-discovery keys).
api_gateway_image          = "985539771340.dkr.ecr.eu-west-2.amazonaws.com/api-gateway:abc123"
order_service_image        = "985539771340.dkr.ecr.eu-west-2.amazonaws.com/order-service:abc123"
inventory_service_image    = "985539771340.dkr.ecr.eu-west-2.amazonaws.com/inventory-service:abc123"
payment_service_image      = "985539771340.dkr.ecr.eu-west-2.amazonaws.com/payment-service:abc123"
notification_service_image = "985539771340.dkr.ecr.eu-west-2.amazonaws.com/notification-service:abc123"
shipping_service_image     = "985539771340.dkr.ecr.eu-west-2.amazonaws.com/shipping-service:abc123"
dashboard_api_image        = "985539771340.dkr.ecr.eu-west-2.amazonaws.com/dashboard-api:abc123"
worker_image               = "985539771340.dkr.ecr.eu-west-2.amazonaws.com/worker:abc123"
scheduler_image            = "985539771340.dkr.ecr.eu-west-2.amazonaws.com/scheduler:abc123"
aws_region                 = "eu-west-2"
vpc_cidr_block             = "10.0.0.0/16"
log_group_names = ["/ecs/api-gateway", "/ecs/order-service", "/ecs/inventory-service", "/ecs/payment-service",
  "/ecs/notification-service", "/ecs/shipping-service", "/ecs/dashboard-api", "/ecs/worker", "/ecs/scheduler"]
