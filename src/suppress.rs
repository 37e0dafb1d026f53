//! Suppressions: `# pullpath:ignore=CODE[,CODE] reason` comments in HCL (read by the HCL
//! reader into [`Resource::suppressions`]) and `ignore` blocks of `.pullpath.hcl`.
//!
//! A suppressed finding stays in the report, marked with its reason, and does not affect the
//! exit code. Suppressions are kept honest the cargo-deny way: one without a reason does not
//! apply, an expired `ignore` stops applying, and one that matches no finding is reported —
//! all three as PP902 notes, so that a suppression can never silently outlive its purpose.

use anyhow::{bail, Result};

use crate::config::{glob_match, Config, Date, Ignore};
use crate::model::{InlineSuppression, Location, Model, Resource};
use crate::rules::{self, Finding, Rule, Suppressed};

/// The environment variable that fixes "today" for expiry dates. Meant for tests and
/// reproducible CI runs, not for postponing expiries.
pub const TODAY_ENV: &str = "PULLPATH_TODAY";

/// Today's date (UTC), or `$PULLPATH_TODAY` when set.
pub fn today() -> Result<Date> {
    if let Some(v) = std::env::var_os(TODAY_ENV).filter(|v| !v.is_empty()) {
        let s = v.to_string_lossy();
        return match Date::parse(&s) {
            Some(d) => Ok(d),
            None => bail!("${TODAY_ENV} = {s:?} is not a date; expected YYYY-MM-DD"),
        };
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(Date::from_unix_days((secs / 86_400) as i64))
}

/// Marks the findings that a suppression covers, and appends a PP902 finding for each
/// suppression that has no reason, has expired, names no rule, or matches nothing.
///
/// `enabled` are the rules of this run: a suppression for a rule that did not run is not
/// reported as unused (nothing could have matched it), and PP902 findings are added only when
/// PP902 itself is enabled.
pub fn apply(
    findings: &mut Vec<Finding>,
    model: &Model,
    config: Option<&Config>,
    enabled: &[&'static Rule],
    today: Date,
) {
    let inline = InlineTable::new(model);
    let ignores: &[Ignore] = config.map_or(&[], |c| c.ignores.as_slice());
    // Per inline suppression and code: how many findings it matched.
    let mut inline_hits: Vec<Vec<usize>> = inline
        .items
        .iter()
        .map(|i| vec![0; i.rules.len()])
        .collect();
    let mut ignore_hits = vec![0usize; ignores.len()];

    for f in findings.iter_mut() {
        if f.suppressed.is_some() {
            continue;
        }
        for (k, item) in inline.for_finding(model, f) {
            let Some(pos) = item.rules.iter().position(|r| same(r, f.rule)) else {
                continue;
            };
            inline_hits[k][pos] += 1;
            if !item.suppression.reason.is_empty() && f.suppressed.is_none() {
                f.suppressed = Some(Suppressed {
                    reason: item.suppression.reason.clone(),
                    in_source: true,
                });
            }
        }
        for (k, ig) in ignores.iter().enumerate() {
            if !ig.rules.iter().any(|r| same(r, f.rule)) {
                continue;
            }
            // In a run of several roots, a pattern matches the name with its root or the
            // address inside the root (as it does in a run of that root alone).
            let local = match f.input {
                Some(i) => model.local_address(i, &f.resource),
                None => model.split_name(&f.resource).map_or("", |(_, a)| a),
            };
            if !ig.resource.as_deref().is_none_or(|p| {
                glob_match(p, &f.resource) || (local != f.resource && glob_match(p, local))
            }) {
                continue;
            }
            ignore_hits[k] += 1;
            let live = ig.expires.is_none_or(|d| today <= d);
            if live && !ig.reason.is_empty() && f.suppressed.is_none() {
                f.suppressed = Some(Suppressed {
                    reason: ig.reason.clone(),
                    in_source: false,
                });
            }
        }
    }

    let pp902 = rules::unused_suppression_rule();
    if !enabled.iter().any(|r| same(r, pp902)) {
        return;
    }
    let is_enabled = |r: &&'static Rule| enabled.iter().any(|e| same(e, r));
    for (k, item) in inline.items.iter().enumerate() {
        let s = item.suppression;
        let written = format!("`pullpath:ignore={}`", s.codes.join(","));
        let on = model.name_of(item.resource).into_owned();
        let mut report = |message: String, fix: &str| {
            findings.push(note(
                pp902,
                on.clone(),
                message,
                fix,
                Some(s.location.clone()),
                Some(item.resource.input),
            ));
        };
        for code in &item.unknown_codes {
            report(
                format!("{written} on {on} names {code:?}, which is no rule of pullpath; it suppresses nothing"),
                "Correct the rule code or name (see `pullpath rules`), or delete the comment.\n",
            );
        }
        if s.reason.is_empty() {
            report(
                format!("{written} on {on} gives no reason, so it does not apply: a suppression needs a reason, written after the codes"),
                &format!("# pullpath:ignore={} <why this finding is acceptable here>\n", s.codes.join(",")),
            );
            continue;
        }
        let unused: Vec<&str> = item
            .rules
            .iter()
            .zip(&inline_hits[k])
            .filter(|(r, &hits)| hits == 0 && is_enabled(r))
            .map(|(r, _)| r.code)
            .collect();
        if !unused.is_empty() {
            report(
                format!(
                    "{written} on {on} matches no finding of {} there",
                    unused.join(", ")
                ),
                "Delete the suppression (the problem it hid is gone), or correct its rule code.\n",
            );
        }
    }
    for (k, ig) in ignores.iter().enumerate() {
        let at = ig.location.file_line().to_string();
        let codes: Vec<&str> = ig.rules.iter().map(|r| r.code).collect();
        let what = format!(
            "the `ignore` block for {} on {} ({at})",
            codes.join(", "),
            ig.resource.as_deref().unwrap_or("every resource")
        );
        let resource = ig.resource.clone().unwrap_or_else(|| "*".to_string());
        let mut report = |message: String, fix: &str| {
            findings.push(note(
                pp902,
                resource.clone(),
                message,
                fix,
                Some(ig.location.clone()),
                None,
            ));
        };
        if let Some(d) = ig.expires.filter(|&d| today > d) {
            let again = match ignore_hits[k] {
                0 => "it matches no finding now".to_string(),
                1 => "the finding it matched is reported again".to_string(),
                n => format!("the {n} findings it matched are reported again"),
            };
            report(
                format!("{what} expired on {d} and no longer applies; {again}"),
                "Fix the findings, or renew the suppression with a new `expires` date and a reason that still holds.\n",
            );
            continue;
        }
        if ig.reason.is_empty() {
            report(
                format!(
                    "{what} gives no reason, so it does not apply: a suppression needs a reason"
                ),
                "reason = \"<why these findings are acceptable here>\"\n",
            );
            continue;
        }
        if ignore_hits[k] == 0 && ig.rules.iter().all(is_enabled) {
            report(
                format!("{what} matches no finding"),
                "Delete the `ignore` block (the problem it hid is gone), or correct its rule or resource pattern.\n",
            );
        }
    }
}

fn same(a: &Rule, b: &Rule) -> bool {
    std::ptr::eq(a, b)
}

fn note(
    rule: &'static Rule,
    resource: String,
    message: String,
    fix: &str,
    location: Option<Location>,
    input: Option<usize>,
) -> Finding {
    Finding::fail(rule, resource, message)
        .with_fix(fix)
        .at(location, input)
}

/// One inline suppression, with its codes resolved to rules.
struct InlineItem<'m> {
    resource: &'m Resource,
    suppression: &'m InlineSuppression,
    rules: Vec<&'static Rule>,
    unknown_codes: Vec<String>,
}

/// Every inline suppression of the model, indexed by resource.
struct InlineTable<'m> {
    items: Vec<InlineItem<'m>>,
    /// (resource index in the model, first item, item count), sorted by resource index.
    by_resource: Vec<(usize, usize, usize)>,
}

