ignore {
  rule    = "PP110"
  reason  = "reviewed"
  expires = "2027-02-30"
}
