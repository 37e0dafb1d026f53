# The configuration that testdata/reports/unknown.json is a plan of (new infrastructure: ids,
# ARNs and the policies that name them are known only after apply). Its `pullpath:ignore`
# comments are the inline suppressions of the report tests (tests/reports.rs), which attach
# them to the plan's resources as the HCL reader would.

provider "aws" {
  region = "us-west-2"
}

# pullpath:ignore=PP202 DNS hostnames were disabled here once
resource "aws_vpc" "app" {
  cidr_block           = "10.4.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "app_private_a" {
  vpc_id                  = aws_vpc.app.id
  cidr_block              = "10.4.1.0/24"
  availability_zone       = "us-west-2a"
  map_public_ip_on_launch = false
}

resource "aws_subnet" "app_private_b" {
  vpc_id                  = aws_vpc.app.id
  cidr_block              = "10.4.2.0/24"
  availability_zone       = "us-west-2b"
  map_public_ip_on_launch = false
}

resource "aws_route_table" "app_private" {
  vpc_id = aws_vpc.app.id
}

resource "aws_route_table_association" "app_private_a" {
  subnet_id      = aws_subnet.app_private_a.id
  route_table_id = aws_route_table.app_private.id
}

resource "aws_route_table_association" "app_private_b" {
  subnet_id      = aws_subnet.app_private_b.id
  route_table_id = aws_route_table.app_private.id
}

resource "aws_security_group" "app_endpoints" {
  name   = "app_endpoints"
  vpc_id = aws_vpc.app.id
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.4.0.0/16"]
  }
}

# pullpath:ignore=PP502
resource "aws_security_group" "app_tasks" {
  name   = "app_tasks"
  vpc_id = aws_vpc.app.id
  egress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/app"
  retention_in_days = 30
}

resource "aws_s3_bucket" "artifacts" {
  bucket_prefix = "artifacts-"
}

resource "aws_vpc_endpoint" "app_ecr_api" {
  vpc_id              = aws_vpc.app.id
  service_name        = "com.amazonaws.us-west-2.ecr.api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.app_private_a.id, aws_subnet.app_private_b.id]
  security_group_ids  = [aws_security_group.app_endpoints.id]
}

resource "aws_vpc_endpoint" "app_ecr_dkr" {
  vpc_id              = aws_vpc.app.id
  service_name        = "com.amazonaws.us-west-2.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.app_private_a.id, aws_subnet.app_private_b.id]
  security_group_ids  = [aws_security_group.app_endpoints.id]
}

resource "aws_vpc_endpoint" "app_logs" {
  vpc_id              = aws_vpc.app.id
  service_name        = "com.amazonaws.us-west-2.logs"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.app_private_a.id, aws_subnet.app_private_b.id]
  security_group_ids  = [aws_security_group.app_endpoints.id]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource  = aws_cloudwatch_log_group.app.arn
    }]
  })
}

# pullpath:ignore=PP401 the layer bucket statement is there; only the artifacts ARN is unknown until apply
resource "aws_vpc_endpoint" "app_s3" {
  vpc_id            = aws_vpc.app.id
  service_name      = "com.amazonaws.us-west-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.app_private.id]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = ["arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*"]
      },
      {
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.artifacts.arn]
      },
    ]
  })
}

resource "aws_iam_role" "app_execution" {
  name = "app_execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.app_execution.arn
  container_definitions = jsonencode([{
    name  = "app"
    image = "123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1.4.2"
    logConfiguration = {
      logDriver = "awslogs"
      options   = { "awslogs-group" = aws_cloudwatch_log_group.app.name }
    }
  }])
}

resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = "arn:aws:ecs:us-west-2:123456789012:cluster/main"
  launch_type     = "FARGATE"
  desired_count   = 2
  task_definition = aws_ecs_task_definition.app.arn
  network_configuration {
    subnets          = [aws_subnet.app_private_a.id, aws_subnet.app_private_b.id]
    security_groups  = [aws_security_group.app_tasks.id]
    assign_public_ip = false
  }
}
