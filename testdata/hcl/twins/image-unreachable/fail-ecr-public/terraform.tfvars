app_image = "public.ecr.aws/nginx/nginx:1.27"
