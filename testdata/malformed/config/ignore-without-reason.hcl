ignore {
  rule = "PP110"
}
