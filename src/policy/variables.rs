//! Policy variables (`${aws:username}`, `${key, 'default'}`) and the escapes `${*}`, `${?}`, `${$}`.
//!
//! Under Version `2012-10-17` a `${…}` in a `Resource` or in a string or ARN condition value is
//! replaced by the value of that context key; under `2008-10-17` or with no Version it is literal
//! text (IAM User Guide, "IAM policy elements: Variables and tags"). A variable whose key is absent
//! takes its default if it has one; without one AWS says the statement "might" become invalid, so
//! we answer Maybe rather than guess.

use super::context::{Context, KeyState};
use super::document::PolicyVersion;
use super::matching::{wild_tokens, Tok};

/// Expands `raw` into pattern tokens. Inserted values are literal (never wildcards). `Err` carries
/// the reason the value cannot be known.
pub(crate) fn expand(raw: &str, version: PolicyVersion, ctx: &Context) -> Result<Vec<Tok>, String> {
    if !version.has_variables() || !raw.contains("${") {
        return Ok(wild_tokens(raw));
    }
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some(start) = rest.find("${") {
        out.extend(wild_tokens(&rest[..start]));
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            // No closing brace: not a variable, literal text.
            out.extend(wild_tokens(&rest[start..]));
            return Ok(out);
        };
        let inner = &after[..end];
        out.extend(resolve(inner, ctx)?.chars().map(Tok::Lit));
        rest = &after[end + 1..];
    }
    out.extend(wild_tokens(rest));
    Ok(out)
}

/// The text a variable's inside (between `${` and `}`) stands for.
fn resolve(inner: &str, ctx: &Context) -> Result<String, String> {
    match inner {
        "*" | "?" | "$" => return Ok(inner.to_string()),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        None => (inner.trim(), None),
        Some((key, default)) => {
            let d = default.trim();
            if d.len() < 2 || !d.starts_with('\'') || !d.ends_with('\'') {
                return Err(format!(
                    "policy variable ${{{inner}}} has a default value that is not in single quotes"
                ));
            }
            (key.trim(), Some(d[1..d.len() - 1].replace("''", "'")))
        }
    };
    if key.is_empty() {
        return Err("policy variable ${} names no key".to_string());
    }
    match ctx.get(key) {
        KeyState::Known(values) if values.len() == 1 => Ok(values[0].clone()),
        KeyState::Known(values) if values.len() > 1 => Err(format!(
            "policy variable ${{{key}}} refers to a multivalued key"
        )),
        KeyState::Known(_) | KeyState::Absent => default.ok_or_else(|| {
            format!(
                "policy variable ${{{key}}} refers to a key absent from the request; AWS documents that this might make the statement invalid"
            )
        }),
        KeyState::Unknown(reason) => Err(format!("policy variable ${{{key}}}: {reason}")),
        KeyState::Foreign => Err(format!(
            "policy variable ${{{key}}} stands for an AWS-owned value that is not known"
        )),
    }
}
