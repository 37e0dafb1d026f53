variable "batch_execution_role_arn" {
  type = string
}
