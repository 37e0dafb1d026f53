use serde_json::Value as Json;

use super::analysis::{Scope, ScopeKind};
use super::{declare_rule, Finding, Hop};
use crate::graph::*;
use crate::policy::is_unknown;

declare_rule! {
    /// ## What it does
    /// Checks every VPC endpoint policy of the input against the restrictions AWS applies to
    /// endpoint policies, which make the create or update of the endpoint fail:
    /// - the document must not exceed 20,480 characters, white space included;
    /// - each statement must have a `Principal`;
    /// - no wildcard (`*`, `?`) and no numeric condition operator with a global condition key
    ///   that holds a system-generated identifier (`aws:PrincipalAccount`, `aws:SourceVpc`,
    ///   `aws:SourceVpce`, `aws:SourceAccount`, `aws:ResourceAccount`, `aws:VpceAccount`, and the
    ///   organization ids `aws:PrincipalOrgID`, `aws:ResourceOrgID`, `aws:SourceOrgID`);
    /// - with a string condition operator (`StringLike`, `StringNotLike`), at least six
    ///   consecutive characters before or after each wildcard;
    /// - the account part of an ARN in `Resource` or in a condition is an account id or a
    ///   wildcard, not both (`arn:aws:ecr:us-west-2:1234*:repository/app`).
    ///
    /// ## Why is this bad?
    /// `terraform plan` accepts any JSON; the error comes at apply, when AWS validates the
    /// endpoint policy, and leaves the endpoint (or the change to it) not applied, often in the
    /// middle of a larger change.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_endpoint" "s3" {
    ///   vpc_id       = aws_vpc.main.id
    ///   service_name = "com.amazonaws.us-west-2.s3"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = "s3:GetObject"
    ///       Resource  = "*"
    ///       Condition = { StringLike = { "aws:SourceVpc" = "vpc-*" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Name the identifiers exactly (`StringEquals` with the VPC's or endpoint's id), keep the
    /// document under 20,480 characters, and give every statement a `Principal`:
    /// ```hcl
    /// resource "aws_vpc_endpoint" "s3" {
    ///   vpc_id       = aws_vpc.main.id
    ///   service_name = "com.amazonaws.us-west-2.s3"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = "s3:GetObject"
    ///       Resource  = "*"
    ///       Condition = { StringEquals = { "aws:SourceVpc" = aws_vpc.main.id } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - AWS PrivateLink Guide: "Control access to VPC endpoints using endpoint policies",
    ///   Considerations
    ///   (<https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html>)
    pub static RULE = {
        code: "PP409",
        name: "endpoint-policy-rejected",
        severity: Error,
        summary: "an endpoint policy that AWS refuses when it is applied (wildcards or numeric operators on aws:SourceVpc, aws:SourceVpce, aws:PrincipalAccount…; over 20,480 characters)",
        check: check,
    }
}

/// "The size of an endpoint policy cannot exceed 20,480 characters, including white space."
const MAX_CHARS: usize = 20_480;

