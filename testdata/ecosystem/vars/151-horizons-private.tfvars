# Audit mc, row 151 (given after 150-horizons.tfvars): the two switches the example's comments
# offer, both flipped: no NAT gateway at all, and the optional "VPC endpoints for private
# communication" turned on.
nat_gateway_config = {
  enabled    = false
  single_nat = true
}

vpc_endpoints_enabled = true
