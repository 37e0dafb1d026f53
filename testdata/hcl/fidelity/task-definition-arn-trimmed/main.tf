# A service and an EventBridge-scheduled task name their task definition by its ARN without the
# revision, written as it often is: `trimsuffix(arn, ":${revision}")`, or `replace` with a
# pattern anchored at the end. ECS resolves such an ARN to the family's latest revision, the one
# this configuration defines, so both run its containers: a private ECR image and the awslogs
# driver, without an execution role, in a subnet without an internet route and without a logs
# endpoint. PP104 and PP404 fail. Both passed: the function's result named no task definition,
# so the containers, their log driver and the role were unknown (a helper's audit of ecosystem
# row 161). Written by hand.

provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "v" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "p" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_route_table" "p" {
  vpc_id = aws_vpc.v.id
}

resource "aws_route_table_association" "p" {
  subnet_id      = aws_subnet.p.id
  route_table_id = aws_route_table.p.id
}

resource "aws_security_group" "all" {
  vpc_id = aws_vpc.v.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = toset(["ecr.api", "ecr.dkr"])
  vpc_id              = aws_vpc.v.id
  service_name        = "com.amazonaws.us-east-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.p.id]
  security_group_ids  = [aws_security_group.all.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.v.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.p.id]
}

resource "aws_ecr_repository" "app" {
  name = "app"
}

resource "aws_ecs_cluster" "main" {
  name = "main"
}

resource "aws_ecs_task_definition" "app" {
  family                   = "app"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  container_definitions = jsonencode([{
    name  = "app"
    image = "${aws_ecr_repository.app.repository_url}:1"
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = "/app"
        "awslogs-region"        = "us-east-1"
        "awslogs-stream-prefix" = "app"
      }
    }
  }])
}

resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = aws_ecs_cluster.main.id
  launch_type     = "FARGATE"
  task_definition = trimsuffix(aws_ecs_task_definition.app.arn, ":${aws_ecs_task_definition.app.revision}")

  network_configuration {
    subnets         = [aws_subnet.p.id]
    security_groups = [aws_security_group.all.id]
  }
}

resource "aws_iam_role" "events" {
  name = "events"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "events.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly"
  schedule_expression = "cron(0 3 * * ? *)"
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule     = aws_cloudwatch_event_rule.nightly.name
  arn      = aws_ecs_cluster.main.arn
  role_arn = aws_iam_role.events.arn

  ecs_target {
    launch_type         = "FARGATE"
    task_definition_arn = replace(aws_ecs_task_definition.app.arn, "/:\\d+$/", "")

    network_configuration {
      subnets         = [aws_subnet.p.id]
      security_groups = [aws_security_group.all.id]
    }
  }
}
