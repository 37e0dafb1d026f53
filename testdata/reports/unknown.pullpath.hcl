# The configuration of the report run with unknown verdicts and suppressions (tests/reports.rs,
# which fixes today at 2026-01-01 with PULLPATH_TODAY).
unknown = "warn"

# Applies: the logs endpoint policy names the log group that this plan creates.
ignore {
  rule     = "logs-policy-blocks-logging"
  resource = "aws_vpc_endpoint.app_*"
  reason   = "the policy names the log group this plan creates; reviewed in PR #118"
  expires  = "2026-06-30"
}

# Expired: stops applying, and says so.
ignore {
  rule     = "PP105"
  resource = "aws_vpc.app"
  reason   = "secrets arrive with the next release"
  expires  = "2025-12-31"
}

# No reason: does not apply, and is reported.
ignore {
  rule = "PP501"
}

# Matches nothing: reported as PP902.
ignore {
  rule     = ["PP110", "PP109"]
  resource = "module.network.*"
  reason   = "NAT traffic is negligible here"
}
