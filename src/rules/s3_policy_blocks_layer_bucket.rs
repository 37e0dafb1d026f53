use super::analysis::{Reach, Scope, Service};
use super::{declare_rule, fixes, policy_style, Finding, Hop};
use crate::graph::*;
use crate::policy::{self, evaluate, requests, Decision};

declare_rule! {
    /// ## What it does
    /// Evaluates the policy of the S3 gateway endpoint on the workloads' route tables for the
    /// request ECR's image layer download makes: `s3:GetObject` on
    /// `arn:aws:s3:::prod-<region>-starport-layer-bucket/*`, with a presigned URL from an
    /// AWS-owned account. The policy must allow it for `Principal: "*"`. In GovCloud and China
    /// the bucket's name is not documented: a policy that allows no AWS-owned bucket at all
    /// (only the application's bucket, say) fails there too; one whose outcome depends on the
    /// name is unknown.
    ///
    /// ## Why is this bad?
    /// ECR serves layers from an AWS-owned bucket. A policy that allows only the application's
    /// bucket, or conditions its Allow on your own account or organization
    /// (`aws:PrincipalAccount`, `aws:ResourceAccount`, `aws:PrincipalOrgID`, …), or names a
    /// specific principal, denies the layer download, and tasks fail with
    /// `CannotPullContainerError … no VPC endpoint policy allows the s3:GetObject action`.
    /// This fails **even with a NAT gateway**: the endpoint's prefix-list route is more specific
    /// than `0.0.0.0/0`, so all S3 traffic of those subnets goes through the endpoint.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_vpc_endpoint" "s3" {
    ///   vpc_id            = aws_vpc.main.id
    ///   service_name      = "com.amazonaws.us-west-2.s3"
    ///   vpc_endpoint_type = "Gateway"
    ///   route_table_ids   = [aws_route_table.private.id]
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = "s3:*"
    ///       Resource  = ["arn:aws:s3:::my-app-bucket", "arn:aws:s3:::my-app-bucket/*"]
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## How to fix
    /// Add a statement for the layer bucket of the VPC's region (pullpath prints the whole
    /// corrected policy):
    /// ```hcl
    /// resource "aws_vpc_endpoint_policy" "s3" {
    ///   vpc_endpoint_id = aws_vpc_endpoint.s3.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [
    ///       {
    ///         Effect    = "Allow"
    ///         Principal = "*"
    ///         Action    = "s3:*"
    ///         Resource  = ["arn:aws:s3:::my-app-bucket", "arn:aws:s3:::my-app-bucket/*"]
    ///       },
    ///       {
    ///         Sid       = "AllowEcrImageLayers"
    ///         Effect    = "Allow"
    ///         Principal = "*"
    ///         Action    = "s3:GetObject"
    ///         Resource  = "arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*"
    ///       }
    ///     ]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - Amazon ECR User Guide: "Amazon ECR interface VPC endpoints (AWS PrivateLink)",
    ///   "Minimum Amazon S3 bucket permissions for Amazon ECR"
    /// - Amazon VPC User Guide: "Route priority" (longest prefix match)
    /// - aws-samples/data-perimeter-policy-examples (endpoint policies that keep ECR working)
    pub static RULE = {
        code: "PP401",
        name: "s3-policy-blocks-layer-bucket",
        severity: Error,
        summary: "the S3 gateway endpoint policy does not allow s3:GetObject on the ECR layer bucket for Principal * (checked even with NAT: the endpoint route wins)",
        check: check,
    }
}

