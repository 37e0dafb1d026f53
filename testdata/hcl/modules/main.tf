provider "aws" {
  region = "eu-central-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-west-1"
}

locals {
  name = "payments"
  # Endpoint services keyed without dots: "ecr.dkr" -> "ecr_dkr".
  interface_endpoints = {
    for svc in ["ecr.dkr", "ecr.api", "logs", "ssm"] : replace(svc, ".", "_") => svc
  }
}

module "vpc" {
  source = "./modules/vpc"

  name            = local.name
  cidr            = "10.40.0.0/16"
  azs             = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
  private_subnets = ["10.40.1.0/24", "10.40.2.0/24", "10.40.3.0/24"]
}

module "vpce" {
  source   = "./modules/endpoint"
  for_each = local.interface_endpoints

  vpc_id             = module.vpc.vpc_id
  service            = each.value
  subnet_ids         = module.vpc.private_subnets
  security_group_ids = [aws_security_group.vpce.id]
  tags               = { Name = "${local.name}-${each.key}" }
}

# The backup region's copy of the registry endpoint, through an aliased provider.
module "vpce_dr" {
  source    = "./modules/endpoint"
  providers = { aws = aws.dr }

  vpc_id     = module.vpc.vpc_id
  service    = "ecr.dkr"
  subnet_ids = []
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = module.vpc.vpc_id
  service_name      = "com.amazonaws.eu-central-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = module.vpc.private_route_table_ids
}

resource "aws_security_group" "vpce" {
  name   = "${local.name}-vpce"
  vpc_id = module.vpc.vpc_id

  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = [module.vpc.vpc_cidr_block]
  }
}

resource "aws_security_group" "service" {
  name   = "${local.name}-service"
  vpc_id = module.vpc.vpc_id

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ecs_task_definition" "api" {
  family                   = "${local.name}-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  container_definitions = jsonencode([{
    name  = "api"
    image = "public.ecr.aws/nginx/nginx:1.27"
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = "/ecs/${local.name}"
        awslogs-region        = "eu-central-1"
        awslogs-stream-prefix = "api"
      }
    }
  }])
}

resource "aws_ecs_service" "api" {
  name            = "${local.name}-api"
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 3

  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }

  network_configuration {
    subnets         = module.vpc.private_subnets
    security_groups = [aws_security_group.service.id]
  }
}
