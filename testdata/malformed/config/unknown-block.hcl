policy {
  name = "x"
}
