rule "PP999" {
  enabled = false
}
