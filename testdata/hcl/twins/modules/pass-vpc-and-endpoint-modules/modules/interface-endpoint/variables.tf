variable "region" {
  description = "Region of the endpoint service"
  type        = string
}

variable "service" {
  description = "Service, e.g. ecr.dkr"
  type        = string
}

variable "vpc_id" {
  description = "VPC of the endpoint"
  type        = string
}

variable "subnet_ids" {
  description = "One subnet per availability zone"
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the endpoint's network interfaces"
  type        = list(string)
}
