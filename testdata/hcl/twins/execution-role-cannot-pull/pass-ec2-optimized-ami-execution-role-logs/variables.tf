variable "app_image" {
  description = "Image of the orders API"
  type        = string
}
