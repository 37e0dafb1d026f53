resource "aws_iam_policy" "boundary" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["s3:*", "dynamodb:*"], Resource = "*" }] })
}
resource "aws_iam_role_policy_attachment" "exec" {
  role       = aws_iam_role.x.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
