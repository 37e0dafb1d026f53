subnet_cidr = "10.0.1.0/24"
subnet_cidr "10.0.2.0/24"
