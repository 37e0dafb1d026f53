# A Fargate service in a subnet whose route table has no static 0.0.0.0/0 route but learns routes
# from a VPN gateway (`propagating_vgws`). What the other side of the VPN advertises is not in
# the input, and a propagated 0.0.0.0/0 (egress through the data centre) is a common design:
# whether the tasks reach the internet is not decided, so the missing endpoints are unknown in
# reachability mode, never a fail (they failed: a helper's probe 096). Strict mode fails them.
# The sibling vgw-route-propagation-resource propagates with a resource. Written by hand.

provider "aws" { region = "eu-west-1" }
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.v.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_vpn_gateway" "vgw" { vpc_id = aws_vpc.v.id }
resource "aws_route_table" "private" {
  vpc_id           = aws_vpc.v.id
  propagating_vgws = [aws_vpn_gateway.vgw.id] # on-prem may advertise 0.0.0.0/0
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.private.id
}
resource "aws_security_group" "task" {
  vpc_id = aws_vpc.v.id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_ecs_task_definition" "t" {
  family                   = "t"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.exec.arn
  container_definitions    = jsonencode([{ name = "app", image = "${aws_ecr_repository.app.repository_url}:1" }])
}
resource "aws_ecs_service" "s" {
  name            = "s"
  task_definition = aws_ecs_task_definition.t.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = [aws_subnet.app.id]
    security_groups = [aws_security_group.task.id]
  }
}
resource "aws_ecr_repository" "app" { name = "app" }
resource "aws_iam_role" "exec" {
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_iam_role_policy_attachment" "exec" {
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
