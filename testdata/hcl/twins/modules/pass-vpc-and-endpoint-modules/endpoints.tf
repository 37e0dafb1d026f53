module "endpoint" {
  source   = "./modules/interface-endpoint"
  for_each = toset(["ecr.api", "ecr.dkr", "logs"])

  region             = var.region
  service            = each.key
  vpc_id             = module.vpc.vpc_id
  subnet_ids         = module.vpc.private_subnets
  security_group_ids = [aws_security_group.vpc_endpoints.id]
}
