variable "create" {
  description = "Whether the service is created"
  type        = bool
  default     = true
  nullable    = false
}

output "create" {
  value = var.create
}
