variable "vpc_id" {}
variable "subnet_id" {}
variable "sg_id" {}
resource "aws_vpc_endpoint" "this" {
  vpc_id              = var.vpc_id
  service_name        = "com.amazonaws.eu-west-1.logs"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [var.subnet_id]
  security_group_ids  = [var.sg_id]
}
output "id" { value = aws_vpc_endpoint.this.id }
