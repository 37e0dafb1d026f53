//! Condition operators, three-valued.
//!
//! Semantics (IAM User Guide, "IAM JSON policy elements: Condition operators" and "Condition
//! element"; DOMAIN.md §6):
//! - all operators and keys of a block are ANDed; the values of one key are ORed; a negated
//!   operator (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`, …) is true when the request value
//!   matches none of the values;
//! - a key absent from the request makes a positive operator false and a negated one true;
//!   `…IfExists` is true; `Null: "true"` is true; `ForAllValues:` is true and `ForAnyValue:` false;
//! - a key whose value is unknown makes the condition Maybe; an unknown operator is Maybe;
//! - a [`KeyState::Foreign`] value (an AWS-owned account or organization) equals no literal: only
//!   patterns made of `*` surely match it, and other wildcard patterns may.

use std::net::IpAddr;

use super::context::{Context, KeyState};
use super::document::{ConditionEntry, PolicyVersion};
use super::matching::{all_stars, glob, has_wildcard, tokens_text, Match, Tok};
use super::variables::expand;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qualifier {
    Single,
    ForAnyValue,
    ForAllValues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    String { ignore_case: bool, like: bool },
    Arn,
    Numeric(Cmp),
    Date(Cmp),
    Bool,
    Binary,
    Ip,
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Operator {
    qualifier: Qualifier,
    family: Family,
    negated: bool,
    if_exists: bool,
}

fn parse_operator(name: &str) -> Option<Operator> {
    let (qualifier, rest) = if let Some(r) = name.strip_prefix("ForAnyValue:") {
        (Qualifier::ForAnyValue, r)
    } else if let Some(r) = name.strip_prefix("ForAllValues:") {
        (Qualifier::ForAllValues, r)
    } else {
        (Qualifier::Single, name)
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) => (b, true),
        None => (rest, false),
    };
    let string = |ignore_case, like| Family::String { ignore_case, like };
    let (family, negated) = match base {
        "StringEquals" => (string(false, false), false),
        "StringNotEquals" => (string(false, false), true),
        "StringEqualsIgnoreCase" => (string(true, false), false),
        "StringNotEqualsIgnoreCase" => (string(true, false), true),
        "StringLike" => (string(false, true), false),
        "StringNotLike" => (string(false, true), true),
        "NumericEquals" => (Family::Numeric(Cmp::Eq), false),
        "NumericNotEquals" => (Family::Numeric(Cmp::Eq), true),
        "NumericLessThan" => (Family::Numeric(Cmp::Lt), false),
        "NumericLessThanEquals" => (Family::Numeric(Cmp::Le), false),
        "NumericGreaterThan" => (Family::Numeric(Cmp::Gt), false),
        "NumericGreaterThanEquals" => (Family::Numeric(Cmp::Ge), false),
        "DateEquals" => (Family::Date(Cmp::Eq), false),
        "DateNotEquals" => (Family::Date(Cmp::Eq), true),
        "DateLessThan" => (Family::Date(Cmp::Lt), false),
        "DateLessThanEquals" => (Family::Date(Cmp::Le), false),
        "DateGreaterThan" => (Family::Date(Cmp::Gt), false),
        "DateGreaterThanEquals" => (Family::Date(Cmp::Ge), false),
        "Bool" => (Family::Bool, false),
        "BinaryEquals" => (Family::Binary, false),
        "IpAddress" => (Family::Ip, false),
        "NotIpAddress" => (Family::Ip, true),
        "ArnEquals" | "ArnLike" => (Family::Arn, false),
        "ArnNotEquals" | "ArnNotLike" => (Family::Arn, true),
        "Null" if !if_exists && qualifier == Qualifier::Single => (Family::Null, false),
        _ => return None,
    };
    Some(Operator {
        qualifier,
        family,
        negated,
        if_exists,
    })
}

/// A whole `Condition` block: every entry must hold.
pub(crate) fn eval_conditions(
    entries: &[ConditionEntry],
    version: PolicyVersion,
    ctx: &Context,
) -> Match {
    Match::all(entries.iter().map(|e| eval_entry(e, version, ctx)))
}

