# Row 168m (audit vars): the module's required inputs and only the MVP geoprocessing Batch substrate.
image           = "123456789012.dkr.ecr.us-east-1.amazonaws.com/honua-server:latest"
admin_password  = "placeholder-not-a-secret"
enable_gp_batch = true
