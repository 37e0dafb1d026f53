# 1,000 module instances of 9,999 subnets each: far more than the 500,000 resource instances
# pullpath reads.
module "subnets" {
  source   = "./modules/subnets"
  for_each = toset([for i in range(1000) : tostring(i)])
}