fn eval_entry(entry: &ConditionEntry, version: PolicyVersion, ctx: &Context) -> Match {
    let Some(op) = parse_operator(&entry.operator) else {
        return Match::maybe(format!(
            "condition operator {} is not one this evaluator knows",
            entry.operator
        ));
    };
    let key = entry.key.as_str();
    let state = ctx.get(key);
    if op.family == Family::Null {
        return eval_null(entry, state);
    }
    match state {
        KeyState::Unknown(reason) => Match::maybe(format!("condition key {key}: {reason}")),
        KeyState::Absent => absent(op),
        KeyState::Known(values) if values.is_empty() => absent(op),
        KeyState::Foreign => {
            let positive = Match::any(
                entry
                    .values
                    .iter()
                    .map(|pv| foreign_match(op.family, key, pv, version, ctx)),
            );
            negate_if(positive, op.negated)
        }
        KeyState::Known(values) => {
            let per_value = |v: &String| {
                let positive = Match::any(
                    entry
                        .values
                        .iter()
                        .map(|pv| positive_match(op.family, v, pv, version, ctx)),
                );
                negate_if(positive, op.negated)
            };
            match op.qualifier {
                Qualifier::Single if values.len() == 1 => per_value(&values[0]),
                Qualifier::Single => Match::maybe(format!(
                    "condition key {key} has several values but {} is a single-valued operator",
                    entry.operator
                )),
                Qualifier::ForAnyValue => Match::any(values.iter().map(per_value)),
                Qualifier::ForAllValues => Match::all(values.iter().map(per_value)),
            }
        }
    }
}

fn negate_if(m: Match, negated: bool) -> Match {
    if negated {
        m.not()
    } else {
        m
    }
}

/// The operator's result when the key is not in the request.
fn absent(op: Operator) -> Match {
    if op.if_exists {
        return Match::yes();
    }
    match op.qualifier {
        Qualifier::ForAllValues => Match::yes(),
        Qualifier::ForAnyValue => Match::no(),
        Qualifier::Single => Match::from_bool(op.negated),
    }
}

fn eval_null(entry: &ConditionEntry, state: &KeyState) -> Match {
    let is_null = match state {
        KeyState::Absent => true,
        KeyState::Known(v) => v.is_empty(),
        KeyState::Foreign => false,
        KeyState::Unknown(reason) => {
            return Match::maybe(format!("condition key {}: {reason}", entry.key))
        }
    };
    Match::any(
        entry
            .values
            .iter()
            .map(|v| match v.to_ascii_lowercase().as_str() {
                "true" => Match::from_bool(is_null),
                "false" => Match::from_bool(!is_null),
                _ => Match::maybe(format!(
                    "Null condition value {v} for {} is neither true nor false",
                    entry.key
                )),
            })
            .collect::<Vec<_>>(),
    )
}

/// Policy value tokens for string and ARN operators (which take policy variables).
fn pattern(pv: &str, version: PolicyVersion, ctx: &Context) -> Result<Vec<Tok>, Match> {
    expand(pv, version, ctx).map_err(Match::maybe)
}

/// Does request value `v` match policy value `pv` under the positive form of the operator?
fn positive_match(
    family: Family,
    v: &str,
    pv: &str,
    version: PolicyVersion,
    ctx: &Context,
) -> Match {
    if super::unknown::is_unknown(pv) || super::unknown::is_unknown(v) {
        // The same reference is the same value (`aws:SourceVpce` of a call through
        // `aws_vpc_endpoint.ecr.id`, against a condition on that reference); anything else may be.
        if v == pv {
            return Match::yes();
        }
        // Two endpoints (or other resources of one type) of the input: two ids.
        if matches!(family, Family::String { like: false, .. } | Family::Arn)
            && super::unknown::surely_differ(v, pv)
        {
            return Match::no();
        }
        let shown = if super::unknown::is_unknown(pv) {
            pv
        } else {
            v
        };
        return Match::maybe(format!(
            "condition value {} is not known before apply",
            super::unknown::display_unknowns(shown)
        ));
    }
    match family {
        Family::String { ignore_case, like } => {
            let toks = match pattern(pv, version, ctx) {
                Ok(t) => t,
                Err(m) => return m,
            };
            if like {
                Match::from_bool(glob(&toks, v))
            } else if ignore_case {
                Match::from_bool(tokens_text(&toks).to_lowercase() == v.to_lowercase())
            } else {
                Match::from_bool(tokens_text(&toks) == v)
            }
        }
        Family::Arn => match pattern(pv, version, ctx) {
            Ok(toks) => arn_like(&toks, pv, v),
            Err(m) => m,
        },
        Family::Numeric(cmp) => {
            let Some(p) = parse_number(pv) else {
                return Match::maybe(format!("condition value {pv} is not a number"));
            };
            match parse_number(v) {
                Some(r) => Match::from_bool(compare(r, p, cmp)),
                None => Match::no(),
            }
        }
        Family::Date(cmp) => {
            let Some(p) = parse_date(pv) else {
                return Match::maybe(format!(
                    "condition value {pv} is not a date this evaluator reads"
                ));
            };
            match parse_date(v) {
                Some(r) => Match::from_bool(compare(r, p, cmp)),
                None => Match::no(),
            }
        }
        Family::Bool => Match::from_bool(pv.eq_ignore_ascii_case(v)),
        Family::Binary => Match::from_bool(pv == v),
        Family::Ip => {
            let Some((net, bits)) = parse_cidr(pv) else {
                return Match::maybe(format!(
                    "condition value {pv} is not an IP address or CIDR block"
                ));
            };
            match v.parse::<IpAddr>() {
                Ok(ip) => Match::from_bool(cidr_contains(net, bits, ip)),
                Err(_) => Match::no(),
            }
        }
        Family::Null => Match::maybe("Null is evaluated elsewhere"),
    }
}

