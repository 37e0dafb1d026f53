//! `.pullpath.hcl`: the settings a repository keeps next to its Terraform code (DESIGN.md,
//! "Contract: configuration and suppression").
//!
//! ```hcl
//! fail_on = "warning"
//! unknown = "fail"
//! mode    = "strict"
//! source  = "infra"   # the configuration of plan inputs, relative to this file (as --source)
//! workload "vpc-0f32ee3ff3b0f4542" { platform = "batch-fargate" }
//! rule "PP109" { enabled = false }
//! rule "PP110" { severity = "warning" }
//! ignore {
//!   rule     = "PP110"              # a code or name, or a list of them
//!   resource = "module.network.*"   # glob on addresses: `*` any text, `?` one character
//!   reason   = "NAT traffic is negligible here"
//!   expires  = "2027-06-30"         # after this date the suppression stops applying
//! }
//! ```
//!
//! The file is read with hcl-edit, which keeps positions: every unknown key and bad value is an
//! error that names `file:line:column`. Values must be literals; a configuration that needs
//! expressions is a sign that it belongs on the command line.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use hcl::edit::expr::Expression;
use hcl::edit::structure::{Attribute, Block, Body, Structure};
use hcl::edit::Span;

use crate::check::{FailOn, UnknownPolicy};
use crate::graph::Platform;
use crate::hcl::source::did_you_mean;
use crate::model::line_index::LineIndex;
use crate::model::Location;
use crate::rules::{self, Mode, Rule, Severity};

/// The file looked for in the current directory when `--config` is not given.
pub const DEFAULT_FILE: &str = ".pullpath.hcl";

/// A configuration file, validated.
#[derive(Debug, Default)]
pub struct Config {
    /// The file, as shown in messages.
    pub path: String,
    pub fail_on: Option<FailOn>,
    pub unknown: Option<UnknownPolicy>,
    pub mode: Option<Mode>,
    /// `source = "DIR"`: the configuration plan inputs were made from (relative to this file's
    /// directory), as `--source DIR`.
    pub source: Option<String>,
    pub workloads: Vec<WorkloadEntry>,
    pub rules: Vec<RuleEntry>,
    pub ignores: Vec<Ignore>,
}

/// `workload "<vpc>" { platform = "…" }`: as `--workload VPC=PLATFORM`.
#[derive(Debug, Clone)]
pub struct WorkloadEntry {
    pub vpc: String,
    pub platform: Platform,
    pub location: Location,
}

/// `rule "PP109" { enabled = false, severity = "warning" }`.
#[derive(Debug, Clone)]
pub struct RuleEntry {
    pub rule: &'static Rule,
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
    pub location: Location,
}

