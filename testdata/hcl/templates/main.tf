locals {
  bucket = "prod-us-west-2-starport-layer-bucket"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = "vpc-0123456789abcdef0"
  service_name = "com.amazonaws.us-west-2.s3"
  policy = templatefile("${path.module}/policies/s3.json.tftpl", {
    buckets = [local.bucket, "my-artifacts"]
  })
}

resource "aws_vpc_endpoint" "logs" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.us-west-2.logs"
  vpc_endpoint_type = "Interface"
  policy            = file("${path.module}/policies/logs.json")
}
