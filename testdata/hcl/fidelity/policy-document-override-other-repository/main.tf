# The twin of policy-document-override-merge whose override document replaces the ECR statement
# (same Sid) with one on another repository of the input: the merged policy does not allow the
# pull of the service's repository. PP404 fails (it was unknown, exit 0). Written by hand.

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}
resource "aws_vpc" "v" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_hostnames = true
}
resource "aws_subnet" "p" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_subnet" "pub" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.2.0/24"
}
resource "aws_internet_gateway" "i" { vpc_id = aws_vpc.v.id }
resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.i.id
  }
}
resource "aws_route_table_association" "pub" {
  subnet_id      = aws_subnet.pub.id
  route_table_id = aws_route_table.pub.id
}
resource "aws_eip" "n" { domain = "vpc" }
resource "aws_nat_gateway" "n" {
  allocation_id = aws_eip.n.id
  subnet_id     = aws_subnet.pub.id
}
resource "aws_route_table" "p" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.n.id
  }
}
resource "aws_route_table_association" "p" {
  subnet_id      = aws_subnet.p.id
  route_table_id = aws_route_table.p.id
}
resource "aws_security_group" "t" {
  vpc_id = aws_vpc.v.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecr_repository" "app" { name = "shop/app" }
resource "aws_cloudwatch_log_group" "app" { name = "staging-app-container" }
resource "aws_iam_role" "x" {
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_ecs_task_definition" "t" {
  family                   = "t"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = aws_iam_role.x.arn
  container_definitions = jsonencode([{
    name  = "a"
    image = aws_ecr_repository.app.repository_url
    logConfiguration = { logDriver = "awslogs", options = { awslogs-group = aws_cloudwatch_log_group.app.name, awslogs-region = "eu-west-1", awslogs-stream-prefix = "t" } }
  }])
}
resource "aws_ecs_service" "s" {
  name            = "s"
  task_definition = aws_ecs_task_definition.t.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.p.id]
    security_groups = [aws_security_group.t.id]
  }
}
resource "aws_ecr_repository" "other" { name = "shop/other" }
data "aws_iam_policy_document" "read" {
  statement {
    sid       = "GetAuthorizationToken"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "ReadEcrRepo"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [aws_ecr_repository.app.arn]
  }
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "read_other" {
  statement {
    sid       = "ReadEcrRepo"
    actions   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
    resources = [aws_ecr_repository.other.arn]
  }
}
data "aws_iam_policy_document" "merged" {
  override_policy_documents = [
    data.aws_iam_policy_document.read.json,
    data.aws_iam_policy_document.read_other.json,
  ]
}
resource "aws_iam_policy" "exec" { policy = data.aws_iam_policy_document.merged.json }
resource "aws_iam_role_policy_attachment" "exec" {
  role       = aws_iam_role.x.name
  policy_arn = aws_iam_policy.exec.arn
}