/// An `ignore` block: suppresses the findings of `rules` whose resource matches `resource`.
#[derive(Debug, Clone)]
pub struct Ignore {
    pub rules: Vec<&'static Rule>,
    /// A glob on resource addresses; `None` matches every resource.
    pub resource: Option<String>,
    /// Empty when the block gives none: such a block does not apply (a suppression needs a
    /// reason) and is reported.
    pub reason: String,
    pub expires: Option<Date>,
    pub location: Location,
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: Range<usize>| -> Option<u32> {
            let part = &s[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (year, month, day) = (digits(0..4)? as i32, digits(5..7)?, digits(8..10)?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// The date of a number of days since 1970-01-01 (proleptic Gregorian calendar).
    pub fn from_unix_days(days: i64) -> Date {
        // Howard Hinnant's `civil_from_days`.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Config {
    /// The configuration of a run: `explicit` (from `--config` or `$PULLPATH_CONFIG`), which
    /// must exist, else `.pullpath.hcl` in the current directory when there is one.
    pub fn discover(explicit: Option<&Path>) -> Result<Option<Config>> {
        let path: PathBuf = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = PathBuf::from(DEFAULT_FILE);
                if !p.is_file() {
                    return Ok(None);
                }
                p
            }
        };
        Config::load(&path).map(Some)
    }

    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config> {
        let shown = path.to_string_lossy().replace('\\', "/");
        let bytes = crate::hcl::source::read_bounded(path)
            .with_context(|| format!("reading the configuration file {shown}"))?;
        let text = crate::hcl::source::decode_text(bytes, &shown)?;
        Config::parse(&text, &shown)
    }

    /// Parses the text of a configuration file; `path` is used in messages.
    pub fn parse(text: &str, path: &str) -> Result<Config> {
        let body = crate::hcl::syntax::parse_body(text)
            .map_err(|e| anyhow!("{path}:{}:{}: invalid HCL: {}", e.line, e.column, e.message))?;
        let cx = Cx {
            path,
            text,
            lines: LineIndex::new(text),
        };
        let mut config = Config {
            path: path.to_string(),
            ..Config::default()
        };
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let key = a.key.as_str();
                    match key {
                        "fail_on" => {
                            config.fail_on = Some(cx.choice(
                                a,
                                &[
                                    ("error", FailOn::Error),
                                    ("warning", FailOn::Warning),
                                    ("note", FailOn::Note),
                                    ("never", FailOn::Never),
                                ],
                            )?)
                        }
                        "unknown" => {
                            config.unknown = Some(cx.choice(
                                a,
                                &[
                                    ("warn", UnknownPolicy::Warn),
                                    ("fail", UnknownPolicy::Fail),
                                    ("ignore", UnknownPolicy::Ignore),
                                ],
                            )?)
                        }
                        "mode" => {
                            config.mode = Some(cx.choice(
                                a,
                                &[
                                    ("reachability", Mode::Reachability),
                                    ("strict", Mode::Strict),
                                ],
                            )?)
                        }
                        "source" => config.source = Some(cx.string(a)?),
                        other => {
                            return Err(cx.error(
                                a,
                                format!(
                                    "unknown setting `{other}`{}; expected fail_on, unknown, mode, source, or a workload, rule or ignore block",
                                    did_you_mean(other, ["fail_on", "unknown", "mode", "source"])
                                ),
                            ))
                        }
                    }
                }
                Structure::Block(b) => match b.ident.as_str() {
                    "workload" => config.workloads.push(cx.workload(b)?),
                    "rule" => {
                        let entry = cx.rule(b)?;
                        if let Some(prev) = config
                            .rules
                            .iter()
                            .find(|r| std::ptr::eq(r.rule, entry.rule))
                        {
                            return Err(cx.error(
                                b,
                                format!(
                                    "rule {} is already configured at line {}",
                                    entry.rule.code, prev.location.line
                                ),
                            ));
                        }
                        config.rules.push(entry);
                    }
                    "ignore" => config.ignores.push(cx.ignore(b)?),
                    other => {
                        return Err(cx.error(
                            b,
                            format!(
                                "unknown block `{other}`{}; expected workload, rule or ignore",
                                did_you_mean(other, ["workload", "rule", "ignore"])
                            ),
                        ))
                    }
                },
            }
        }
        Ok(config)
    }
}

/// What the parser functions share: the file name and its lines.
struct Cx<'a> {
    path: &'a str,
    text: &'a str,
    lines: LineIndex,
}

