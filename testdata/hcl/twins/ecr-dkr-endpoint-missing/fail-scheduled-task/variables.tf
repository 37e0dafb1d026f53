variable "app_image" {
  type = string
}
