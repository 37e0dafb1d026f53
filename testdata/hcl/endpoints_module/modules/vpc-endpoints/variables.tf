variable "create" {
  type    = bool
  default = true
}

variable "vpc_id" {
  type    = string
  default = null
}

variable "endpoints" {
  description = "Endpoints by key: service or service_name, service_type, and their settings"
  type        = any
  default     = {}
}

variable "security_group_ids" {
  type    = list(string)
  default = []
}

variable "subnet_ids" {
  type    = list(string)
  default = []
}
