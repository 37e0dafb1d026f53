# A subnet of the region's default VPC (aws_default_vpc) outside its known block, so in a block
# added outside the input; the endpoints' group admits the default VPC's cidr_block. It passed
# (the adopted VPC was taken to have no other block): PP501 is unknown (a reviewer's case).
# Written by hand.

# The sibling of sg-ipam-vpc-block whose task subnet is carved from a secondary block that an
# IPAM pool gives (aws_vpc_ipv4_cidr_block_association): the endpoints' group admits only the
# VPC's primary block, which may not hold the tasks, so PP501 is unknown, never a pass. Written
# by hand.

provider "aws" { region = "eu-west-1" }

resource "aws_default_vpc" "v" {
  enable_dns_support   = true
  enable_dns_hostnames = true
}
resource "aws_subnet" "app" {
  vpc_id            = aws_default_vpc.v.id
  cidr_block        = "10.50.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "ep" {
  vpc_id            = aws_default_vpc.v.id
  cidr_block        = "172.31.200.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_route_table" "private" { vpc_id = aws_default_vpc.v.id }
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.private.id
}
resource "aws_route_table_association" "ep" {
  subnet_id      = aws_subnet.ep.id
  route_table_id = aws_route_table.private.id
}

variable "ipam_pool_id" { default = "ipam-pool-0123456789abcdef0" }
resource "aws_security_group" "ep" {
  vpc_id = aws_default_vpc.v.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_default_vpc.v.cidr_block]
  }
}
resource "aws_security_group" "task" {
  vpc_id = aws_default_vpc.v.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

locals { ifaces = toset(["ecr.api", "ecr.dkr", "logs"]) }
resource "aws_vpc_endpoint" "iface" {
  for_each            = local.ifaces
  vpc_id              = aws_default_vpc.v.id
  service_name        = "com.amazonaws.eu-west-1.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.ep.id]
  security_group_ids  = [aws_security_group.ep.id]
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_default_vpc.v.id
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
}

resource "aws_ecr_repository" "app" { name = "app" }
resource "aws_iam_role" "exec" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}
resource "aws_iam_role_policy_attachment" "exec" {
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
resource "aws_ecs_cluster" "c" { name = "c" }
resource "aws_ecs_task_definition" "t" {
  family                   = "t"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.exec.arn
  container_definitions = jsonencode([{
    name      = "app"
    image     = "${aws_ecr_repository.app.repository_url}:latest"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options   = { awslogs-group = "/ecs/app", awslogs-region = "eu-west-1", awslogs-stream-prefix = "app" }
    }
  }])
}
resource "aws_ecs_service" "s" {
  name            = "s"
  cluster         = aws_ecs_cluster.c.id
  task_definition = aws_ecs_task_definition.t.arn
  launch_type     = "FARGATE"
  desired_count   = 1
  network_configuration {
    subnets          = [aws_subnet.app.id]
    security_groups  = [aws_security_group.task.id]
    assign_public_ip = false
  }
}
