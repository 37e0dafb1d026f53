ignore {
  rule   = "PP999"
  reason = "reviewed"
}
