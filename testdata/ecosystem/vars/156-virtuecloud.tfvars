# Values for virtuecloud/ECS-EC2-ClusterASG (variable.tf: no defaults, no tfvars in the repository).
# Written by the audit; none of them changes the network shape (private subnets behind one NAT).
cluster_name              = "ecs-ec2-demo"
region                    = "us-east-1"
vpc_name                  = "ecs-ec2-demo"
vpc_cidr                  = "10.0.0.0/16"
container_name            = "web"
container_port            = 80
desired_max_size          = 2
desired_size              = 1
desired_min_size          = 1
target_cpu_usage          = 80
minimum_scaling_step_size = 1
maximum_scaling_step_size = 2
