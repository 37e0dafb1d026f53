fail_on = 1
