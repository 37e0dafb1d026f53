resource "aws_iam_role" "retag" {
  name               = "retag"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = {
          Service = "codebuild.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy" "retag" {
  name   = "retag"
  role   = aws_iam_role.retag.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ecr:BatchGetImage", "ecr:PutImage"]
        Resource = "arn:aws:ecr:us-east-1:123456789012:repository/app"
      },
    ]
  })
}