/// Global condition keys whose values are identifiers AWS generates (accounts, VPCs, VPC
/// endpoints, organizations): "You can't use wildcard characters (* or ?) or numeric condition
/// operators with global context keys that reference system-generated identifiers (for example,
/// aws:PrincipalAccount or aws:SourceVpc)."
const SYSTEM_ID_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceaccount",
    "aws:resourceaccount",
    "aws:vpceaccount",
    "aws:principalorgid",
    "aws:resourceorgid",
    "aws:sourceorgid",
];

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let net = scope.net;
    // Each endpoint once: in its workload VPC, or (any other) in the global scope.
    let endpoints: Vec<EndpointIdx> = match scope.kind {
        ScopeKind::Vpc(v) => net.vpcs[v].endpoints.clone(),
        ScopeKind::Global => (0..net.endpoints.len())
            .filter(|&e| match net.endpoints[e].vpc {
                Fact::Known(v) => net.vpcs[v].workloads.is_empty(),
                Fact::Unknown(_) => true,
            })
            .collect(),
        ScopeKind::Unplaced => return,
    };
    for e in endpoints {
        let ep = &net.endpoints[e];
        let EndpointPolicy::Document(d) = &ep.policy else {
            continue;
        };
        let (json, source) = (&d.json, &d.source);
        let (problems, unsure) = violations(json, ep.policy_chars);
        let (first, verdict_fail) = match (problems.first(), unsure.first()) {
            (Some(p), _) => (p, true),
            (None, Some(u)) => (u, false),
            (None, None) => continue,
        };
        let count = if verdict_fail {
            problems.len()
        } else {
            unsure.len()
        };
        let more = match count {
            0 | 1 => String::new(),
            2 => " (and 1 more problem)".to_string(),
            n => format!(" (and {} more problems)", n - 1),
        };
        let (first, fix) = (&first.0, first.1);
        let message = if verdict_fail {
            format!(
                "AWS rejects the policy of {} when it is applied: {first}{more}",
                ep.node.name()
            )
        } else {
            format!(
                "AWS may reject the policy of {} when it is applied: {first}{more}",
                ep.node.name()
            )
        };
        let finding = if verdict_fail {
            Finding::fail(&RULE, ep.node.name(), message)
        } else {
            Finding::unknown(&RULE, ep.node.name(), message)
        };
        let mut path = Vec::new();
        if let Fact::Known(v) = ep.vpc {
            path.push(Hop::Vpc(net.vpcs[v].node.name()));
        }
        path.push(Hop::Endpoint(ep.node.name()));
        if source.name() != ep.node.name() {
            path.push(Hop::Document(source.name()));
        }
        out.push(
            finding
                .with_path(path)
                .with_fix(fix)
                .at(source.location.clone(), source.input),
        );
    }
}

