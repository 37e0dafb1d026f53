ignore {
  rule    = "PP110"
  reason  = "reviewed"
  expires = "30/06/2027"
}
