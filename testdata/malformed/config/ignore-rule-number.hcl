ignore {
  rule   = ["PP401", 401]
  reason = "reviewed"
}
