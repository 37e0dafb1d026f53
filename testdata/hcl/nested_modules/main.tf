provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "east2"
  region = "us-east-2"
}

variable "enable_extra" {
  type = bool
}

module "platform" {
  source = "./modules/platform"
  count  = 2

  providers = {
    aws = aws.east2
  }

  name = "platform-${count.index}"
  cidr = cidrsubnet("10.0.0.0/8", 8, count.index)
}

# Unknown count: no instances, a note, Unknown references.
module "extra" {
  source = "./modules/platform"
  count  = var.enable_extra ? 1 : 0

  name = "extra"
  cidr = "10.99.0.0/16"
}

resource "aws_security_group" "peer" {
  name   = "peer"
  vpc_id = module.platform[1].vpc.id

  egress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = [module.platform[0].vpc.cidr_block, module.platform[1].network.cidr]
  }

  tags = {
    subnets = jsonencode(module.platform[0].network.subnet_ids)
    extra   = try(module.extra[0].vpc.id, "none")
  }
}
