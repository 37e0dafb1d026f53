//! Parts of a document not known before apply.
//!
//! A policy written in HCL often refers to resources (`Resource = aws_ecr_repository.app.arn`).
//! Before apply such a value is not known, but the rest of the document is; dropping the whole
//! document would lose what it does say. The reader puts a marker string where a value is not
//! known, and the evaluator treats a marker as "some value": a pattern that is a marker matches
//! that same marker (a statement about `aws_ecr_repository.app.arn` is about it) and maybe
//! anything else; a condition value that is a marker makes its condition undecided.

const OPEN: char = '\u{1}';
const CLOSE: char = '\u{2}';

/// The marker for a value not known before apply, `what` saying which (`aws_s3_bucket.app.arn`).
pub fn unknown_text(what: &str) -> String {
    format!("{OPEN}{what}{CLOSE}")
}

/// A template's marked text (see `model::Unknown::marked`: the evaluator writes its markers
/// JSON-escaped) with its markers as characters.
pub fn raw_markers(marked: &str) -> String {
    marked
        .replace("\\u0001", "\u{1}")
        .replace("\\u0002", "\u{2}")
}

/// Whether a string holds a part not known before apply.
pub fn is_unknown(s: &str) -> bool {
    s.contains(OPEN)
}

/// `s` with each marker of the account id of `data.aws_caller_identity` (in the root or a
/// module) as [`super::context::OWN_ACCOUNT`]: the account the input deploys into, as
/// pullpath reads the input's own account elsewhere (`graph::build::iam::input_accounts`).
/// `None` when `s` has no such marker, has markers of anything else, or already holds the
/// stand-in character (an input cannot name it).
pub(crate) fn with_own_account(s: &str) -> Option<String> {
    use super::context::OWN_ACCOUNT;
    if s.contains(OWN_ACCOUNT) {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut any = false;
    while let Some(open) = rest.find(OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + OPEN.len_utf8()..];
        let close = after.find(CLOSE)?;
        if !is_caller_account(&after[..close]) {
            return None;
        }
        out.push(OWN_ACCOUNT);
        any = true;
        rest = &after[close + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    any.then_some(out)
}

/// Whether a principal entry with parts not known before apply can never be `"*"`: it has known
/// text other than `*` around its markers (`arn:aws:iam::${…}:root`), or each of its markers is
/// an ARN, id or account id of a resource or data source (never `"*"`), not a variable's or a
/// local's value, which could be anything.
pub(crate) fn never_star(s: &str) -> bool {
    if known_parts(s).iter().any(|p| p.chars().any(|c| c != '*')) {
        return true;
    }
    markers(s).all(|what| {
        resource_attribute(what).is_some_and(|r| {
            r.rtype.starts_with("aws_")
                && matches!(r.attr, "arn" | "id" | "unique_id" | "account_id")
        })
    })
}

/// A reference to an attribute of a resource or data source (see [`resource_attribute`]).
struct AttributeRef<'a> {
    /// A data source's (`data.<type>.<name>`).
    data: bool,
    rtype: &'a str,
    attr: &'a str,
}

/// The reference `what` names, when it is an attribute of a resource or data source, in the root
/// or a module (`module.m["k"].data.aws_caller_identity.c.account_id`: a data source's
/// `aws_caller_identity`, `account_id`); `None` for anything else (a variable, a local, a module
/// output).
fn resource_attribute(what: &str) -> Option<AttributeRef<'_>> {
    // The dot-separated parts, a part's `[…]` index (which may hold dots) kept with it.
    let mut parts: Vec<&str> = Vec::new();
    let (mut start, mut depth) = (0, 0usize);
    for (i, c) in what.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                parts.push(&what[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&what[start..]);
    let mut i = 0;
    while parts.get(i) == Some(&"module") {
        i += 2;
    }
    let data = parts.get(i) == Some(&"data");
    if data {
        i += 1;
    }
    match &parts[i.min(parts.len())..] {
        [rtype, name, attr] if !name.is_empty() && !rtype.contains('[') => {
            Some(AttributeRef { data, rtype, attr })
        }
        _ => None,
    }
}

/// The address of the role a principal entry is, when it is exactly the ARN of a role the input
/// creates (`${aws_iam_role.exec.arn}`, `${module.m.aws_iam_role.this[0].arn}`; a data source
/// is not: it may read a role the input also creates).
pub(crate) fn created_role(s: &str) -> Option<&str> {
    created_arn(s)
        .filter(|(_, rtype)| *rtype == "aws_iam_role")
        .map(|(a, _)| a)
}

/// The address and type of the resource whose ARN a text is, when it is exactly the ARN of a
/// resource the input creates (`${aws_ecr_repository.app.arn}`): two such texts of the same type
/// and different addresses are different resources, whose ARNs differ.
pub(crate) fn created_arn(s: &str) -> Option<(&str, &str)> {
    created_attribute(s, "arn")
}

/// [`created_arn`] for attribute `attr` (`id`, `arn`): the same attribute of two resources of
/// one type the input creates under different addresses differs (two endpoints have two ids).
pub(crate) fn created_attribute<'s>(s: &'s str, attr: &str) -> Option<(&'s str, &'s str)> {
    let what = s.strip_prefix(OPEN)?.strip_suffix(CLOSE)?;
    if what.contains([OPEN, CLOSE]) || what.contains(" or ") {
        return None;
    }
    let r = resource_attribute(what)?;
    let address = what.strip_suffix(attr)?.strip_suffix('.')?;
    // An instance not decided (`app[*]`) may be any of them.
    let decided = !address.contains('*');
    (r.attr == attr && !r.data && decided && r.rtype.starts_with("aws_"))
        .then_some((address, r.rtype))
}

