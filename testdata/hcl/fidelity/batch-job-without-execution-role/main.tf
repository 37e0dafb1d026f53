# A Batch Fargate job definition with a private ECR image and awslogs but no executionRoleArn in
# its container_properties: its jobs can neither pull nor log. PP404 fails, and its fix names
# the key Batch reads (it said execution_role_arn, which aws_batch_job_definition does not have;
# row 88h wrote exactly that). Written by hand (a helper's probe).

provider "aws" { region = "us-east-1" }

resource "aws_vpc" "v" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}
resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.v.id }

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_route_table" "private" { vpc_id = aws_vpc.v.id }
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.v.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}
resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
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

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.v.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id] # only the private table
}
resource "aws_vpc_endpoint" "iface" {
  for_each            = toset(["ecr.api", "ecr.dkr", "logs"])
  vpc_id              = aws_vpc.v.id
  service_name        = "com.amazonaws.us-east-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.private.id]
  security_group_ids  = [aws_security_group.all.id]
}

resource "aws_iam_role" "exec" {
  name               = "exec"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "exec" {
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
resource "aws_ecr_repository" "app" { name = "app" }

resource "aws_batch_compute_environment" "ce" {
  name = "ce"
  type = "MANAGED"
  compute_resources {
    type               = "FARGATE"
    max_vcpus          = 4
    subnets            = [aws_subnet.public.id]
    security_group_ids = [aws_security_group.all.id]
  }
}
resource "aws_batch_job_definition" "job" {
  name                  = "job"
  type                  = "container"
  platform_capabilities = ["FARGATE"]
  container_properties = jsonencode({
    image                = "${aws_ecr_repository.app.repository_url}:latest"
    execution_role_arn   = aws_iam_role.exec.arn # snake_case: not a Batch field
    networkConfiguration = { assignPublicIp = "ENABLED" }
    resourceRequirements = [{ type = "VCPU", value = "1" }, { type = "MEMORY", value = "2048" }]
  })
}
