ignore {
  rule     = "PP110"
  resource = ""
  reason   = "reviewed"
}
