# Which Interface endpoints exist is a variable without a value: each may be one the service
# needs, so what blocks HTTPS to them is not decided (never silently passed).
locals {
  interface_services = var.interface_services
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = toset(local.interface_services)
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.${var.region}.${each.value}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  security_group_ids  = [aws_security_group.endpoints.id]

  policy = each.value == "logs" ? local.logs_policy : null
}

resource "aws_vpc_endpoint_subnet_association" "interface" {
  for_each        = { for pair in setproduct(local.interface_services, range(length(var.azs))) : "${pair[0]}-${pair[1]}" => pair }
  vpc_endpoint_id = aws_vpc_endpoint.interface[each.value[0]].id
  subnet_id       = aws_subnet.private[each.value[1]].id
}

# The layer bucket must stay reachable through the gateway endpoint.
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.${data.aws_region.current.name}.s3"

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "LayerBucket"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["s3:GetObject"]
        Resource  = ["arn:${data.aws_partition.current.partition}:s3:::prod-${var.region}-starport-layer-bucket/*"]
      },
    ]
  })
}

resource "aws_vpc_endpoint_route_table_association" "s3" {
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  route_table_id  = aws_route_table.private.id
}

resource "aws_vpc_endpoint" "secrets" {
  vpc_id              = aws_vpc.main.id
  service_name        = data.aws_vpc_endpoint_service.secrets.service_name
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  policy              = data.aws_iam_policy_document.secrets.json
}

data "aws_region" "current" {}

data "aws_partition" "current" {}

data "aws_vpc_endpoint_service" "secrets" {
  service = "secretsmanager"
}

data "aws_iam_policy_document" "secrets" {
  statement {
    sid       = "ReadFromVpc"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceVpc"
      values   = [aws_vpc.main.id]
    }
  }
}

locals {
  logs_policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Principal": "*",
          "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
          "Resource": "*"
        }
      ]
    }
  EOT
}
