# Values for sajonaro/ecs-ec2-ref infrastructure (variables without defaults, vars.tf:2-24).
# IMAGE_URL: the author's own value from locals.tf:24 (local.repository_url, unused by the code).
IMAGE_URL      = "730335574019.dkr.ecr.eu-central-1.amazonaws.com/hello-world-app:894bf5c088377c873deea48a"
S3_BUCKET_NAME = "hwa-s3-mount-example"
region         = "eu-central-1"
dns_name       = "example.com"