/// Whether two texts are surely different values: the same identifying attribute (`id`,
/// `arn`) of two resources of one type the input creates under different addresses.
pub(crate) fn surely_differ(a: &str, b: &str) -> bool {
    ["id", "arn"].iter().any(|attr| {
        matches!(
            (created_attribute(a, attr), created_attribute(b, attr)),
            (Some((x, xt)), Some((y, yt))) if x != y && xt == yt
        )
    })
}

/// Whether a principal entry names the input's own account through `data.aws_caller_identity`:
/// the account id alone or its root (`arn:<partition>:iam::${…account_id}:root`).
pub(crate) fn is_own_account_entry(s: &str) -> bool {
    use super::context::OWN_ACCOUNT;
    let Some(own) = with_own_account(s) else {
        return false;
    };
    let mut chars = own.chars();
    if chars.next() == Some(OWN_ACCOUNT) && chars.next().is_none() {
        return true;
    }
    let mut parts = own.splitn(6, ':');
    matches!(
        (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next()
        ),
        (Some("arn"), Some(_), Some("iam"), Some(""), Some(account), Some("root"))
            if account.len() == OWN_ACCOUNT.len_utf8() && account.starts_with(OWN_ACCOUNT)
    )
}

/// The references of a text's markers.
fn markers(s: &str) -> impl Iterator<Item = &str> {
    s.split(OPEN)
        .skip(1)
        .map(|rest| rest.split(CLOSE).next().unwrap_or(rest))
}

/// Whether a marker's reference is `data.aws_caller_identity.<name>.account_id`, in the root
/// (`data.aws_caller_identity.current.account_id`) or in a module
/// (`module.tasks.data.aws_caller_identity.current.account_id`).
fn is_caller_account(what: &str) -> bool {
    resource_attribute(what)
        .is_some_and(|r| r.data && r.rtype == "aws_caller_identity" && r.attr == "account_id")
}