impl Cx<'_> {
    fn location(&self, node: &impl Span) -> Location {
        let (line, column) = node
            .span()
            .map_or((1, 1), |r| self.lines.locate(self.text, r.start));
        Location {
            file: self.path.to_string(),
            line,
            column,
        }
    }

    fn error(&self, node: &impl Span, msg: String) -> anyhow::Error {
        let l = self.location(node);
        anyhow!("{l}: {msg}")
    }

    fn string(&self, a: &Attribute) -> Result<String> {
        match &a.value {
            Expression::String(s) => Ok(s.value().to_string()),
            _ => Err(self.error(
                &a.value,
                format!(
                    "`{}` must be a literal string (\"…\"), without interpolation",
                    a.key.as_str()
                ),
            )),
        }
    }

    fn bool(&self, a: &Attribute) -> Result<bool> {
        match &a.value {
            Expression::Bool(b) => Ok(*b.value()),
            _ => Err(self.error(
                &a.value,
                format!("`{}` must be true or false", a.key.as_str()),
            )),
        }
    }

    fn choice<T: Copy>(&self, a: &Attribute, options: &[(&str, T)]) -> Result<T> {
        let s = self.string(a)?;
        options
            .iter()
            .find(|(name, _)| *name == s)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                self.error(
                    &a.value,
                    format!(
                        "`{}` = {s:?} is not valid; expected one of {}",
                        a.key.as_str(),
                        names.join(", ")
                    ),
                )
            })
    }

    fn rule_ref(&self, node: &impl Span, name: &str) -> Result<&'static Rule> {
        rules::find(name).ok_or_else(|| {
            self.error(
                node,
                format!("no rule {name:?} (see `pullpath rules` for the codes and names)"),
            )
        })
    }

    /// The single label of a block.
    fn label<'b>(&self, b: &'b Block, example: &str) -> Result<&'b str> {
        match b.labels.as_slice() {
            [l] => Ok(l.as_str()),
            _ => Err(self.error(
                b,
                format!(
                    "a `{}` block takes one label, e.g. {example}",
                    b.ident.as_str()
                ),
            )),
        }
    }

    /// The attributes of a block body; nested blocks are errors.
    fn attributes<'b>(&self, block: &str, body: &'b Body) -> Result<Vec<&'b Attribute>> {
        let mut out: Vec<&Attribute> = Vec::new();
        for s in body.iter() {
            match s {
                // hcl-edit rejects a key set twice in one body.
                Structure::Attribute(a) => out.push(a),
                Structure::Block(b) => {
                    return Err(self.error(
                        b,
                        format!("unexpected block `{}` inside `{block}`", b.ident.as_str()),
                    ))
                }
            }
        }
        Ok(out)
    }

    fn unknown_key(&self, block: &str, a: &Attribute, expected: &str) -> anyhow::Error {
        self.error(
            a,
            format!(
                "unknown key `{}` in a `{block}` block{}; expected {expected}",
                a.key.as_str(),
                did_you_mean(
                    a.key.as_str(),
                    expected
                        .split([',', ' '])
                        .filter(|w| !w.is_empty() && *w != "or")
                ),
            ),
        )
    }

    fn workload(&self, b: &Block) -> Result<WorkloadEntry> {
        let vpc = self.label(b, "workload \"aws_vpc.main\" { platform = \"fargate\" }")?;
        if vpc.trim().is_empty() {
            return Err(self.error(
                b,
                "the workload label is empty; give a VPC address, an id or *".into(),
            ));
        }
        let mut platform = None;
        for a in self.attributes("workload", &b.body)? {
            match a.key.as_str() {
                "platform" => {
                    let s = self.string(a)?;
                    platform = Some(Platform::parse(&s).ok_or_else(|| {
                        self.error(
                            &a.value,
                            format!(
                                "unknown platform {s:?}; expected one of {}",
                                Platform::names()
                            ),
                        )
                    })?);
                    if let Some(warning) = Platform::deprecated_alias(&s) {
                        let at = self.location(&a.value);
                        eprintln!(
                            "pullpath: warning: {}",
                            crate::output::safe_for_logs(&format!("{at}: {warning}"))
                        );
                    }
                }
                _ => return Err(self.unknown_key("workload", a, "platform")),
            }
        }
        let platform =
            platform.ok_or_else(|| self.error(b, "a `workload` block needs `platform`".into()))?;
        Ok(WorkloadEntry {
            vpc: vpc.trim().to_string(),
            platform,
            location: self.location(b),
        })
    }

    fn rule(&self, b: &Block) -> Result<RuleEntry> {
        let name = self.label(b, "rule \"PP109\" { enabled = false }")?;
        let rule = self.rule_ref(b, name)?;
        let mut entry = RuleEntry {
            rule,
            enabled: None,
            severity: None,
            location: self.location(b),
        };
        for a in self.attributes("rule", &b.body)? {
            match a.key.as_str() {
                "enabled" => entry.enabled = Some(self.bool(a)?),
                "severity" => {
                    entry.severity = Some(self.choice(
                        a,
                        &[
                            ("error", Severity::Error),
                            ("warning", Severity::Warning),
                            ("note", Severity::Note),
                        ],
                    )?)
                }
                _ => return Err(self.unknown_key("rule", a, "enabled or severity")),
            }
        }
        Ok(entry)
    }

    fn ignore(&self, b: &Block) -> Result<Ignore> {
        if !b.labels.is_empty() {
            return Err(self.error(b, "an `ignore` block takes no label".into()));
        }
        let mut ignore = Ignore {
            rules: Vec::new(),
            resource: None,
            reason: String::new(),
            expires: None,
            location: self.location(b),
        };
        for a in self.attributes("ignore", &b.body)? {
            match a.key.as_str() {
                "rule" => {
                    ignore.rules =
                        match &a.value {
                            Expression::Array(items) => {
                                let mut out = Vec::new();
                                for item in items.iter() {
                                    match item {
                                        Expression::String(s) => {
                                            out.push(self.rule_ref(item, s.value())?)
                                        }
                                        other => return Err(self.error(
                                            other,
                                            "`rule` must be a rule code or name, or a list of them"
                                                .into(),
                                        )),
                                    }
                                }
                                out
                            }
                            _ => vec![self.rule_ref(&a.value, &self.string(a)?)?],
                        };
                }
                "resource" => {
                    let s = self.string(a)?;
                    if s.trim().is_empty() {
                        return Err(self.error(
                            &a.value,
                            "`resource` is empty; give an address or a glob such as \"module.network.*\"".into(),
                        ));
                    }
                    ignore.resource = Some(s);
                }
                "reason" => ignore.reason = self.string(a)?.trim().to_string(),
                "expires" => {
                    let s = self.string(a)?;
                    ignore.expires = Some(Date::parse(&s).ok_or_else(|| {
                        self.error(
                            &a.value,
                            format!("`expires` = {s:?} is not a date; expected YYYY-MM-DD"),
                        )
                    })?);
                }
                _ => {
                    return Err(self.unknown_key("ignore", a, "rule, resource, reason or expires"))
                }
            }
        }
        if ignore.rules.is_empty() {
            return Err(self.error(
                b,
                "an `ignore` block needs `rule` (a code or name, or a list of them)".into(),
            ));
        }
        Ok(ignore)
    }
}

