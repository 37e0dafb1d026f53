subnet_cidr = "10.0.1.0/24