fn check(scope: &Scope<'_>, out: &mut Vec<Finding>) {
    let Some(v) = scope.vpc() else { return };
    let net = scope.net;
    let (gateways, _) = scope.endpoints_for(Service::S3);
    // Endpoints that may be the S3 gateway (their service or their type is not decided, as
    // when a module looks the service name up through a data source that may not exist): a
    // policy that would block the layer bucket there is an unknown verdict, never nothing.
    let maybe_s3: Vec<(EndpointIdx, String)> = net.vpcs[v]
        .endpoints
        .iter()
        .filter_map(|&e| {
            let ep = &net.endpoints[e];
            match (&ep.service, &ep.kind) {
                (Fact::Unknown(why), Fact::Known(EndpointKind::Gateway) | Fact::Unknown(_)) => {
                    Some((
                        e,
                        format!("the service of {} is not known ({why})", ep.node.name()),
                    ))
                }
                (Fact::Known(s), Fact::Unknown(why)) if s.pull == Some(Service::S3) => Some((
                    e,
                    format!("the type of {} is not known ({why})", ep.node.name()),
                )),
                _ => None,
            }
        })
        .collect();
    let candidates = gateways
        .into_iter()
        .map(|e| (e, None))
        .chain(maybe_s3.into_iter().map(|(e, why)| (e, Some(why))));
    for (e, uncertain) in candidates {
        let ep = &net.endpoints[e];
        // Which workloads' S3 traffic goes through this endpoint.
        let mut on_path = None;
        let mut maybe_path = None;
        for f in &scope.workloads {
            let w = scope.workload(f);
            if !f.needs.iter().any(|(s, _)| *s == Service::S3) {
                continue;
            }
            for &s in &w.subnets {
                match &net.subnets[s].route_table {
                    Fact::Known(t) if ep.route_tables.contains(t) => {
                        on_path.get_or_insert(f);
                    }
                    Fact::Known(_) if ep.route_tables_unknown.is_some() => {
                        maybe_path.get_or_insert(f);
                    }
                    Fact::Known(_) => {}
                    Fact::Unknown(_) => {
                        maybe_path.get_or_insert(f);
                    }
                }
            }
        }
        let Some(f) = on_path.or(maybe_path) else {
            continue;
        };
        let certain_path = on_path.is_some();
        let w = scope.workload(f);
        let mut path = scope.workload_path(f);
        path.push(Hop::Endpoint(ep.node.name()));
        // The policy is what is at fault: its `policy` attribute.
        let at = ep.policy_location();
        let nat_note = match &f.reach {
            Reach::Internet { nat: true, .. } => " The endpoint's route to S3 is more specific than the NAT gateway's 0.0.0.0/0, so the NAT gateway does not help.",
            _ => "",
        };
        let (region, partition) = (scope.region(), scope.partition());
        let finding = match &ep.policy {
            EndpointPolicy::Default => continue,
            EndpointPolicy::Unknown(why) => Finding::unknown(&RULE, ep.node.name(), format!("the policy of {} is not known before apply ({why}); it must allow s3:GetObject on the ECR layer bucket", ep.node.name())),
            EndpointPolicy::Invalid { error, source } => {
                path.push(Hop::Document(source.name()));
                Finding::fail(&RULE, ep.node.name(), format!("the policy of {} cannot be read: {error}; AWS rejects it, and the ECR layer bucket is not allowed", ep.node.name()))
            }
            EndpointPolicy::Document(d) => {
                let PolicyDocument {
                    json,
                    policy: parsed,
                    source,
                    style,
                } = &**d;
                let Some(region) = region else {
                    out.push(Finding::unknown(&RULE, ep.node.name(), format!("the region of {} is not known, so the ECR layer bucket's name is not either (set --region)", net.vpc_name(v))).with_workload(Some(w.node.name())).with_path(path).at(ep.node.location.clone(), ep.node.input));
                    continue;
                };
                let (vpc_key, vpce_key) = scope.source_keys(e);
                let doc = match parsed {
                    Ok(d) => d,
                    Err(err) => {
                        out.push(Finding::fail(&RULE, ep.node.name(), format!("the policy of {} is not a valid policy document ({err}); AWS rejects it", ep.node.name())).with_workload(Some(w.node.name())).with_path(path).at(at.0.clone(), at.1));
                        continue;
                    }
                };
                let Some(request) = requests::starport_layer_download(region, partition, vpc_key.clone(), vpce_key.clone()) else {
                    // The bucket's name is not documented in this partition (DOMAIN.md §3).
                    let names = undocumented_bucket_names(region);
                    let evals: Vec<_> = names
                        .iter()
                        .filter_map(|name| {
                            let mut r = requests::starport_layer_download(region, "aws", vpc_key.clone(), vpce_key.clone())?;
                            r.resource = crate::policy::ResourceSpec::Prefix(format!("arn:{partition}:s3:::{name}/"));
                            Some(evaluate(doc, &r))
                        })
                        .collect();
                    let denied = |d: &Decision| matches!(d, Decision::ImplicitDeny | Decision::ExplicitDeny);
                    let all_allow = evals.iter().all(|x| x.decision == Decision::Allow);
                    let all_deny = evals.iter().all(|x| denied(&x.decision));
                    let guessed = json.to_string().to_ascii_lowercase().contains("starport");
                    let statements: Vec<String> = evals.iter().flat_map(|x| x.deciding.iter().map(|s| s.to_string())).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
                    path.push(Hop::Policy { source: source.name(), statements });
                    let finding = if all_allow {
                        continue;
                    } else if all_deny && !guessed {
                        Finding::fail(&RULE, ep.node.name(), format!("the policy of {} allows s3:GetObject on no AWS-owned bucket, whatever the name of ECR's layer bucket in partition {partition} (not documented) is: no statement allows the presigned request ECR makes for Principal \"*\" on a bucket other than those it names.{nat_note}", ep.node.name())).with_fix(format!("allow s3:GetObject for Principal \"*\" on ECR's layer bucket of {region} in the policy of {} (its name in {partition} is not documented: AWS Support can confirm it; `arn:{partition}:s3:::*/*` allows it whatever it is)", ep.node.name()))
                    } else {
                        Finding::unknown(&RULE, ep.node.name(), format!("the name of ECR's layer bucket in partition {partition} is not documented, and whether the policy of {} allows ECR's layer download depends on it", ep.node.name())).with_fix(format!("allow s3:GetObject for Principal \"*\" on ECR's layer bucket of {region} (AWS Support can confirm its name in {partition})"))
                    };
                    out.push(finding.with_workload(Some(w.node.name())).with_path(path).at(at.0.clone(), at.1));
                    continue;
                };
                let layer = requests::layer_bucket_arn(region, partition).unwrap_or_default();
                let eval = evaluate(doc, &request);
                let statements: Vec<String> = eval.deciding.iter().map(|s| s.to_string()).collect();
                path.push(Hop::Policy { source: source.name(), statements: statements.clone() });
                if eval.decision == Decision::Allow {
                    continue;
                }
                let fix = match policy::fix::fix_starport_policy(json, region, partition, vpc_key, vpce_key) {
                    Ok(fixed) => corrected(json, &fixed, source, style),
                    Err(e) => format!("allow s3:GetObject on {layer} for Principal \"*\" in the policy of {} ({e})", ep.node.name()),
                };
                match eval.decision {
                    Decision::Allow => continue,
                    Decision::ImplicitDeny => Finding::fail(&RULE, ep.node.name(), format!("the policy of {} does not allow s3:GetObject on {layer}, where ECR keeps image layers: no statement allows the presigned request ECR makes for Principal \"*\".{nat_note}", ep.node.name())).with_fix(fix),
                    Decision::ExplicitDeny => Finding::fail(&RULE, ep.node.name(), format!("the policy of {} denies s3:GetObject on {layer}, where ECR keeps image layers ({} matches the request ECR makes).{nat_note}", ep.node.name(), statements.join(", "))).with_fix(fix),
                    Decision::Unknown => Finding::unknown(&RULE, ep.node.name(), format!("whether the policy of {} allows ECR's layer download from {layer} is not decided: {}", ep.node.name(), eval.unknown_because.join("; "))).with_fix(fix),
                }
            }
        };
        let finding = if let Some(why) = &uncertain {
            let mut f = finding;
            f.verdict = super::Verdict::Unknown;
            f.message = format!("{} — if it is the S3 gateway endpoint: {why}", f.message);
            f
        } else if certain_path || finding.verdict == super::Verdict::Unknown {
            finding
        } else {
            // The association with the workloads' route tables is not decided.
            let mut f = finding;
            f.verdict = super::Verdict::Unknown;
            f.message = format!(
                "{} (whether the workloads' route tables use this endpoint is not decided)",
                f.message
            );
            f
        };
        out.push(
            finding
                .with_workload(Some(w.node.name()))
                .with_path(path)
                .at(at.0.clone(), at.1),
        );
    }
}

