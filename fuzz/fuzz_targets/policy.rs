//! The policy parser and evaluator: any text is a policy or an error; evaluation of every
//! request the rules make never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pullpath::policy::{evaluate, requests, KeyState, Policy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(policy) = Policy::parse_str(text) else { return };
    let vpc = KeyState::known("vpc-0123456789abcdef0");
    let vpce = KeyState::unknown("not known");
    if let Some(r) = requests::starport_layer_download("us-west-2", "aws", vpc.clone(), vpce.clone()) {
        let _ = evaluate(&policy, &r);
    }
    let principal = requests::pulling_principal(Some("arn:aws:iam::123456789012:role/exec"));
    for r in requests::ecr_pull_requests(&principal, "us-west-2", Some("arn:aws:ecr:us-west-2:123456789012:repository/app"), &vpc, &vpce) {
        let _ = evaluate(&policy, &r);
    }
    for r in requests::logs_write_requests(&principal, "us-west-2", Some("arn:aws:logs:us-west-2:123456789012:log-group:/ecs/app"), true, &vpc, &vpce) {
        let _ = evaluate(&policy, &r);
    }
    let _ = pullpath::policy::fix::fix_starport_policy(&serde_json::from_str(text).unwrap_or_default(), "us-west-2", "aws", vpc, vpce);
});
