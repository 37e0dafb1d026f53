resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-west-2.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.private.id]
  policy            = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Sid       = "AppBucketOnly"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]
        Resource  = ["arn:aws:s3:::acme-reports-prod", "arn:aws:s3:::acme-reports-prod/*"]
      },
    ]
  })
  tags = {
    Name = "s3"
  }
}
