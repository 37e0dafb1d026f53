batch_execution_role_arn = "arn:aws:iam::111122223333:role/reports-batch-execution"
