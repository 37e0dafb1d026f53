# Issue 16, item 1: whether the ecr.dkr endpoint exists depends on a parameter read at apply.
# If it does not, the tasks (no internet route) cannot pull their images.
data "aws_ssm_parameter" "create_ecr_dkr" {
  name = "/network/create-ecr-dkr-endpoint"
}

resource "aws_vpc_endpoint" "ecr_dkr" {
  count               = data.aws_ssm_parameter.create_ecr_dkr.value == "true" ? 1 : 0
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.${var.region}.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
}
