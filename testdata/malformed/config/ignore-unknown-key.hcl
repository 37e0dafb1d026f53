ignore {
  rule   = "PP110"
  reason = "reviewed"
  owner  = "platform-team"
}
