variable "app_image" {
  description = "Image of the orders API"
  type        = string
}

variable "environment" {
  description = "Deployment environment (no value is given: the role's name is not decided)"
  type        = string
}
