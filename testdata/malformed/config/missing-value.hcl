fail_on = 
mode = "strict"