/// Whether a glob matches a resource address: `*` matches any text (also `.` and `[`), `?` one
/// character, everything else itself. Brackets are literal because they are part of addresses
/// (`aws_subnet.private[0]`, `module.vpce["ssm"]`), unlike in file globs.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with backtracking to the last `*`: linear in practice.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match Config::parse(text, ".pullpath.hcl") {
            Ok(_) => panic!("expected an error for {text:?}"),
            Err(e) => format!("{e:#}"),
        }
    }

    #[test]
    fn reads_every_setting() {
        let c = Config::parse(
            r#"
fail_on = "warning"
unknown = "fail"
mode    = "strict"
workload "vpc-0f32ee3ff3b0f4542" { platform = "batch-fargate" }
rule "PP109" { enabled = false }
rule "s3-gateway-would-save-nat" {
  severity = "warning"
}
ignore {
  rule     = "PP110"
  resource = "module.network.*"     # glob on addresses
  reason   = "NAT traffic is negligible here"
  expires  = "2027-06-30"
}
ignore {
  rule   = ["PP401", "ecr-policy-blocks-pull"]
  reason = "reviewed"
}
source = "infra"
"#,
            "cfg.hcl",
        )
        .unwrap();
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert_eq!(c.unknown, Some(UnknownPolicy::Fail));
        assert_eq!(c.source.as_deref(), Some("infra"));
        assert_eq!(c.mode, Some(Mode::Strict));
        assert_eq!(c.workloads[0].vpc, "vpc-0f32ee3ff3b0f4542");
        assert_eq!(c.workloads[0].platform, Platform::BatchFargate);
        assert_eq!(c.workloads[0].location.line, 5);
        assert_eq!(c.rules[0].rule.code, "PP109");
        assert_eq!(c.rules[0].enabled, Some(false));
        assert_eq!(c.rules[1].rule.code, "PP110");
        assert_eq!(c.rules[1].severity, Some(Severity::Warning));
        let i = &c.ignores[0];
        assert_eq!(i.rules[0].code, "PP110");
        assert_eq!(i.resource.as_deref(), Some("module.network.*"));
        assert_eq!(i.reason, "NAT traffic is negligible here");
        assert_eq!(i.expires.unwrap().to_string(), "2027-06-30");
        assert_eq!((i.location.file.as_str(), i.location.line), ("cfg.hcl", 10));
        let codes: Vec<&str> = c.ignores[1].rules.iter().map(|r| r.code).collect();
        assert_eq!(codes, ["PP401", "PP402"]);
        assert_eq!(c.ignores[1].resource, None);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            err("fail_on = \"error\"\nfail_onn = \"warning\"\n"),
            ".pullpath.hcl:2:1: unknown setting `fail_onn` (did you mean `fail_on`?); expected fail_on, unknown, mode, source, or a workload, rule or ignore block"
        );
        assert_eq!(
            err("fail-on = \"warning\"\n"),
            ".pullpath.hcl:1:1: unknown setting `fail-on` (did you mean `fail_on`?); expected fail_on, unknown, mode, source, or a workload, rule or ignore block"
        );
        assert_eq!(
            err("verbose = true\n"),
            ".pullpath.hcl:1:1: unknown setting `verbose`; expected fail_on, unknown, mode, source, or a workload, rule or ignore block"
        );
        assert!(err("rule \"PP109\" {\n  enable = false\n}").starts_with(
            ".pullpath.hcl:2:3: unknown key `enable` in a `rule` block (did you mean `enabled`?)"
        ));
        assert!(err("ignores {}").contains("unknown block `ignores` (did you mean `ignore`?)"));
        assert_eq!(
            err("\n\nunknown = \"maybe\"\n"),
            ".pullpath.hcl:3:11: `unknown` = \"maybe\" is not valid; expected one of warn, fail, ignore"
        );
        assert!(err("rule \"PP999\" { enabled = false }")
            .starts_with(".pullpath.hcl:1:1: no rule \"PP999\""));
        assert!(
            err("rule \"PP109\" { enabled = \"no\" }").contains("`enabled` must be true or false")
        );
        assert!(
            err("ignore {\n  rule = \"PP110\"\n  expires = \"2027-02-30\"\n}")
                .starts_with(".pullpath.hcl:3:13: `expires` = \"2027-02-30\" is not a date")
        );
        assert!(err("ignore {\n  reason = \"x\"\n}").contains("needs `rule`"));
        assert!(err("workload \"aws_vpc.main\" { platform = \"lambda\" }")
            .contains("unknown platform \"lambda\""));
        assert!(err("workload { platform = \"fargate\" }").contains("takes one label"));
        assert!(err("mode = var.mode").contains("must be a literal string"));
        assert!(err("policy {}").contains("unknown block `policy`"));
        assert!(err("mode = \"strict\"\nmode = \"strict\"")
            .starts_with(".pullpath.hcl:2:1: invalid HCL"));
        assert!(
            err("rule \"PP109\" {\n  enabled = false\n  enabled = true\n}")
                .starts_with(".pullpath.hcl:3:3: invalid HCL")
        );
        assert!(err("ignore {\n  rule = \"PP110\"\n  when { x = 1 }\n}")
            .starts_with(".pullpath.hcl:3:3: unexpected block `when` inside `ignore`"));
        assert!(err("rule \"PP109\" {}\nrule \"endpoint-az-coverage\" {}")
            .contains("already configured at line 1"));
        assert!(err("fail_on = ").starts_with(".pullpath.hcl:1:"));
    }

    #[test]
    fn dates() {
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2023-13-01"), None);
        assert_eq!(Date::parse("2023-1-01"), None);
        assert_eq!(Date::parse("+023-01-01"), None);
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_454).to_string(), "2026-01-01");
        assert_eq!(Date::from_unix_days(-1).to_string(), "1969-12-31");
        assert_eq!(Date::from_unix_days(11_016).to_string(), "2000-02-29");
        assert!(Date::parse("2026-01-01") < Date::parse("2026-01-02"));
    }

    #[test]
    fn globs_on_addresses() {
        assert!(glob_match(
            "module.network.*",
            "module.network.aws_vpc.this[0]"
        ));
        assert!(!glob_match(
            "module.network.*",
            "module.networks.aws_vpc.this"
        ));
        assert!(glob_match("aws_subnet.private[0]", "aws_subnet.private[0]"));
        assert!(!glob_match("aws_subnet.private[0]", "aws_subnet.private0"));
        assert!(glob_match("aws_subnet.private[?]", "aws_subnet.private[1]"));
        assert!(glob_match("*", "anything"));
        assert!(glob_match(
            "module.vpce[\"*\"].aws_vpc_endpoint.this",
            "module.vpce[\"ssm\"].aws_vpc_endpoint.this"
        ));
        assert!(glob_match(
            "*.aws_vpc_endpoint.s3",
            "module.a.module.b.aws_vpc_endpoint.s3"
        ));
        assert!(!glob_match("*.aws_vpc_endpoint.s3", "aws_vpc_endpoint.s3"));
        assert!(glob_match("a*b*c", "aXbYbZc"));
        assert!(!glob_match("a*b*c", "aXbYbZ"));
        assert!(!glob_match("", "x"));
    }
}
