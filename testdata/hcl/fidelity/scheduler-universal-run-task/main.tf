# A Fargate task started by an EventBridge Scheduler universal target
# (`arn:aws:scheduler:::aws-sdk:ecs:runTask`, the RunTask request as its `input`) in a private
# subnet with no way out and no endpoints. It was not read as a workload ("no workload found",
# exit 0: a false pass); PP101, PP102, PP103 fail. Written by hand (a helper's probe).

provider "aws" { region = "us-east-1" }

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}
resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_route_table" "private" { vpc_id = aws_vpc.main.id } # no NAT, no IGW
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_security_group" "task" {
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecs_cluster" "c" { name = "c" }
resource "aws_ecs_task_definition" "job" {
  family                   = "job"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = "arn:aws:iam::123456789012:role/exec"
  container_definitions = jsonencode([{
    name  = "job"
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/job:1"
  }])
}
resource "aws_scheduler_schedule" "run" {
  name                = "run"
  schedule_expression = "rate(1 hour)"
  flexible_time_window { mode = "OFF" }
  target {
    arn      = "arn:aws:scheduler:::aws-sdk:ecs:runTask"
    role_arn = "arn:aws:iam::123456789012:role/scheduler"
    input = jsonencode({
      Cluster        = aws_ecs_cluster.c.arn
      TaskDefinition = aws_ecs_task_definition.job.arn
      LaunchType     = "FARGATE"
      NetworkConfiguration = {
        AwsvpcConfiguration = {
          Subnets        = [aws_subnet.private.id]
          SecurityGroups = [aws_security_group.task.id]
          AssignPublicIp = "DISABLED"
        }
      }
    })
  }
}
