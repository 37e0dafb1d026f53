variable "region" {
  description = "AWS region"
  type        = string
}

variable "app_image" {
  description = "Image of the orders API"
  type        = string
}
