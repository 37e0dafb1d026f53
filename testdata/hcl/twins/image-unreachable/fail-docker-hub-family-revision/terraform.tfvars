app_image = "nginx:1.27"
