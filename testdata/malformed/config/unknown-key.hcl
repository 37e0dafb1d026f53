fail_on = "warning"
fail_onn = "note"
