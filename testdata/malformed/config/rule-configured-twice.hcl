rule "PP109" {
  enabled = false
}

rule "endpoint-az-coverage" {
  severity = "note"
}
