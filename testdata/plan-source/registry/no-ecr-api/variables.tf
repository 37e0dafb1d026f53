variable "region" {
  description = "AWS region"
  type        = string
}

variable "app_image" {
  description = "Image of the orders API"
  type        = string
}

variable "app_bucket" {
  description = "The application's bucket"
  type        = string
}
