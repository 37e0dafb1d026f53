# Written for the audit (not from the repository): one service, as the README's Spacelift stack would pass it.
ecs_services = {
  web = {
    container_definitions = [
      {
        name  = "web"
        image = "public.ecr.aws/nginx/nginx:1.27"
        portMappings = [
          { name = "http", containerPort = 8080, hostPort = 8080 }
        ]
      }
    ]
  }
}