/// Positive match of an AWS-owned value we cannot see against `pv`.
fn foreign_match(
    family: Family,
    key: &str,
    pv: &str,
    version: PolicyVersion,
    ctx: &Context,
) -> Match {
    match family {
        Family::String { like: true, .. } | Family::Arn => {
            let toks = match pattern(pv, version, ctx) {
                Ok(t) => t,
                Err(m) => return m,
            };
            if all_stars(&toks) {
                Match::yes()
            } else if names_literal_account(&toks) || names_literal_org(&toks) {
                // A pattern that writes out an account (in an ARN) or an organization (at the
                // start of an org path) names the customer's, never the AWS-owned one.
                Match::no()
            } else if has_wildcard(&toks) {
                Match::maybe(format!(
                    "condition key {key} holds an AWS-owned value that is not known; pattern {pv} might match it"
                ))
            } else {
                Match::no()
            }
        }
        Family::String { like: false, .. } | Family::Binary => match pattern(pv, version, ctx) {
            Ok(_) => Match::no(),
            Err(m) => m,
        },
        Family::Numeric(_) | Family::Date(_) | Family::Bool | Family::Ip | Family::Null => {
            Match::maybe(format!(
                "condition key {key} holds an AWS-owned value that is not known"
            ))
        }
    }
}

/// `ArnLike`/`ArnEquals`: "each of the six colon-delimited components of the ARN is checked
/// separately and each can include multi-character match wildcards (*) or single-character match
/// wildcards (?)" (IAM User Guide, ARN condition operators).
fn arn_like(toks: &[Tok], raw: &str, value: &str) -> Match {
    if all_stars(toks) {
        return Match::yes();
    }
    let pattern_parts = split_tokens(toks);
    let value_parts: Vec<&str> = value.splitn(6, ':').collect();
    if pattern_parts.len() == 6 {
        if value_parts.len() != 6 {
            return Match::no();
        }
        return Match::from_bool(
            pattern_parts
                .iter()
                .zip(&value_parts)
                .all(|(p, v)| glob(p, v)),
        );
    }
    if glob(toks, value) {
        Match::maybe(format!(
            "ARN pattern {raw} does not have six colon-separated parts; how AWS matches it is not documented"
        ))
    } else {
        Match::no()
    }
}

/// Whether an ARN pattern has six parts and a literal, non-empty account part.
fn names_literal_account(toks: &[Tok]) -> bool {
    let parts = split_tokens(toks);
    parts.len() == 6 && !parts[4].is_empty() && parts[4].iter().all(|t| matches!(t, Tok::Lit(_)))
}

/// Whether a pattern starts with a literal organization id (`o-xxxx/…`, as in
/// `aws:PrincipalOrgPaths`).
fn names_literal_org(toks: &[Tok]) -> bool {
    let head: Vec<Tok> = toks
        .iter()
        .copied()
        .take_while(|t| *t != Tok::Lit('/'))
        .collect();
    head.len() > 2
        && head.len() < toks.len()
        && head[..2] == [Tok::Lit('o'), Tok::Lit('-')]
        && head.iter().all(|t| matches!(t, Tok::Lit(_)))
}

