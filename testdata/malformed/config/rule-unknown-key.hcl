rule "PP109" {
  enable = false
}
