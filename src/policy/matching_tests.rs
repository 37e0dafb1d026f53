//! Unit tests of [`super`]: the segment rule, prefixes, unknown parts, and the work bound.

use super::*;

mod unit {
    use super::*;

    #[test]
    fn prefix_matching() {
        let p = "arn:aws:s3:::prod-us-east-1-starport-layer-bucket/";
        let t =
            |s: &str| match_resource(&wild_tokens(s), s, &ResourceSpec::Prefix(p.to_string())).tri;
        assert_eq!(
            t("arn:aws:s3:::prod-us-east-1-starport-layer-bucket/*"),
            Tri::Yes
        );
        assert_eq!(t("arn:aws:s3:::prod-*-starport-layer-bucket/*"), Tri::Yes);
        assert_eq!(t("arn:aws:s3:::*"), Tri::Yes);
        assert_eq!(t("*"), Tri::Yes);
        assert_eq!(
            t("arn:aws:s3:::prod-us-east-1-starport-layer-bucket"),
            Tri::No
        );
        assert_eq!(t("arn:aws:s3:::app/*"), Tri::No);
        assert_eq!(
            t("arn:aws:s3:::prod-us-east-1-starport-layer-bucket/a*"),
            Tri::Maybe
        );
    }

    /// A log group ARN whose account is not in the input (`UNKNOWN_PART`): only a `*` surely
    /// covers the account, and the IAM User Guide's segment rule lets the last `*` of
    /// `arn:aws:logs:*:*:*` cover the rest.
    #[test]
    fn unknown_account_part() {
        let group = format!("arn:aws:logs:us-east-1:{UNKNOWN_PART}:log-group:/ecs/web");
        let t = |pat: &str, spec: &ResourceSpec| match_resource(&wild_tokens(pat), pat, spec).tri;
        let create = ResourceSpec::Prefix(format!("{group}:"));
        let stream = ResourceSpec::Prefix(format!("{group}:log-stream:"));
        for spec in [&create, &stream] {
            assert_eq!(t("arn:aws:logs:*:*:*", spec), Tri::Yes);
            assert_eq!(t("*", spec), Tri::Yes);
            assert_eq!(
                t("arn:aws:logs:us-east-1:*:log-group:/ecs/web:*", spec),
                Tri::Yes
            );
            // A literal account may or may not be the one: never No.
            assert_eq!(
                t(
                    "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web:*",
                    spec
                ),
                Tri::Maybe
            );
            // `?` is one character; the account is twelve.
            assert_eq!(
                t("arn:aws:logs:us-east-1:?:log-group:/ecs/web:*", spec),
                Tri::Maybe
            );
        }
        // The stand-in written in a pattern is not taken as the account.
        let sneaky = format!("arn:aws:logs:us-east-1:{UNKNOWN_PART}:log-group:/ecs/web:*");
        assert_eq!(t(&sneaky, &create), Tri::Maybe);
        // Messages never show the stand-in.
        let m = match_resource(
            &wild_tokens("arn:aws:logs:us-east-1:123456789012:*"),
            "arn:aws:logs:us-east-1:123456789012:*",
            &create,
        );
        assert!(
            m.reasons.iter().all(|r| !r.contains(UNKNOWN_PART)),
            "{:?}",
            m.reasons
        );
        assert!(
            m.reasons.iter().any(|r| r.contains("<unknown>")),
            "{:?}",
            m.reasons
        );
    }

    #[test]
    fn segment_rule() {
        let exact = |pat: &str, arn: &str| {
            match_resource(
                &wild_tokens(pat),
                pat,
                &ResourceSpec::Exact(arn.to_string()),
            )
            .tri
        };
        // A `*` ending a segment runs past colons.
        assert_eq!(
            exact("arn:aws:logs:*", "arn:aws:logs:us-east-1:1:log-group:x"),
            Tri::Yes
        );
        // A mid-segment `*` facing a colon: undocumented either way.
        assert_eq!(
            exact("arn:aws:logs:us-*-1:1:x", "arn:aws:logs:us-a:b-1:1:x"),
            Tri::Maybe
        );
        assert_eq!(exact("arn:aws:s3:::a?c", "arn:aws:s3:::abc"), Tri::Yes);
    }
}