/// Splits tokens at literal `:` into at most six parts (the sixth keeps its colons).
fn split_tokens(toks: &[Tok]) -> Vec<Vec<Tok>> {
    let mut parts: Vec<Vec<Tok>> = vec![Vec::new()];
    for t in toks {
        if *t == Tok::Lit(':') && parts.len() < 6 {
            parts.push(Vec::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(*t);
        }
    }
    parts
}

fn compare(request: f64, policy: f64, cmp: Cmp) -> bool {
    match cmp {
        Cmp::Eq => request == policy,
        Cmp::Lt => request < policy,
        Cmp::Le => request <= policy,
        Cmp::Gt => request > policy,
        Cmp::Ge => request >= policy,
    }
}

fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let valid = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    if !valid {
        return None;
    }
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = (if y >= 0 { y } else { y - 399 }) / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Seconds since the epoch of an ISO 8601 date or date-time (`2024-01-31`,
/// `2024-01-31T12:00:00Z`, with optional fraction and `±hh:mm` offset) or of epoch seconds.
pub(crate) fn parse_date(s: &str) -> Option<f64> {
    let s = s.trim();
    if let Some(n) = digits(s) {
        return Some(n as f64);
    }
    if !s.is_ascii() {
        return None;
    }
    let (date, time) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut dp = date.split('-');
    let (y, m, d) = (
        digits(dp.next()?)?,
        digits(dp.next()?)?,
        digits(dp.next()?)?,
    );
    if dp.next().is_some()
        || !(1..=9999).contains(&y)
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
    {
        return None;
    }
    let mut secs = (days_from_civil(y, m, d) * 86_400) as f64;
    if let Some(time) = time {
        // Split off the zone: `Z`, `+hh:mm`, `-hh:mm`, `+hhmm`.
        let (clock, offset) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
            (c, 0i64)
        } else if let Some(pos) = time.rfind(['+', '-']) {
            let (c, z) = time.split_at(pos);
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let z = z[1..].replace(':', "");
            if z.len() != 4 {
                return None;
            }
            let (hh, mm) = (digits(&z[..2])?, digits(&z[2..])?);
            (c, sign * (hh * 3600 + mm * 60))
        } else {
            (time, 0)
        };
        let mut cp = clock.split(':');
        let h = digits(cp.next()?)?;
        let min = digits(cp.next()?)?;
        let sec: f64 = match cp.next() {
            None => 0.0,
            Some(sv) => {
                let (whole, frac) = sv.split_once('.').unwrap_or((sv, ""));
                let w = digits(whole)? as f64;
                if frac.is_empty() {
                    w
                } else {
                    digits(frac)?;
                    format!("0.{frac}").parse::<f64>().ok()? + w
                }
            }
        };
        if cp.next().is_some() || h > 24 || min > 59 || sec >= 61.0 {
            return None;
        }
        secs += (h * 3600 + min * 60 - offset) as f64 + sec;
    }
    Some(secs)
}

fn parse_cidr(s: &str) -> Option<(IpAddr, u32)> {
    let s = s.trim();
    let (addr, bits) = match s.split_once('/') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let ip: IpAddr = addr.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let bits = match bits {
        Some(b) => u32::try_from(digits(b)?).ok()?,
        None => max,
    };
    (bits <= max).then_some((ip, bits))
}

fn cidr_contains(net: IpAddr, bits: u32, ip: IpAddr) -> bool {
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(n) & mask == u32::from(i) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(i)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(n) & mask == u128::from(i) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_date("1970-01-02"), Some(86_400.0));
        assert_eq!(parse_date("2020-01-01T00:00:00Z"), Some(1_577_836_800.0));
        assert_eq!(
            parse_date("2020-01-01T01:00:00+01:00"),
            Some(1_577_836_800.0)
        );
        assert_eq!(parse_date("1577836800"), Some(1_577_836_800.0));
        assert_eq!(parse_date("2020-01-01T00:00:00.5Z"), Some(1_577_836_800.5));
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2020-13-01"), None);
    }

    #[test]
    fn cidrs() {
        let (n, b) = parse_cidr("10.0.0.0/8").unwrap();
        assert!(cidr_contains(n, b, "10.1.2.3".parse().unwrap()));
        assert!(!cidr_contains(n, b, "11.1.2.3".parse().unwrap()));
        let (n, b) = parse_cidr("2001:db8::/32").unwrap();
        assert!(cidr_contains(n, b, "2001:db8::1".parse().unwrap()));
        assert!(parse_cidr("10.0.0.0/33").is_none());
        let (n, b) = parse_cidr("0.0.0.0/0").unwrap();
        assert!(cidr_contains(n, b, "8.8.8.8".parse().unwrap()));
    }

    #[test]
    fn operators() {
        assert!(parse_operator("ForAnyValue:StringLikeIfExists").is_some());
        assert!(parse_operator("NullIfExists").is_none());
        assert!(parse_operator("StringEqualz").is_none());
    }
}
