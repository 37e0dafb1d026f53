variable "image_tag" {
  type    = string
  default = "1.42.0"
}
