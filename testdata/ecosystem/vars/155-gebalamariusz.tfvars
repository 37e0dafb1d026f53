# Values for gebalamariusz/alb-asg-ecs (variables.tf: no defaults, no tfvars in the repository).
# Written by the audit; region eu-central-1 is the provider's (providers.tf). Only the network
# shape matters for the verdict: 2 private + 2 public subnets.
azs                  = ["eu-central-1a", "eu-central-1b"]
vpc_cidr             = "10.0.0.0/16"
private_subnets_cidr = ["10.0.1.0/24", "10.0.2.0/24"]
public_subnets_cidr  = ["10.0.101.0/24", "10.0.102.0/24"]
vpc_name             = "nginx-app-vpc"
common_ports         = [22, 80, 443]
alb_ports            = [80, 443]
