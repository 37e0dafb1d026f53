app_image = "111122223333.dkr.ecr.us-west-2.amazonaws.com/docker-hub/library/nginx:1.27"