/// The matcher's and the reason merging's work is bounded by counting it (never by timing it):
/// pattern × text for a match, linear in the reasons for a merge.
mod work {
    use super::*;

    /// The work `f` does on this thread.
    fn work_of<T>(f: impl FnOnce() -> T) -> (T, u64) {
        WORK.with(|w| w.set(0));
        let out = f();
        (out, WORK.with(|w| w.get()))
    }

    /// At most a small constant times (pattern + 1) × (text + 1).
    fn bound(pattern: &[Tok], text: &str) -> u64 {
        8 * (pattern.len() as u64 + 1) * (text.chars().count() as u64 + 1)
    }

    const LAYER: &str = "arn:aws:s3:::prod-us-west-2-starport-layer-bucket/";

    #[test]
    fn a_run_of_stars_against_a_prefix_is_pattern_times_text() {
        // Every position of `***…*x` is live after any text: looking at the rest of the pattern
        // from each of them was quadratic in the pattern.
        let raw = format!("{}x", "*".repeat(5_000));
        let toks = wild_tokens(&raw);
        let (m, work) =
            work_of(|| match_resource(&toks, &raw, &ResourceSpec::Prefix(LAYER.to_string())));
        assert_eq!(m.tri, Tri::Maybe);
        assert!(work <= bound(&toks, LAYER), "work {work}");
    }

    #[test]
    fn stars_and_quests_against_a_prefix_are_pattern_times_text() {
        // `?` never crosses a colon under the segment rule: Maybe, from every live position.
        let raw = format!("arn:aws:s3:::{}", "*?".repeat(3_000));
        let toks = wild_tokens(&raw);
        let (m, work) =
            work_of(|| match_resource(&toks, &raw, &ResourceSpec::Prefix(LAYER.to_string())));
        assert_eq!(m.tri, Tri::Maybe);
        assert!(work <= bound(&toks, LAYER), "work {work}");
    }

    #[test]
    fn alternating_stars_against_an_arn_is_pattern_times_text() {
        let raw = format!("{}*x", "*a".repeat(3_000));
        let toks = wild_tokens(&raw);
        let arn = format!(
            "arn:aws:logs:us-west-2:111122223333:log-group:{}",
            "a".repeat(200)
        );
        let (m, work) = work_of(|| match_resource(&toks, &raw, &ResourceSpec::Exact(arn.clone())));
        assert_eq!(m.tri, Tri::No);
        assert!(work <= bound(&toks, &arn), "work {work}");
        let (hit, work) = work_of(|| glob(&toks, &format!("{}x", "a".repeat(3_000))));
        assert!(hit);
        assert!(work <= 8 * 6_002 * 3_002, "work {work}");
    }

    #[test]
    fn merging_many_reasons_is_linear_and_keeps_first_occurrences_in_order() {
        let n = 4_000;
        let items = (0..n).map(|i| Match::maybe(format!("reason {}", i % (n / 2))));
        let (m, work) = work_of(|| Match::all(items));
        assert_eq!(m.tri, Tri::Maybe);
        let expected: Vec<String> = (0..n / 2).map(|i| format!("reason {i}")).collect();
        assert_eq!(m.reasons, expected);
        assert!(work <= 4 * n as u64, "work {work}");
        let (m, work) =
            work_of(|| Match::any((0..n).map(|i| Match::maybe(format!("reason {}", n - i)))));
        assert_eq!(m.reasons.len(), n);
        assert_eq!(m.reasons.first().map(String::as_str), Some("reason 4000"));
        assert!(work <= 4 * n as u64, "work {work}");
    }
}
