rule "PP109" {
  enabled = "no"
}
