[
  {
    "name": "orders-api",
    "image": "${image}:${tag}",
    "essential": true,
    "portMappings": [{ "containerPort": 8080, "protocol": "tcp" }],
    "secrets": [
      { "name": "DB_PASSWORD", "valueFrom": "${db_secret}" }
    ],
    "logConfiguration": {
      "logDriver": "awslogs",
      "options": {
        "awslogs-group": "${log_group}",
        "awslogs-region": "us-west-2",
        "awslogs-stream-prefix": "orders"
      }
    }
  }
]
