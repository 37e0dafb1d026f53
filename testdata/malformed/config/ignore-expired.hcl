ignore {
  rule    = "PP110"
  reason  = "reviewed"
  expires = "2020-01-01"
}
