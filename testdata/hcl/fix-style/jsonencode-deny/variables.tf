variable "account_id" {
  type = string
}

variable "app_image" {
  description = "Image of the orders API"
  type        = string
}
