resource "aws_iam_user" "publisher" {
  name = "publisher"
}

resource "aws_iam_user_policy" "publish" {
  name   = "publish"
  user   = aws_iam_user.publisher.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "ecr-public:BatchCheckLayerAvailability",
          "ecr-public:InitiateLayerUpload",
          "ecr-public:UploadLayerPart",
          "ecr-public:CompleteLayerUpload",
          "ecr-public:PutImage",
        ]
        Resource = "arn:aws:ecr-public::123456789012:repository/tool"
      },
      {
        Effect   = "Allow"
        Action   = ["ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"]
        Resource = "*"
      },
    ]
  })
}
