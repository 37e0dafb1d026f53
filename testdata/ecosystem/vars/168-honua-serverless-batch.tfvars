# Row 168 (audit vars, not from the repository): the module's two required inputs, and the three
# Batch substrates it keeps off by default switched on, with the KMS-encrypted custom-code repository.
image                              = "123456789012.dkr.ecr.us-east-1.amazonaws.com/honua-server:latest"
admin_password                     = "placeholder-not-a-secret"
enable_gp_batch                    = true
enable_customcode_batch            = true
enable_customcode_egress_isolation = true
create_worker_customcode_repo      = true
