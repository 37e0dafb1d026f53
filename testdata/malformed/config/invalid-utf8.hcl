fail_on = "warning"
# café