/// One restriction a document breaks, and how to keep it.
type Problem = (String, &'static str);

const FIX_SIZE: &str = "keep the document under 20,480 characters: merge statements, use wildcards in resource ARNs (`arn:aws:s3:::orders-reports-archive-*/*`), or move access control to bucket policies";
const FIX_PRINCIPAL: &str =
    "give the statement a Principal (`Principal = \"*\"`, or the principals it is for)";
const FIX_SYSTEM_KEY: &str = "name the identifiers exactly: StringEquals with the VPC's, endpoint's, account's or organization's id (a list of them, if several), without * or ? and without a numeric operator";
const FIX_SHORT_WILDCARD: &str = "write at least six characters before or after each wildcard of the StringLike value (`arn:aws:iam::123456789012:role/orders-*`, not `ord*`)";
const FIX_ACCOUNT: &str = "write the account part of the ARN as an account id or as `*`, not a mix";

/// What AWS rejects in a document (decided), and what it may reject (a part not known before
/// apply).
fn violations(doc: &Json, chars: Option<usize>) -> (Vec<Problem>, Vec<Problem>) {
    let mut bad = Vec::new();
    let mut unsure = Vec::new();
    // Size: the text as written, else as `jsonencode` writes it (compact JSON; `<`, `>`, `&`
    // escaped as \u003c…).
    let markers = count_markers(doc);
    let size = chars.unwrap_or_else(|| jsonencode_chars(doc));
    if size > MAX_CHARS {
        bad.push((
            format!("it is {size} characters long, over the limit of {MAX_CHARS}"),
            FIX_SIZE,
        ));
    } else if markers > 0 && chars.is_none() && size + 256 * markers > MAX_CHARS {
        unsure.push((
            format!("it is about {size} characters long with {markers} part(s) known only after apply, near the limit of {MAX_CHARS}"),
            FIX_SIZE,
        ));
    }
    let statements: Vec<&Json> = match doc.get("Statement") {
        Some(Json::Array(items)) => items.iter().collect(),
        Some(s @ Json::Object(_)) => vec![s],
        _ => Vec::new(),
    };
    for (i, st) in statements.iter().enumerate() {
        let name = st
            .get("Sid")
            .and_then(Json::as_str)
            .map_or_else(|| format!("Statement[{i}]"), |s| format!("statement {s:?}"));
        if st.get("Principal").is_none() && st.get("NotPrincipal").is_none() {
            bad.push((
                format!("{name} has no Principal, which an endpoint policy must have"),
                FIX_PRINCIPAL,
            ));
        }
        for key in ["Resource", "NotResource"] {
            for value in strings(st.get(key)) {
                if let Some(why) = mixed_account(value) {
                    bad.push((format!("{name}: {key} {value:?} {why}"), FIX_ACCOUNT));
                }
            }
        }
        let Some(Json::Object(conditions)) = st.get("Condition") else {
            continue;
        };
        for (operator, block) in conditions {
            let base = operator
                .trim_start_matches("ForAllValues:")
                .trim_start_matches("ForAnyValue:");
            let base = base.strip_suffix("IfExists").unwrap_or(base);
            let Json::Object(keys) = block else { continue };
            for (key, values) in keys {
                let system = SYSTEM_ID_KEYS.contains(&key.to_ascii_lowercase().as_str());
                if system && base.starts_with("Numeric") {
                    bad.push((
                        format!("{name} uses the numeric operator {operator} with {key}, which holds a system-generated identifier"),
                        FIX_SYSTEM_KEY,
                    ));
                }
                for value in strings(Some(values)) {
                    let known = strip_markers(value);
                    if system && known.contains(['*', '?']) {
                        bad.push((
                            format!(
                                "{name}: {operator} {key} {value:?} uses a wildcard with a key that holds a system-generated identifier",
                                value = crate::policy::display_unknowns(value)
                            ),
                            FIX_SYSTEM_KEY,
                        ));
                    }
                    if base.eq_ignore_ascii_case("StringLike")
                        || base.eq_ignore_ascii_case("StringNotLike")
                    {
                        if let Some(short) = short_wildcard(value) {
                            bad.push((
                                format!(
                                    "{name}: {operator} {key} {:?} has {short}; a string condition needs at least six consecutive characters before or after each wildcard",
                                    crate::policy::display_unknowns(value)
                                ),
                                FIX_SHORT_WILDCARD,
                            ));
                        }
                    }
                    if let Some(why) = mixed_account(value) {
                        bad.push((
                            format!("{name}: {operator} {key} {value:?} {why}"),
                            FIX_ACCOUNT,
                        ));
                    }
                }
            }
        }
    }
    (bad, unsure)
}

/// The strings of a policy element: one string or an array of them.
fn strings(v: Option<&Json>) -> Vec<&str> {
    match v {
        Some(Json::String(s)) => vec![s.as_str()],
        Some(Json::Array(items)) => items.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The text of a value without its parts known only after apply.
fn strip_markers(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '\u{1}' => inside = true,
            '\u{2}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// A wildcard with fewer than six consecutive characters on both sides (a part known only after
/// apply counts as long enough: it is an ARN or an id).
fn short_wildcard(value: &str) -> Option<String> {
    // Runs of non-wildcard characters between wildcards; a marker is a long run.
    let mut runs: Vec<(usize, bool)> = vec![(0, false)]; // (length, holds a marker)
    let mut wildcards = Vec::new();
    let mut inside = false;
    for c in value.chars() {
        match c {
            '\u{1}' => {
                inside = true;
                if let Some(r) = runs.last_mut() {
                    r.1 = true;
                }
            }
            '\u{2}' => inside = false,
            _ if inside => {}
            '*' | '?' => {
                wildcards.push(c);
                runs.push((0, false));
            }
            _ => {
                if let Some(r) = runs.last_mut() {
                    r.0 += 1;
                }
            }
        }
    }
    let long = |r: &(usize, bool)| r.0 >= 6 || r.1;
    for (i, w) in wildcards.iter().enumerate() {
        if !long(&runs[i]) && !long(&runs[i + 1]) {
            return Some(format!(
                "a {w:?} with {} character(s) before it and {} after it",
                runs[i].0,
                runs[i + 1].0
            ));
        }
    }
    None
}

/// An ARN whose account part mixes an account id and a wildcard.
fn mixed_account(value: &str) -> Option<String> {
    if !value.starts_with("arn:") || is_unknown(value) {
        return None;
    }
    let account = value.split(':').nth(4)?;
    let wild = account.contains(['*', '?']);
    let other = account.chars().any(|c| c != '*' && c != '?');
    (wild && other).then(|| {
        format!("mixes an account id and a wildcard in its account part ({account:?}): it must be one or the other")
    })
}

fn count_markers(v: &Json) -> usize {
    match v {
        Json::String(s) => s.matches('\u{1}').count(),
        Json::Array(items) => items.iter().map(count_markers).sum(),
        Json::Object(o) => o
            .iter()
            .map(|(k, x)| k.matches('\u{1}').count() + count_markers(x))
            .sum(),
        _ => 0,
    }
}

/// The length of `jsonencode(doc)`: compact JSON, with `<`, `>` and `&` escaped (six characters
/// each), parts known only after apply counted as nothing.
fn jsonencode_chars(doc: &Json) -> usize {
    let text = serde_json::to_string(doc).unwrap_or_default();
    let text = strip_markers(&text);
    text.chars().count() + 5 * text.matches(['<', '>', '&']).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::*;

    fn s3_with_condition(condition: &str) -> String {
        S3_GATEWAY.replace(
            "  route_table_ids   = [aws_route_table.private.id]\n",
            &format!(
                r#"  route_table_ids   = [aws_route_table.private.id]
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*"
      Condition = {condition}
    }}]
  }})
"#
            ),
        )
    }

    fn run(s3: &str) -> Vec<Finding> {
        check_hcl(&[("main.tf", &private_fargate(&[s3, ECR_API, ECR_DKR, LOGS]))])
    }

    #[test]
    fn complete_private_fargate_passes() {
        let found = check_hcl(&[("main.tf", &private_fargate(ALL_ENDPOINTS))]);
        assert_eq!(verdicts_of("PP409", &found), []);
    }

    #[test]
    fn wildcard_on_source_vpc_fails() {
        let found = run(&s3_with_condition(
            r#"{ StringLike = { "aws:SourceVpc" = "vpc-*" } }"#,
        ));
        assert_eq!(
            verdicts_of("PP409", &found),
            [("PP409", "fail", "aws_vpc_endpoint.s3".into())]
        );
    }

    #[test]
    fn numeric_operator_on_principal_account_fails() {
        let found = run(&s3_with_condition(
            r#"{ NumericEquals = { "aws:PrincipalAccount" = "111122223333" } }"#,
        ));
        assert_eq!(
            verdicts_of("PP409", &found),
            [("PP409", "fail", "aws_vpc_endpoint.s3".into())]
        );
    }

    #[test]
    fn exact_source_vpc_passes() {
        let found = run(&s3_with_condition(
            r#"{ StringEquals = { "aws:SourceVpc" = aws_vpc.main.id } }"#,
        ));
        assert_eq!(verdicts_of("PP409", &found), []);
    }

    #[test]
    fn document_checks() {
        let doc = |v: serde_json::Value| -> Vec<String> {
            violations(&v, None).0.into_iter().map(|p| p.0).collect()
        };
        let ok = serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]});
        assert!(doc(ok).is_empty());
        let no_principal =
            serde_json::json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}});
        assert_eq!(doc(no_principal).len(), 1);
        let short = serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
            "Condition": {"StringLike": {"aws:PrincipalArn": "ab*"}}}]});
        assert_eq!(doc(short).len(), 1);
        let long = serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
            "Condition": {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/ecs-*"}}}]});
        assert!(doc(long).is_empty());
        let mixed = serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*",
            "Resource": "arn:aws:ecr:us-west-2:1234*:repository/app"}]});
        assert_eq!(doc(mixed).len(), 1);
        let big = serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*",
            "Resource": (0..800).map(|i| format!("arn:aws:s3:::bucket-number-{i}/*")).collect::<Vec<_>>()}]});
        assert!(doc(big)[0].contains("characters long"));
        // The text as written counts, white space included.
        let small = serde_json::json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]});
        assert_eq!(violations(&small, Some(20_481)).0.len(), 1);
        assert!(violations(&small, Some(20_480)).0.is_empty());
    }
}
