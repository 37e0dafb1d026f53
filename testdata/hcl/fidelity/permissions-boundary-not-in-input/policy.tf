resource "aws_iam_role_policy_attachment" "exec" {
  role       = aws_iam_role.x.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}
