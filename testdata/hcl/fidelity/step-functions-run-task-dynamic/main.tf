# The twin of step-functions-run-task whose state takes its task definition from the state's
# input when it runs ("TaskDefinition.$" = "$.taskDefinition"): what it pulls is not known, so
# the endpoints it needs are not either. Unknown, never a pass. Written by hand.

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
resource "aws_sfn_state_machine" "run" {
  name     = "run"
  role_arn = "arn:aws:iam::123456789012:role/sfn"
  definition = jsonencode({
    StartAt = "Fan"
    States = {
      Fan = {
        Type = "Parallel"
        Branches = [{
          StartAt = "Run"
          States = {
            Run = {
              Type     = "Task"
              Resource = "arn:aws:states:::ecs:runTask.sync"
              Parameters = {
                LaunchType     = "FARGATE"
                Cluster        = aws_ecs_cluster.c.arn
                "TaskDefinition.$" = "$.taskDefinition"
                NetworkConfiguration = {
                  AwsvpcConfiguration = {
                    Subnets        = [aws_subnet.private.id]
                    SecurityGroups = [aws_security_group.task.id]
                    AssignPublicIp = "DISABLED"
                  }
                }
              }
              End = true
            }
          }
        }]
        End = true
      }
    }
  })
}
