app_image = "ghcr.io/acme/orders-api:1.42.0"
