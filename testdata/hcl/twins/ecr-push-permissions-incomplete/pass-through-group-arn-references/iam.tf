resource "aws_iam_user" "bot" {
  name = "bot"
}

resource "aws_iam_group" "pushers" {
  name = "pushers"
}

resource "aws_iam_group_membership" "pushers" {
  name  = "pushers"
  group = aws_iam_group.pushers.name
  users = [aws_iam_user.bot.name]
}

resource "aws_iam_group_policy" "layers" {
  name   = "layers"
  group  = aws_iam_group.pushers.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Effect = "Allow"
        Action = [
          "ecr:BatchCheckLayerAvailability",
          "ecr:InitiateLayerUpload",
          "ecr:UploadLayerPart",
          "ecr:CompleteLayerUpload",
          "ecr:PutImage",
        ]
        Resource = aws_ecr_repository.app.arn
      },
    ]
  })
}

resource "aws_iam_user_policy" "token" {
  name   = "token"
  user   = aws_iam_user.bot.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = "*"
      },
    ]
  })
}
