# Issue 16, item 1: whether this policy exists is not decided (`restrict` has no value). If it
# exists, it replaces the endpoint's own policy and no longer lets the layer bucket through.
variable "restrict" {
  type        = bool
  description = "Limit the S3 gateway endpoint to the team's own buckets"
}

resource "aws_vpc_endpoint_policy" "s3" {
  count           = var.restrict ? 1 : 0
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "OwnBucketsOnly"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["s3:GetObject", "s3:PutObject"]
        Resource  = ["arn:aws:s3:::${var.name}-artifacts/*"]
      },
    ]
  })
}
