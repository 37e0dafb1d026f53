ignore {
  resource = "aws_vpc_endpoint.s3"
  reason   = "reviewed"
}
