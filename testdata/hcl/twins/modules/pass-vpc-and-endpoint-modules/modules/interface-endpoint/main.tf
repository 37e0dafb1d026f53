# One Interface endpoint with private DNS.
resource "aws_vpc_endpoint" "this" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.${var.region}.${var.service}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = var.subnet_ids
  security_group_ids  = var.security_group_ids

  tags = {
    Name = var.service
  }
}

output "id" {
  value = aws_vpc_endpoint.this.id
}