impl<'m> InlineTable<'m> {
    fn new(model: &'m Model) -> Self {
        let mut items = Vec::new();
        let mut by_resource = Vec::new();
        for (i, r) in model.resources.iter().enumerate() {
            if r.suppressions().is_empty() {
                continue;
            }
            let first = items.len();
            for s in r.suppressions() {
                let mut rules_of: Vec<&'static Rule> = Vec::new();
                let mut unknown_codes = Vec::new();
                for code in &s.codes {
                    match rules::find(code) {
                        Some(rule) => {
                            if !rules_of.iter().any(|x| same(x, rule)) {
                                rules_of.push(rule);
                            }
                        }
                        None => unknown_codes.push(code.clone()),
                    }
                }
                items.push(InlineItem {
                    resource: r,
                    suppression: s,
                    rules: rules_of,
                    unknown_codes,
                });
            }
            by_resource.push((i, first, items.len() - first));
        }
        InlineTable { items, by_resource }
    }

    /// The suppressions written on the resource a finding points at: the resource of the
    /// finding's input with the finding's address (any input's, when the finding has none).
    fn for_finding(&self, model: &Model, f: &Finding) -> Vec<(usize, &InlineItem<'m>)> {
        if self.items.is_empty() {
            return Vec::new();
        }
        let resources: Vec<usize> = match f.input {
            Some(i) => model
                .lookup_index(i, model.local_address(i, &f.resource))
                .into_iter()
                .collect(),
            None => self
                .by_resource
                .iter()
                .filter(|(r, _, _)| model.name_of(&model.resources[*r]) == f.resource)
                .map(|(r, _, _)| *r)
                .collect(),
        };
        let mut out = Vec::new();
        for r in resources {
            if let Ok(at) = self.by_resource.binary_search_by_key(&r, |(i, _, _)| *i) {
                let (_, first, n) = self.by_resource[at];
                out.extend((first..first + n).map(|k| (k, &self.items[k])));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Address, Value};

    fn resource(model: &mut Model, address: &str, suppressions: Vec<InlineSuppression>) {
        model.push(Resource {
            input: 0,
            address: address.to_string(),
            addr: Address::parse(address).unwrap(),
            values: Value::Null,
            region: None,
            source: Some(Box::new(crate::model::FromSource {
                suppressions,
                ..Default::default()
            })),
        });
    }

    fn inline(codes: &[&str], reason: &str, line: u32) -> InlineSuppression {
        InlineSuppression {
            codes: codes.iter().map(|c| c.to_string()).collect(),
            reason: reason.to_string(),
            location: Location {
                file: "main.tf".into(),
                line,
                column: 1,
            },
        }
    }

    fn finding(code: &str, resource: &str) -> Finding {
        Finding::fail(rules::find(code).unwrap(), resource, "m").at(None, Some(0))
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn messages(findings: &[Finding]) -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.rule.code == "PP902")
            .map(|f| f.message.clone())
            .collect()
    }

    #[test]
    fn inline_suppressions_match_rule_and_resource() {
        let mut model = Model::default();
        resource(
            &mut model,
            "aws_vpc_endpoint.s3",
            vec![
                inline(
                    &["PP401", "endpoint-az-coverage"],
                    "the bucket policy is ours",
                    3,
                ),
                inline(&["PP999"], "typo", 4),
            ],
        );
        resource(&mut model, "aws_vpc.main", vec![inline(&["PP202"], "", 9)]);
        let mut findings = vec![
            finding("PP401", "aws_vpc_endpoint.s3"),
            finding("PP401", "aws_vpc_endpoint.other"),
            finding("PP202", "aws_vpc.main"),
        ];
        apply(&mut findings, &model, None, rules::ALL, date("2026-01-01"));
        assert_eq!(
            findings[0].suppressed,
            Some(Suppressed {
                reason: "the bucket policy is ours".into(),
                in_source: true
            })
        );
        assert_eq!(findings[1].suppressed, None);
        assert_eq!(findings[2].suppressed, None, "no reason: does not apply");
        assert_eq!(
            messages(&findings),
            [
                "`pullpath:ignore=PP401,endpoint-az-coverage` on aws_vpc_endpoint.s3 matches no finding of PP109 there",
                "`pullpath:ignore=PP999` on aws_vpc_endpoint.s3 names \"PP999\", which is no rule of pullpath; it suppresses nothing",
                "`pullpath:ignore=PP202` on aws_vpc.main gives no reason, so it does not apply: a suppression needs a reason, written after the codes",
            ]
        );
        let pp902 = findings.iter().find(|f| f.rule.code == "PP902").unwrap();
        assert_eq!(pp902.location.as_ref().unwrap().line, 3);
        assert_eq!(pp902.resource, "aws_vpc_endpoint.s3");
    }

    #[test]
    fn ignore_blocks_glob_expire_and_need_reasons() {
        let config = Config::parse(
            r#"
ignore {
  rule     = "PP110"
  resource = "module.network.*"
  reason   = "NAT traffic is negligible here"
  expires  = "2026-06-30"
}
ignore {
  rule     = "PP109"
  reason   = "single-AZ test environment"
  expires  = "2025-12-31"
}
ignore {
  rule     = "PP401"
}
ignore {
  rule     = "PP103"
  resource = "aws_vpc.gone"
  reason   = "fixed long ago"
}
"#,
            ".pullpath.hcl",
        )
        .unwrap();
        let model = Model::default();
        let mut findings = vec![
            finding("PP110", "module.network.aws_vpc.this[0]"),
            finding("PP110", "aws_vpc.other"),
            finding("PP109", "aws_vpc_endpoint.ecr_api"),
            finding("PP401", "aws_vpc_endpoint.s3"),
        ];
        apply(
            &mut findings,
            &model,
            Some(&config),
            rules::ALL,
            date("2026-01-01"),
        );
        assert_eq!(
            findings[0]
                .suppressed
                .as_ref()
                .map(|s| (s.reason.as_str(), s.in_source)),
            Some(("NAT traffic is negligible here", false))
        );
        assert!(findings[1].suppressed.is_none());
        assert!(findings[2].suppressed.is_none(), "expired");
        assert!(findings[3].suppressed.is_none(), "no reason");
        assert_eq!(
            messages(&findings),
            [
                "the `ignore` block for PP109 on every resource (.pullpath.hcl:8) expired on 2025-12-31 and no longer applies; the finding it matched is reported again",
                "the `ignore` block for PP401 on every resource (.pullpath.hcl:13) gives no reason, so it does not apply: a suppression needs a reason",
                "the `ignore` block for PP103 on aws_vpc.gone (.pullpath.hcl:16) matches no finding",
            ]
        );

        // The last day still applies.
        let mut again = vec![finding("PP110", "module.network.aws_vpc.this[0]")];
        apply(
            &mut again,
            &model,
            Some(&config),
            rules::ALL,
            date("2026-06-30"),
        );
        assert!(again[0].suppressed.is_some());
        let mut later = vec![finding("PP110", "module.network.aws_vpc.this[0]")];
        apply(
            &mut later,
            &model,
            Some(&config),
            rules::ALL,
            date("2026-07-01"),
        );
        assert!(later[0].suppressed.is_none());
    }

    #[test]
    fn rules_that_did_not_run_are_not_reported_unused() {
        let config = Config::parse(
            "ignore {\n  rule = \"PP110\"\n  reason = \"x\"\n}\n",
            ".pullpath.hcl",
        )
        .unwrap();
        let model = Model::default();
        let without_pp110: Vec<&'static Rule> = rules::ALL
            .iter()
            .copied()
            .filter(|r| r.code != "PP110")
            .collect();
        let mut findings = Vec::new();
        apply(
            &mut findings,
            &model,
            Some(&config),
            &without_pp110,
            date("2026-01-01"),
        );
        assert!(findings.is_empty());
        let without_pp902: Vec<&'static Rule> = rules::ALL
            .iter()
            .copied()
            .filter(|r| r.code != "PP902")
            .collect();
        apply(
            &mut findings,
            &model,
            Some(&config),
            &without_pp902,
            date("2026-01-01"),
        );
        assert!(findings.is_empty());
        apply(
            &mut findings,
            &model,
            Some(&config),
            rules::ALL,
            date("2026-01-01"),
        );
        assert_eq!(findings.len(), 1);
    }
}
