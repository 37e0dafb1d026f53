//! Property tests: soundness of the three-valued answers and robustness on arbitrary input.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use super::requests::starport_layer_download;
use super::*;

const ROLE: &str = "arn:aws:iam::111122223333:role/exec";
const KEYS: [&str; 7] = [
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:PrincipalAccount",
    "aws:username",
    "aws:TagKeys",
    "aws:SourceIp",
    "aws:CurrentTime",
];

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &[T]) -> proptest::sample::Select<T> {
    proptest::sample::select(items.to_vec())
}

fn arb_operator() -> impl Strategy<Value = String> {
    let base = pick(&[
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
        "ArnLike",
        "ArnNotEquals",
        "NumericLessThan",
        "NumericNotEquals",
        "DateGreaterThan",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "NotIpAddress",
        "Null",
        "Bogus",
    ]);
    (
        pick(&["", "ForAnyValue:", "ForAllValues:"]),
        base,
        any::<bool>(),
    )
        .prop_map(|(q, b, if_exists)| format!("{q}{b}{}", if if_exists { "IfExists" } else { "" }))
}

fn arb_condition_value() -> impl Strategy<Value = Value> {
    pick(&[
        "vpc-1",
        "vpc-2",
        "vpce-1",
        "111122223333",
        "*",
        "vpc-*",
        "${aws:username}",
        "${aws:username, 'vpc-1'}",
        "10.0.0.0/8",
        "2020-01-01T00:00:00Z",
        "true",
        "false",
        "5",
        "o-abc/*",
        "arn:aws:iam::*:role/*",
    ])
    .prop_map(|s| json!(s))
}

fn arb_condition() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (
            arb_operator(),
            pick(&KEYS),
            prop::collection::vec(arb_condition_value(), 1..3),
        ),
        0..3,
    )
    .prop_map(|entries| {
        let mut ops = Map::new();
        for (op, key, values) in entries {
            let keys = ops.entry(op).or_insert_with(|| json!({}));
            if let Some(obj) = keys.as_object_mut() {
                obj.insert(key.to_string(), Value::Array(values));
            }
        }
        Value::Object(ops)
    })
}

fn arb_principal() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(Some(json!("*"))),
        Just(Some(json!({"AWS": "*"}))),
        Just(Some(json!({"AWS": "111122223333"}))),
        Just(Some(json!({"AWS": ROLE}))),
        Just(Some(json!({"Service": "ecs-tasks.amazonaws.com"}))),
        Just(None),
    ]
}

fn arb_names(pool: &'static [&'static str]) -> impl Strategy<Value = Value> {
    prop_oneof![
        pick(pool).prop_map(|s| json!(s)),
        prop::collection::vec(pick(pool), 0..3).prop_map(|v| json!(v)),
    ]
}

