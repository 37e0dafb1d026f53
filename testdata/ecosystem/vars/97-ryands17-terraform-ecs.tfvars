# Values from the repository README's example (terraform/README "Usually these go in the
# `terraform.tfvars` file"), placeholders made concrete. *.tfvars is git-ignored upstream.
aws_region         = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]
ecs_cluster        = "node-simple"
vpc = {
  "vpc_name"                    = "node-vpc"
  "cidr_block"                  = "10.0.0.0/16"
  "cidr_blocks"                 = ["10.0.1.0/24", "10.0.2.0/24", "10.0.11.0/24", "10.0.12.0/24"]
  "internet_gateway_name"       = "node-igw"
  "elastic_ip_name"             = "node-eip"
  "nat_gateway"                 = "node-nat"
  "public_subnet_names"         = ["public-1", "public-2"]
  "private_subnet_names"        = ["private-1", "private-2"]
  "public_route_table_name"     = "public-rt"
  "private_route_table_name"    = "private-rt"
  "public_security_group_name"  = "public-sg"
  "private_security_group_name" = "private-sg"
}
launch_config = {
  "name"                  = "node-lc"
  "image_id"              = "ami-0123456789abcdef0"
  "instance_type"         = "t2.micro"
  "public_ip"             = "false"
  "root_volume_size"      = 30
  "delete_on_termination" = true
}
auto_scaling = {
  "name"                  = "node-asg"
  "maximum_instance_size" = 3
  "minimum_instance_size" = 2
  "desired_capacity"      = 2
  "health_check_type"     = "ELB"
}
task_definition = {
  "family"     = "node-simple"
  "image_name" = "123456789012.dkr.ecr.us-east-1.amazonaws.com/node-simple:latest"
  "name"       = "node-simple"
  "essential"  = true
  "memory"     = 256
}
ecs_service = {
  "name"               = "node-simple"
  "min_health_percent" = 50
  "max_health_percent" = 200
  "load_balancer_port" = 80
}
load_balancer = {
  "name"         = "node-alb"
  "idle_timeout" = 300
  "port"         = 80
  "protocol"     = "HTTP"
  "type"         = "forward"
}
health_check = {
  "healthy_threshold"   = "5"
  "unhealthy_threshold" = "3"
  "interval"            = "60"
  "matcher"             = "200"
  "path"                = "/"
  "port"                = "traffic-port"
  "protocol"            = "HTTP"
  "timeout"             = "10"
}
target_group = {
  "name"     = "node-tg"
  "port"     = 80
  "protocol" = "HTTP"
}
