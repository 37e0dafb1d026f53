resource "aws_iam_role" "task_execution" {
  name               = "orders-task-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = {
          Service = "ecs-tasks.amazonaws.com"
        }
        Action = "sts:AssumeRole"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "task_execution" {
  role       = aws_iam_role.task_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "task_execution_cache" {
  name   = "pull-through-cache"
  role   = aws_iam_role.task_execution.id
  policy = "{\"Statement\":[{\"Action\":[\"ecr:BatchImportUpstreamImage\",\"ecr:CreateRepository\"],\"Effect\":\"Allow\",\"Resource\":\"*\",\"Sid\":\"ImportThroughCache\"}],\"Version\":\"2012-10-17\"}"
}