/// Names ECR's layer bucket may have in a partition where it is not documented: the `aws`
/// partition's pattern, and a name no policy names. A policy that decides both alike decides
/// every name alike, short of naming the real one (a policy that mentions `starport` may).
fn undocumented_bucket_names(region: &str) -> [String; 2] {
    [
        format!("prod-{region}-starport-layer-bucket"),
        format!("ecr-layers-{region}-name-not-documented-7f3a9c"),
    ]
}

/// The fix: what changed in the corrected document, and where to write it, in the style the
/// source writes the policy ([`PolicyStyle`]): a `statement` block for an
/// `aws_iam_policy_document` data source, an HCL object for `jsonencode`, JSON for JSON text.
/// Where the change only adds a statement, the fix shows that statement and where to add it;
/// where it narrows a Deny, the whole corrected policy.
fn corrected(
    original: &serde_json::Value,
    fixed: &serde_json::Value,
    source: &crate::graph::Node,
    style: &PolicyStyle,
) -> String {
    let statements = |v: &serde_json::Value| -> Vec<serde_json::Value> {
        match v.get("Statement") {
            Some(serde_json::Value::Array(a)) => a.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        }
    };
    let (before, after) = (statements(original), statements(fixed));
    let added = after.len() > before.len();
    let narrowed = before.iter().zip(after.iter()).any(|(a, b)| a != b);
    let what = match (narrowed, added) {
        (true, true) => "the Deny narrowed to leave out the layer bucket, and an Allow for it",
        (true, false) => "the Deny narrowed to leave out the layer bucket",
        _ => "the same statements, plus an Allow for the layer bucket",
    };
    // Only an added statement, to a `Statement` that is already a list: show just that one.
    let new_statement = (added
        && !narrowed
        && matches!(original.get("Statement"), Some(serde_json::Value::Array(_))))
    .then(|| after.last())
    .flatten();
    let name = source.name();
    let at = |l: &Option<crate::model::Location>| {
        l.as_ref()
            .map(|l| format!(" ({})", l.file_line()))
            .unwrap_or_default()
    };
    let data_source = name.starts_with("data.aws_iam_policy_document.")
        || name.contains(".data.aws_iam_policy_document.");
    match style {
        PolicyStyle::PolicyDocument { name, at: l } => {
            if let Some(block) = new_statement.and_then(policy_style::statement_block) {
                return format!("add this statement to {name}{}:\n{block}", at(l));
            }
            if let Some(blocks) = changed_blocks(&before, &after) {
                return format!("change {name}{}, {what}:\n{blocks}", at(l));
            }
            format!(
                "change {name}{} so that it produces the corrected policy, {what}:\n{}\n",
                at(l),
                fixes::pretty(fixed)
            )
        }
        PolicyStyle::Jsonencode { at: l } => match new_statement {
            Some(st) => format!(
                "add this object to the Statement list in the jsonencode of {name}{}:\n{}\n",
                at(l),
                policy_style::hcl(st, 0)
            ),
            None => format!(
                "the corrected policy of {name}{}, {what}:\npolicy = jsonencode({})\n",
                at(l),
                policy_style::hcl(fixed, 0)
            ),
        },
        PolicyStyle::Json { at: l } => match new_statement {
            Some(st) => format!(
                "add this statement to the \"Statement\" array of the JSON policy of {name}{}:\n{}\n",
                at(l),
                policy_style::json_text(st)
            ),
            None => format!(
                "the corrected JSON policy of {name}{}, {what}:\n{}\n",
                at(l),
                policy_style::json_text(fixed)
            ),
        },
        // A plan without its configuration: the data source's name still says how it is
        // written; otherwise `jsonencode` of the JSON, which HCL reads as it is.
        PolicyStyle::Unknown if data_source => {
            if let Some(block) = new_statement.and_then(policy_style::statement_block) {
                return format!("add this statement to {name}:\n{block}");
            }
            format!(
                "change {name} so that it produces the corrected policy ({what}):\n{}\n",
                fixes::pretty(fixed)
            )
        }
        PolicyStyle::Unknown => format!(
            "the corrected policy of {name} ({what}):\npolicy = jsonencode({})\n",
            fixes::pretty(fixed)
        ),
    }
}