/// The known text of `s` between its markers: one piece more than there are markers (a marker
/// at the start or end leaves an empty piece). An unclosed marker runs to the end.
pub(crate) fn known_parts(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find(OPEN) {
        out.push(&rest[..open]);
        match rest[open..].find(CLOSE) {
            Some(close) => rest = &rest[open + close + CLOSE.len_utf8()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push(rest);
    out
}

/// The document text as users read it: each marker as a Terraform interpolation, in plain text
/// and in JSON text (where a marker is escaped, `\u0001what\u0002`: the corrected policies of
/// fixes are JSON).
pub fn display_unknowns(s: &str) -> String {
    const OPEN_ESCAPED: &str = "\\u0001";
    const CLOSE_ESCAPED: &str = "\\u0002";
    let mut out = if s.contains(OPEN) {
        s.replace(OPEN, "${").replace(CLOSE, "}")
    } else {
        s.to_string()
    };
    if out.contains(OPEN_ESCAPED) {
        out = out.replace(OPEN_ESCAPED, "${").replace(CLOSE_ESCAPED, "}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip_for_display() {
        let m = format!("{}/*", unknown_text("aws_s3_bucket.app.arn"));
        assert!(is_unknown(&m));
        assert_eq!(display_unknowns(&m), "${aws_s3_bucket.app.arn}/*");
        assert!(!is_unknown("arn:aws:s3:::app/*"));
        // As JSON writes it, in a fix's corrected policy.
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, "\"\\u0001aws_s3_bucket.app.arn\\u0002/*\"");
        assert_eq!(display_unknowns(&json), "\"${aws_s3_bucket.app.arn}/*\"");
    }

    #[test]
    fn the_callers_account_is_the_own_account() {
        use crate::policy::context::OWN_ACCOUNT;
        let arn = |what: &str| {
            format!(
                "arn:aws:logs:us-east-1:{}:log-group:/ecs/*",
                unknown_text(what)
            )
        };
        let own = format!("arn:aws:logs:us-east-1:{OWN_ACCOUNT}:log-group:/ecs/*");
        for what in [
            "data.aws_caller_identity.current.account_id",
            "module.tasks.data.aws_caller_identity.current.account_id",
            "module.a[\"x.y\"].module.b.data.aws_caller_identity.this[0].account_id",
        ] {
            assert_eq!(
                with_own_account(&arn(what)).as_deref(),
                Some(own.as_str()),
                "{what}"
            );
        }
        for what in [
            "data.aws_caller_identity.current.arn",
            "var.account_id",
            "data.aws_caller_identity.current.account_id or var.account",
            "local.data.aws_caller_identity.current.account_id",
        ] {
            assert_eq!(with_own_account(&arn(what)), None, "{what}");
        }
        // Another unknown part besides it: not all known.
        let two = format!(
            "arn:aws:logs:{}:{}:*",
            unknown_text("var.region"),
            unknown_text("data.aws_caller_identity.current.account_id")
        );
        assert_eq!(with_own_account(&two), None);
        assert_eq!(with_own_account("arn:aws:logs:*:*:*"), None);
        // The stand-in itself in the input is not the account.
        let forged = format!(
            "{OWN_ACCOUNT}{}",
            unknown_text("data.aws_caller_identity.c.account_id")
        );
        assert_eq!(with_own_account(&forged), None);
    }

    #[test]
    fn principal_entries_that_are_never_star() {
        let m = unknown_text;
        for never in [
            format!(
                "arn:aws:iam::{}:root",
                m("data.aws_caller_identity.current.account_id")
            ),
            m("aws_iam_role.exec.arn"),
            m("module.m[\"a.b\"].aws_iam_role.this[0].arn"),
            m("data.aws_caller_identity.current.account_id"),
            m("data.aws_iam_role.exec.unique_id"),
        ] {
            assert!(never_star(&never), "{never}");
        }
        for may in [
            m("var.principal"),
            m("local.who"),
            m("module.iam.principal_arn"),
            m("aws_ssm_parameter.p.value"),
            format!("{}*", m("var.prefix")),
            m("aws_iam_role.a.arn or var.b"),
        ] {
            assert!(!never_star(&may), "{may}");
        }
    }

    #[test]
    fn roles_the_input_creates() {
        let m = unknown_text;
        assert_eq!(
            created_role(&m("aws_iam_role.exec.arn")),
            Some("aws_iam_role.exec")
        );
        assert_eq!(
            created_role(&m("module.svc.aws_iam_role.exec[0].arn")),
            Some("module.svc.aws_iam_role.exec[0]")
        );
        for not in [
            m("data.aws_iam_role.exec.arn"),
            m("module.svc.data.aws_iam_role.exec.arn"),
            m("aws_iam_role.exec.id"),
            m("var.role_arn"),
            format!("{}x", m("aws_iam_role.exec.arn")),
        ] {
            assert_eq!(created_role(&not), None, "{not}");
        }
        assert_eq!(
            created_arn(&m("module.a.aws_ecr_repository.app[\"x\"].arn")),
            Some((
                "module.a.aws_ecr_repository.app[\"x\"]",
                "aws_ecr_repository"
            ))
        );
        assert_eq!(created_arn(&m("aws_ecr_repository.app[*].arn")), None);
        assert_eq!(created_arn(&m("data.aws_ecr_repository.app.arn")), None);
        assert_eq!(
            created_arn(&m("aws_ecr_repository.app.repository_url")),
            None
        );
        assert!(surely_differ(
            &m("aws_vpc_endpoint.ecr_api.id"),
            &m("aws_vpc_endpoint.ecr_dkr.id")
        ));
        assert!(!surely_differ(
            &m("aws_vpc_endpoint.ecr_api.id"),
            &m("aws_vpc_endpoint.ecr_api.id")
        ));
        assert!(!surely_differ(
            &m("aws_vpc_endpoint.ecr_api.id"),
            &m("data.aws_vpc_endpoint.ecr_dkr.id")
        ));
        assert!(!surely_differ(
            &m("aws_vpc_endpoint.ecr_api.id"),
            &m("aws_vpc.main.id")
        ));
        let caller = m("data.aws_caller_identity.current.account_id");
        assert!(is_own_account_entry(&caller));
        assert!(is_own_account_entry(&format!("arn:aws:iam::{caller}:root")));
        assert!(!is_own_account_entry(&format!(
            "arn:aws:iam::{caller}:role/x"
        )));
        assert!(!is_own_account_entry(&m("var.account")));
    }

    #[test]
    fn known_parts_are_the_text_between_markers() {
        let m = format!(
            "arn:aws:logs:{}:{}:log-group:/ecs/web:*",
            unknown_text("var.region"),
            unknown_text("data.aws_caller_identity.current.account_id")
        );
        assert_eq!(
            known_parts(&m),
            vec!["arn:aws:logs:", ":", ":log-group:/ecs/web:*"]
        );
        assert_eq!(known_parts(&unknown_text("x")), vec!["", ""]);
        assert_eq!(known_parts("plain"), vec!["plain"]);
        // An unclosed marker is unknown to the end.
        assert_eq!(known_parts(&format!("a{OPEN}open")), vec!["a", ""]);
    }
}
