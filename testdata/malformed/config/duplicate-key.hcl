mode = "strict"
mode = "reachability"