/// The statements that differ between two lists of statements, as `statement` blocks, each
/// after a comment that says which statement it replaces (by Sid, else by position) or that it
/// is added; `None` when one cannot be written as a block.
fn changed_blocks(before: &[serde_json::Value], after: &[serde_json::Value]) -> Option<String> {
    let mut out = String::new();
    for (i, st) in after.iter().enumerate() {
        match before.get(i) {
            Some(old) if old == st => continue,
            Some(old) => {
                let which = match old.get("Sid").and_then(serde_json::Value::as_str) {
                    Some(sid) => format!("the statement with sid {}", serde_json::Value::from(sid)),
                    None => format!("statement number {}", i + 1),
                };
                out.push_str(&format!("# in place of {which}\n"));
            }
            None => out.push_str("# added\n"),
        }
        out.push_str(&policy_style::statement_block(st)?);
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::*;

    /// An `aws_vpc_endpoint_policy` of the S3 gateway endpoint with one statement (HCL).
    fn s3_policy(statement: &str) -> String {
        format!(
            r#"
resource "aws_vpc_endpoint_policy" "s3" {{
  vpc_endpoint_id = aws_vpc_endpoint.s3.id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{statement}]
  }})
}}
"#
        )
    }

    const APP_BUCKET_ONLY: &str = r#"{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::my-app-bucket", "arn:aws:s3:::my-app-bucket/*"]
    }"#;

    fn check_policy(statement: &str, extras: &[&str]) -> Vec<(&'static str, &'static str, String)> {
        let policy = s3_policy(statement);
        let mut parts = extras.to_vec();
        parts.push(&policy);
        verdicts(&check_hcl(&[("main.tf", &private_fargate(&parts))]))
    }

    #[test]
    fn app_bucket_only_fails() {
        assert_eq!(
            check_policy(APP_BUCKET_ONLY, ALL_ENDPOINTS),
            [("PP401", "fail", "aws_vpc_endpoint.s3".into())]
        );
    }

    #[test]
    fn app_bucket_only_fails_even_with_nat() {
        // The endpoint's prefix-list route is more specific than the NAT's 0.0.0.0/0.
        assert_eq!(
            check_policy(APP_BUCKET_ONLY, &[S3_GATEWAY, NAT]),
            [("PP401", "fail", "aws_vpc_endpoint.s3".into())]
        );
    }

    #[test]
    fn layer_bucket_of_the_region_passes() {
        let layer = r#"{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::prod-us-west-2-starport-layer-bucket/*"
    }"#;
        assert_eq!(check_policy(layer, ALL_ENDPOINTS), []);
        let other_region = layer.replace("us-west-2", "us-east-1");
        assert_eq!(
            check_policy(&other_region, ALL_ENDPOINTS),
            [("PP401", "fail", "aws_vpc_endpoint.s3".into())]
        );
    }

    #[test]
    fn allow_conditioned_on_our_account_fails() {
        let statement = r#"{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "*"
      Condition = { StringEquals = { "aws:PrincipalAccount" = "111122223333" } }
    }"#;
        assert_eq!(
            check_policy(statement, ALL_ENDPOINTS),
            [("PP401", "fail", "aws_vpc_endpoint.s3".into())]
        );
    }

    /// The same check in GovCloud (us-gov-west-1), where the layer bucket's name is not
    /// documented.
    fn check_govcloud(statement: &str) -> Vec<(&'static str, &'static str, String)> {
        let policy = s3_policy(statement);
        let mut parts = ALL_ENDPOINTS.to_vec();
        parts.push(&policy);
        let src = private_fargate(&parts)
            .replace("us-west-2", "us-gov-west-1")
            .replace("arn:aws:", "arn:aws-us-gov:");
        verdicts_of("PP401", &check_hcl(&[("main.tf", &src)]))
    }

    /// A policy that allows no AWS-owned bucket at all fails whatever the bucket is called.
    #[test]
    fn app_bucket_only_fails_in_govcloud() {
        assert_eq!(
            check_govcloud(APP_BUCKET_ONLY),
            [("PP401", "fail", "aws_vpc_endpoint.s3".into())]
        );
    }

    /// China: the same (the service names and hosts of aws-cn).
    #[test]
    fn app_bucket_only_fails_in_china() {
        let policy = s3_policy(APP_BUCKET_ONLY);
        let mut parts = ALL_ENDPOINTS.to_vec();
        parts.push(&policy);
        let src = private_fargate(&parts)
            .replace(
                "com.amazonaws.us-west-2.ecr",
                "cn.com.amazonaws.cn-north-1.ecr",
            )
            .replace(
                "com.amazonaws.us-west-2.logs",
                "cn.com.amazonaws.cn-north-1.logs",
            )
            .replace("amazonaws.com/app", "amazonaws.com.cn/app")
            .replace("us-west-2", "cn-north-1")
            .replace("arn:aws:", "arn:aws-cn:");
        assert_eq!(
            verdicts_of("PP401", &check_hcl(&[("main.tf", &src)])),
            [("PP401", "fail", "aws_vpc_endpoint.s3".into())]
        );
    }

    /// Whether a policy that names a bucket by the aws partition's pattern allows the layer
    /// download depends on the undocumented name: unknown.
    #[test]
    fn guessed_layer_bucket_name_is_unknown_in_govcloud() {
        let guessed = r#"{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws-us-gov:s3:::prod-us-gov-west-1-starport-layer-bucket/*"
    }"#;
        assert_eq!(
            check_govcloud(guessed),
            [("PP401", "unknown", "aws_vpc_endpoint.s3".into())]
        );
        let any_bucket = r#"{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "*"
    }"#;
        assert_eq!(check_govcloud(any_bucket), []);
    }

    #[test]
    fn source_vpce_known_only_after_apply_is_unknown() {
        let statement = r#"{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "*"
      Condition = { StringEquals = { "aws:SourceVpce" = "vpce-0123456789abcdef0" } }
    }"#;
        assert_eq!(
            check_policy(statement, ALL_ENDPOINTS),
            [("PP401", "unknown", "aws_vpc_endpoint.s3".into())]
        );
    }
}
