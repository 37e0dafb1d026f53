mode = var.mode