const ACTIONS: &[&str] = &[
    "*",
    "s3:*",
    "s3:GetObject",
    "s3:Get*",
    "ecr:*",
    "S3:GETOBJECT",
    "s3:Put*",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::prod-*-starport-layer-bucket/*",
    "arn:aws:s3:::bucket/${aws:username}/*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::b?cket/a*",
    "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/sha*",
];

/// A statement that parses, with the given effect.
fn arb_statement_with(effect: &'static str) -> impl Strategy<Value = Value> {
    (
        arb_principal(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        arb_names(ACTIONS),
        arb_names(RESOURCES),
        arb_condition(),
    )
        .prop_map(
            move |(principal, not_principal, not_action, not_resource, action, resource, cond)| {
                let mut s = Map::new();
                s.insert("Effect".into(), json!(effect));
                if let Some(p) = principal {
                    let key = if not_principal && p != json!("*") {
                        "NotPrincipal"
                    } else {
                        "Principal"
                    };
                    s.insert(key.into(), p);
                }
                s.insert(
                    if not_action { "NotAction" } else { "Action" }.into(),
                    action,
                );
                s.insert(
                    if not_resource {
                        "NotResource"
                    } else {
                        "Resource"
                    }
                    .into(),
                    resource,
                );
                s.insert("Condition".into(), cond);
                Value::Object(s)
            },
        )
}

fn arb_statement() -> impl Strategy<Value = Value> {
    prop_oneof![arb_statement_with("Allow"), arb_statement_with("Deny")]
}

fn document(version: &str, statements: Vec<Value>) -> Value {
    json!({"Version": version, "Statement": statements})
}

fn arb_key_state() -> impl Strategy<Value = KeyState> {
    prop_oneof![
        pick(&[
            "vpc-1",
            "vpc-2",
            "vpce-1",
            "111122223333",
            "alice",
            "10.1.2.3",
            "2024-01-01T00:00:00Z",
            "true",
            "7"
        ])
        .prop_map(KeyState::known),
        Just(KeyState::Known(vec!["env".into(), "vpc-1".into()])),
        Just(KeyState::Absent),
        Just(KeyState::Foreign),
    ]
}

fn arb_request() -> impl Strategy<Value = Request> {
    (
        prop::collection::vec(arb_key_state(), KEYS.len()),
        pick(&[
            ResourceSpec::Exact("arn:aws:s3:::bucket/alice/f".into()),
            ResourceSpec::Exact(
                "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/sha256abc".into(),
            ),
            ResourceSpec::Prefix("arn:aws:s3:::prod-us-east-1-starport-layer-bucket/".into()),
        ]),
        pick(&[
            PrincipalSpec::Arn(ROLE.into()),
            PrincipalSpec::AwsOwned,
            PrincipalSpec::Service("ecs-tasks.amazonaws.com".into()),
        ]),
    )
        .prop_map(|(states, resource, principal)| {
            let mut context = Context::all_absent();
            for (key, state) in KEYS.iter().zip(states) {
                context.set(key, state);
            }
            Request {
                principal,
                action: "s3:GetObject".into(),
                resource,
                context,
            }
        })
}

/// A decided answer with less information must be the answer with more.
/// Knowing less may turn a decision into Unknown, or one kind of deny into the other (a policy
/// that cannot allow denies, whether or not an undecided Deny applies); never anything else.
fn refines(with_more: Decision, with_less: Decision) -> bool {
    with_less == Decision::Unknown
        || with_less == with_more
        || (with_less.is_deny() && with_more.is_deny())
}

fn arb_json() -> impl Strategy<Value = Value> {
    let names = pick(&[
        "Version",
        "Statement",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
        "Sid",
        "AWS",
        "Service",
        "StringEquals",
        "ForAnyValue:StringLike",
        "aws:SourceVpc",
        "Null",
    ])
    .prop_map(str::to_string);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        pick(&[
            "Allow",
            "Deny",
            "*",
            "2012-10-17",
            "2008-10-17",
            "s3:GetObject",
            "arn:aws:s3:::*",
            "${aws:username}",
            "${",
            "${x, '",
            "1999-13-45T99:99:99+99:99",
            "::::::",
            "10.0.0.0/99",
        ])
        .prop_map(|s| json!(s)),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((names.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn fixed_requests() -> Vec<Request> {
    let mut out = vec![
        starport_layer_download(
            "us-east-1",
            "aws",
            KeyState::known("vpc-1"),
            KeyState::Absent,
        )
        .expect("documented partition"),
        starport_layer_download(
            "us-east-1",
            "aws",
            KeyState::unknown("new VPC"),
            KeyState::unknown("new endpoint"),
        )
        .expect("documented partition"),
    ];
    out.extend(requests::ecr_pull_requests(
        &PrincipalSpec::UnknownAwsPrincipal,
        "us-east-1",
        None,
        &KeyState::known("vpc-1"),
        &KeyState::Absent,
    ));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Adding a Deny never makes a request allowed, and adding one that applies denies it.
    #[test]
    fn adding_a_deny_never_allows(
        statements in prop::collection::vec(arb_statement(), 0..4),
        deny in arb_statement_with("Deny"),
        request in arb_request(),
    ) {
        let before = Policy::from_value(&document("2012-10-17", statements.clone())).unwrap();
        let mut with_deny = statements;
        with_deny.push(deny.clone());
        let after = Policy::from_value(&document("2012-10-17", with_deny)).unwrap();
        let alone = Policy::from_value(&document("2012-10-17", vec![deny])).unwrap();
        let (b, a) = (evaluate(&before, &request).decision, evaluate(&after, &request).decision);
        if a == Decision::Allow {
            prop_assert_eq!(b, Decision::Allow);
        }
        if evaluate(&alone, &request).decision == Decision::ExplicitDeny {
            prop_assert_eq!(a, Decision::ExplicitDeny);
        }
        // A Deny that surely applies denies whatever else the policy says.
        let mut always = after.clone();
        always.statements.push(Policy::parse_str(
            r#"{"Statement":{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}}"#,
        ).unwrap().statements[0].clone());
        prop_assert_eq!(evaluate(&always, &request).decision, Decision::ExplicitDeny);
    }

    /// Replacing a known (or absent, or foreign) key with Unknown never yields a decided answer
    /// that differs from the one with the value: in particular never Allow where the value gives
    /// a Deny.
    #[test]
    fn unknown_keys_are_sound(
        statements in prop::collection::vec(arb_statement(), 0..4),
        version in pick(&["2012-10-17", "2008-10-17"]),
        request in arb_request(),
        which in 0..KEYS.len(),
    ) {
        let policy = Policy::from_value(&document(version, statements)).unwrap();
        let known = evaluate(&policy, &request).decision;
        let mut less = request.clone();
        less.context.set(KEYS[which], KeyState::unknown("not known until apply"));
        let unknown = evaluate(&policy, &less).decision;
        prop_assert!(refines(known, unknown), "known {known}, unknown {unknown}");
        if known.is_deny() {
            prop_assert_ne!(unknown, Decision::Allow);
        }
        // Every key unknown at once.
        let mut none = request.clone();
        none.context = Context::all_unknown("nothing known");
        prop_assert!(refines(known, evaluate(&policy, &none).decision));
    }

    /// Knowing less of the resource or the principal is sound too.
    #[test]
    fn unknown_resources_and_principals_are_sound(
        statements in prop::collection::vec(arb_statement(), 0..4),
        request in arb_request(),
        suffix in "[a-z0-9/:*]{1,8}",
    ) {
        let policy = Policy::from_value(&document("2012-10-17", statements)).unwrap();
        let known = evaluate(&policy, &request).decision;
        let mut less = request.clone();
        less.resource = ResourceSpec::Unknown;
        prop_assert!(refines(known, evaluate(&policy, &less).decision));
        if let PrincipalSpec::Arn(_) = request.principal {
            let mut less = request.clone();
            less.principal = PrincipalSpec::UnknownAwsPrincipal;
            prop_assert!(refines(known, evaluate(&policy, &less).decision));
        }
        if let ResourceSpec::Prefix(p) = &request.resource {
            let mut more = request.clone();
            more.resource = ResourceSpec::Exact(format!("{p}{suffix}"));
            prop_assert!(refines(evaluate(&policy, &more).decision, known));
        }
    }

    /// A `Resource` with parts known only after apply, and a resource whose account (or a
    /// repository's ARN, by its reference) is not known, are sound: whatever the parts turn
    /// out to be (wildcards included), a decided answer is the answer with the values, for an
    /// Allow and for a Deny.
    #[test]
    fn partly_known_resources_are_sound(
        template in pick(&[
            "arn:aws:s3:::{}/*",
            "arn:aws:s3:::prod-{}-starport-layer-bucket/*",
            "arn:{}:s3:::bucket/*",
            "{}",
            "{}*",
            "arn:aws:s3:::bucket/{}",
            "arn:aws:logs:{}:{}:log-group:/ecs/web:*",
            "arn:aws:logs:us-east-1:{}:log-group:{}",
            "arn:aws:logs:us-east-1:{}:log-group:/ecs/w{}",
            "arn:aws:ecr:{}:{}:repository/app",
            "arn:aws:ecr:us-east-1:{}:repository/other",
            "arn:aws:ecr:us-east-1:{}:repository/{}",
        ]),
        fillings in prop::collection::vec(
            prop_oneof![
                "[a-z0-9:/*?-]{0,6}",
                pick(&["us-east-1", "111122223333", "bucket", "web", "aws", "*", "/ecs/web:*"])
                    .prop_map(str::to_string),
            ],
            2,
        ),
        deny in any::<bool>(),
        resource in pick(&[
            "exact:arn:aws:s3:::bucket/alice/f",
            "prefix:arn:aws:s3:::prod-us-east-1-starport-layer-bucket/",
            "prefix:arn:aws:logs:us-east-1:\u{E000}:log-group:/ecs/web:log-stream:",
            "prefix:arn:aws:logs:us-east-1:\u{E000}:log-group:/ecs/worker:log-stream:",
            "exact:arn:aws:ecr:us-east-1:\u{E000}:repository/app",
            "reference:arn:aws:ecr:us-east-1:\u{E000}:repository/app",
        ]),
        account in pick(&["111122223333", "a", "us-east-1", "web"]),
    ) {
        let mut parts = template.split("{}");
        let mut marked = parts.next().unwrap_or_default().to_string();
        let mut known = marked.clone();
        for (i, piece) in parts.enumerate() {
            marked.push_str(&unknown_text(&format!("var.part{i}")));
            known.push_str(&fillings[i]);
            marked.push_str(piece);
            known.push_str(piece);
        }
        let doc = |r: &str| {
            let target = json!({"Effect": if deny { "Deny" } else { "Allow" }, "Principal": "*", "Action": "*", "Resource": r});
            let mut statements = vec![target];
            if deny {
                statements.push(json!({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}));
            }
            Policy::from_value(&document("2012-10-17", statements)).unwrap()
        };
        let (kind, text) = resource.split_once(':').unwrap();
        let filled = text.replace(UNKNOWN_PART, account);
        let spec = |t: &str, less: bool| match kind {
            "exact" => ResourceSpec::Exact(t.to_string()),
            "prefix" => ResourceSpec::Prefix(t.to_string()),
            _ if less => ResourceSpec::Reference {
                reference: unknown_text("aws_ecr_repository.app.arn"),
                shape: t.to_string(),
            },
            _ => ResourceSpec::Exact(t.to_string()),
        };
        let request = |resource: ResourceSpec| Request {
            principal: PrincipalSpec::Arn(ROLE.into()),
            action: "s3:GetObject".into(),
            resource,
            context: Context::all_absent(),
        };
        let with_values = evaluate(&doc(&known), &request(spec(&filled, false))).decision;
        let with_less = evaluate(&doc(&marked), &request(spec(text, true))).decision;
        prop_assert!(
            refines(with_values, with_less),
            "{marked:?} on {text:?}: {with_less}; {known:?} on {filled:?}: {with_values}"
        );
        // Each side alone knows less too.
        let pattern_only = evaluate(&doc(&marked), &request(spec(&filled, false))).decision;
        prop_assert!(refines(with_values, pattern_only));
        let resource_only = evaluate(&doc(&known), &request(spec(text, true))).decision;
        prop_assert!(refines(with_values, resource_only));
    }

    /// Unknown is never reported as Allow: an Unknown evaluation always says why.
    #[test]
    fn unknown_has_reasons(
        statements in prop::collection::vec(arb_statement(), 0..4),
        request in arb_request(),
    ) {
        let policy = Policy::from_value(&document("2012-10-17", statements)).unwrap();
        let e = evaluate(&policy, &request);
        if e.decision == Decision::Unknown {
            prop_assert!(!e.unknown_because.is_empty());
            prop_assert!(!e.deciding.is_empty());
        }
    }

    /// Parsing and evaluation never panic on arbitrary JSON.
    #[test]
    fn arbitrary_json_never_panics(value in arb_json()) {
        let requests = fixed_requests();
        for candidate in [
            value.clone(),
            json!({"Version": "2012-10-17", "Statement": value.clone()}),
            json!({"Statement": [value.clone()]}),
        ] {
            if let Ok(policy) = Policy::from_value(&candidate) {
                for r in &requests {
                    let _ = evaluate(&policy, r);
                    let _ = evaluate_identity(&[IdentityPolicy::Document(&policy)], r);
                }
                let _ = fix::fix_starport_policy(&candidate, "us-east-1", "aws", KeyState::known("vpc-1"), KeyState::Absent);
            }
            let _ = Policy::parse_str(&candidate.to_string());
        }
    }

    /// Statement-shaped values with arbitrary parts never panic either.
    #[test]
    fn arbitrary_statements_never_panic(
        parts in prop::collection::vec((pick(&[
            "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal",
            "NotPrincipal", "Condition", "Sid",
        ]), arb_json()), 0..8),
        good in arb_statement(),
    ) {
        let mut stmt = good.as_object().cloned().unwrap_or_default();
        for (k, v) in parts {
            stmt.insert(k.to_string(), v);
        }
        let doc = json!({"Version": "2012-10-17", "Statement": [Value::Object(stmt)]});
        if let Ok(policy) = Policy::from_value(&doc) {
            for r in &fixed_requests() {
                let _ = evaluate(&policy, r);
            }
            let _ = fix::fix_starport_policy(&doc, "us-east-1", "aws", KeyState::known("vpc-1"), KeyState::Absent);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = Policy::parse_str(&text);
    }

    /// The starport fix, when it succeeds, allows the layer download and keeps the statements.
    #[test]
    fn fixes_allow_and_keep_statements(statements in prop::collection::vec(arb_statement(), 0..4)) {
        let doc = document("2012-10-17", statements.clone());
        let request = starport_layer_download("us-east-1", "aws", KeyState::known("vpc-1"), KeyState::known("vpce-1")).unwrap();
        if let Ok(fixed) = fix::fix_starport_policy(&doc, "us-east-1", "aws", KeyState::known("vpc-1"), KeyState::known("vpce-1")) {
            let policy = Policy::from_value(&fixed).unwrap();
            prop_assert_eq!(evaluate(&policy, &request).decision, Decision::Allow);
            let kept = fixed["Statement"].as_array().unwrap();
            prop_assert!(kept.len() >= statements.len());
            for (old, new) in statements.iter().zip(kept) {
                prop_assert_eq!(&old["Effect"], &new["Effect"]);
                prop_assert_eq!(&old["Condition"], &new["Condition"]);
            }
        }
    }
}

/// The matcher against a direct reading of the wildcard rules: a recursive matcher that tries
/// every way a `*` can go (exponential, so only for short inputs). `cross[i]`: whether the
/// wildcard at `i` may match `:`.
mod reference {
    use proptest::prelude::*;

    use super::super::context::ResourceSpec;
    use super::super::matching::{
        glob, match_action, match_resource, wild_tokens, Match, Tok, Tri,
    };

    fn matches(toks: &[Tok], cross: &[bool], text: &[char]) -> bool {
        let wild_ok = |i: usize| text.first().is_some_and(|c| *c != ':' || cross[i]);
        match toks.first() {
            None => text.is_empty(),
            Some(Tok::Lit(l)) => {
                text.first() == Some(l) && matches(&toks[1..], &cross[1..], &text[1..])
            }
            Some(Tok::Quest) => wild_ok(0) && matches(&toks[1..], &cross[1..], &text[1..]),
            Some(Tok::Star) => {
                matches(&toks[1..], &cross[1..], text)
                    || (wild_ok(0) && matches(toks, cross, &text[1..]))
            }
        }
    }

    /// Plain: every wildcard crosses. Segments: only a `*` that ends a segment or the pattern.
    fn cross(toks: &[Tok], segments: bool) -> Vec<bool> {
        (0..toks.len())
            .map(|i| {
                !segments
                    || (toks[i] == Tok::Star && toks.get(i + 1).is_none_or(|t| *t == Tok::Lit(':')))
            })
            .collect()
    }

    /// Whether the pattern matches `prefix` + every non-empty text (Yes), none (No) or some
    /// (Maybe), as the matcher has always decided it: some way of matching the prefix must stop
    /// before the end of the pattern, and from there the rest must be `*` (crossing) or `?*`.
    fn prefix(toks: &[Tok], cross: &[bool], prefix: &[char]) -> Tri {
        // Standing at `i` after the prefix: the tokens before `i` matched it, or a `*` at `i`
        // took its tail.
        let live: Vec<usize> = (0..toks.len())
            .filter(|&i| {
                matches(&toks[..i], &cross[..i], prefix)
                    || (toks[i] == Tok::Star && matches(&toks[..=i], &cross[..=i], prefix))
            })
            .collect();
        if live.is_empty() {
            return Tri::No;
        }
        let all = live.iter().any(|&i| {
            let rest = i..toks.len();
            rest.clone().all(|j| !matches!(toks[j], Tok::Lit(_)))
                && rest.clone().any(|j| toks[j] == Tok::Star && cross[j])
                && rest.clone().filter(|&j| toks[j] == Tok::Quest).count() <= 1
                && rest.clone().all(|j| toks[j] != Tok::Quest || cross[j])
        });
        if all {
            Tri::Yes
        } else {
            Tri::Maybe
        }
    }

    fn tri(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }

    /// Both readings agree: that answer; else Maybe (as `match_resource` decides).
    fn both(strict: Tri, plain: Tri) -> Tri {
        if strict == plain {
            strict
        } else {
            Tri::Maybe
        }
    }

    /// The old merge of reasons: a scan of the list per reason.
    fn merged(items: &[Match]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in items.iter().filter(|m| m.tri == Tri::Maybe) {
            for r in &m.reasons {
                if !out.contains(r) {
                    out.push(r.clone());
                }
            }
        }
        out
    }

    fn arb_match() -> impl Strategy<Value = Match> {
        prop_oneof![
            Just(Match::yes()),
            Just(Match::no()),
            prop::collection::vec("[abc]", 0..4).prop_map(|reasons| Match {
                tri: Tri::Maybe,
                reasons,
            }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// `\u{1}` is the first character of a marker of an unknown value: a literal here.
        #[test]
        fn wildcards_match_as_the_reference_does(
            pattern in "[ab:*?\u{1}]{0,9}",
            text in "[ab:\u{1}]{0,9}",
        ) {
            let toks = wild_tokens(&pattern);
            let chars: Vec<char> = text.chars().collect();
            let plain = cross(&toks, false);
            let strict = cross(&toks, true);
            prop_assert_eq!(glob(&toks, &text), matches(&toks, &plain, &chars));
            let exact = both(tri(matches(&toks, &strict, &chars)), tri(matches(&toks, &plain, &chars)));
            prop_assert_eq!(match_resource(&toks, &pattern, &ResourceSpec::Exact(text.clone())).tri, exact);
            let open = both(prefix(&toks, &strict, &chars), prefix(&toks, &plain, &chars));
            prop_assert_eq!(match_resource(&toks, &pattern, &ResourceSpec::Prefix(text.clone())).tri, open);
        }

        #[test]
        fn actions_match_as_the_reference_does(pattern in "[aB:*?]{0,9}", action in "[Ab:]{0,9}") {
            let lower = |s: &str| s.to_lowercase();
            let toks = wild_tokens(&lower(&pattern));
            let chars: Vec<char> = lower(&action).chars().collect();
            prop_assert_eq!(match_action(&pattern, &action), matches(&toks, &cross(&toks, false), &chars));
        }

        #[test]
        fn reasons_merge_as_the_reference_does(items in prop::collection::vec(arb_match(), 0..6)) {
            let expected = merged(&items);
            let any = Match::any(items.clone());
            if !items.iter().any(|m| m.tri == Tri::Yes) && any.tri == Tri::Maybe {
                prop_assert_eq!(&any.reasons, &expected);
            }
            let all = Match::all(items.clone());
            if !items.iter().any(|m| m.tri == Tri::No) && all.tri == Tri::Maybe {
                prop_assert_eq!(&all.reasons, &expected);
            }
        }
    }
}
