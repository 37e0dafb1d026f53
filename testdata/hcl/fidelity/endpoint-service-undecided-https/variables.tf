variable "region" {
  type    = string
  default = "us-west-2"
}

variable "name" {
  type = string
}

variable "cidr" {
  type    = string
  default = "10.20.0.0/16"
}

variable "azs" {
  type    = list(string)
  default = ["us-west-2a", "us-west-2b"]
}

variable "image_tag" {
  type = string
}

variable "interface_services" {
  type = set(string)
}
