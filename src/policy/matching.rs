//! Three-valued matching of actions, resources and principals against policy patterns.

use std::collections::HashSet;

use super::context::{shown, PrincipalSpec, ResourceSpec, OWN_ACCOUNT, UNKNOWN_PART};
use super::document::PrincipalBlock;

/// Yes, No, or Maybe (depends on something we do not know).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tri {
    Yes,
    No,
    Maybe,
}

/// A [`Tri`] with the reasons for `Maybe`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Match {
    pub tri: Tri,
    pub reasons: Vec<String>,
}

impl Match {
    pub fn yes() -> Match {
        Match {
            tri: Tri::Yes,
            reasons: Vec::new(),
        }
    }
    pub fn no() -> Match {
        Match {
            tri: Tri::No,
            reasons: Vec::new(),
        }
    }
    pub fn maybe(reason: impl Into<String>) -> Match {
        Match {
            tri: Tri::Maybe,
            reasons: vec![reason.into()],
        }
    }
    pub fn from_bool(b: bool) -> Match {
        if b {
            Match::yes()
        } else {
            Match::no()
        }
    }
    /// Negation: Yes ↔ No, Maybe stays Maybe (with its reasons).
    pub fn not(self) -> Match {
        let tri = match self.tri {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Maybe => Tri::Maybe,
        };
        Match {
            tri,
            reasons: self.reasons,
        }
    }
    /// Three-valued OR: Yes if any is Yes, else Maybe if any is Maybe, else No.
    pub fn any(items: impl IntoIterator<Item = Match>) -> Match {
        let mut reasons = Reasons::new();
        let mut maybe = false;
        for m in items {
            match m.tri {
                Tri::Yes => return Match::yes(),
                Tri::Maybe => {
                    maybe = true;
                    reasons.extend(m.reasons);
                }
                Tri::No => {}
            }
        }
        if maybe {
            Match {
                tri: Tri::Maybe,
                reasons: reasons.into_vec(),
            }
        } else {
            Match::no()
        }
    }
    /// Three-valued AND: No if any is No, else Maybe if any is Maybe, else Yes.
    pub fn all(items: impl IntoIterator<Item = Match>) -> Match {
        let mut reasons = Reasons::new();
        let mut maybe = false;
        for m in items {
            match m.tri {
                Tri::No => return Match::no(),
                Tri::Maybe => {
                    maybe = true;
                    reasons.extend(m.reasons);
                }
                Tri::Yes => {}
            }
        }
        if maybe {
            Match {
                tri: Tri::Maybe,
                reasons: reasons.into_vec(),
            }
        } else {
            Match::yes()
        }
    }
}

/// Reasons without repeats, in the order they first came. A set beside the list makes merging
/// linear in the reasons: a scan of the list per reason was quadratic (30,000 condition keys
/// took seconds).
#[derive(Debug, Default)]
pub(crate) struct Reasons {
    list: Vec<String>,
    seen: HashSet<String>,
}

impl Reasons {
    pub fn new() -> Reasons {
        Reasons::default()
    }

    /// Starts from `list` as it is: repeats already in it stay (only what is added is checked).
    pub fn starting_with(list: Vec<String>) -> Reasons {
        count_work(list.len());
        let seen = list.iter().cloned().collect();
        Reasons { list, seen }
    }

    /// Appends the reasons of `from` not already present, in order.
    pub fn extend(&mut self, from: Vec<String>) {
        for r in from {
            count_work(1);
            if !self.seen.contains(&r) {
                self.seen.insert(r.clone());
                self.list.push(r);
            }
        }
    }

    pub fn into_vec(self) -> Vec<String> {
        self.list
    }
}

#[cfg(test)]
thread_local! {
    /// Units of work done by the matcher and by reason merging on this thread (tests only).
    pub(crate) static WORK: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts `n` units of work, so that tests can bound it without timing anything.
#[inline]
pub(crate) fn count_work(n: usize) {
    #[cfg(test)]
    WORK.with(|w| w.set(w.get().saturating_add(n as u64)));
    #[cfg(not(test))]
    let _ = n;
}

/// One element of a wildcard pattern. Text that came from a policy variable, or from the escapes
/// `${*}`, `${?}`, `${$}`, is `Lit`, never a wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    Lit(char),
    Star,
    Quest,
}

/// Tokens of a pattern with no policy variables: `*` and `?` are wildcards.
pub(crate) fn wild_tokens(pattern: &str) -> Vec<Tok> {
    pattern
        .chars()
        .map(|c| match c {
            '*' => Tok::Star,
            '?' => Tok::Quest,
            c => Tok::Lit(c),
        })
        .collect()
}

/// The text of tokens with wildcards read as the characters `*` and `?` (for equality operators).
pub(crate) fn tokens_text(toks: &[Tok]) -> String {
    toks.iter()
        .map(|t| match t {
            Tok::Lit(c) => *c,
            Tok::Star => '*',
            Tok::Quest => '?',
        })
        .collect()
}

/// Whether a pattern is made only of `*` (it matches every string).
pub(crate) fn all_stars(toks: &[Tok]) -> bool {
    !toks.is_empty() && toks.iter().all(|t| *t == Tok::Star)
}

pub(crate) fn has_wildcard(toks: &[Tok]) -> bool {
    toks.iter().any(|t| !matches!(t, Tok::Lit(_)))
}

/// How wildcards treat `:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Wildcards match any character (actions, `StringLike`).
    Plain,
    /// The IAM User Guide's rule for resource ARNs: wildcards work within the colon-separated
    /// segments, except that a `*` that is the last character of a segment "can expand to match
    /// beyond the colon boundaries".
    ArnSegments,
}

fn crosses_colon(toks: &[Tok], i: usize, mode: Mode) -> bool {
    match mode {
        Mode::Plain => true,
        Mode::ArnSegments => {
            toks[i] == Tok::Star && (i + 1 == toks.len() || toks[i + 1] == Tok::Lit(':'))
        }
    }
}

/// Consumes the pattern's literal head against the text: `None` when they differ, else the
/// remaining tokens and text. Most patterns differ in the first characters; the others skip
/// the automaton for their (often long) literal head.
fn literal_head<'t, 's>(toks: &'t [Tok], text: &'s str) -> Option<(&'t [Tok], &'s str)> {
    let mut chars = text.char_indices();
    for (i, t) in toks.iter().enumerate() {
        let Tok::Lit(l) = t else {
            let at = chars.next().map_or(text.len(), |(p, _)| p);
            return Some((&toks[i..], &text[at..]));
        };
        match chars.next() {
            Some((_, c)) if c == *l => {}
            Some(_) => return None,
            None => return Some((&toks[i..], "")),
        }
    }
    let at = chars.next().map_or(text.len(), |(p, _)| p);
    Some((&[], &text[at..]))
}

/// A set of pattern positions (0 ..= pattern length) with a window `lo..hi` outside which no
/// position is in the set: a step looks at the live part of the pattern, not all of it, and
/// clearing a set costs what filling it did.
struct States {
    on: Vec<bool>,
    lo: usize,
    hi: usize,
}

impl States {
    fn empty(positions: usize) -> States {
        States {
            on: vec![false; positions],
            lo: 0,
            hi: 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.lo >= self.hi
    }

    fn insert(&mut self, i: usize) {
        self.on[i] = true;
        if self.is_empty() {
            self.lo = i;
            self.hi = i + 1;
        } else {
            self.lo = self.lo.min(i);
            self.hi = self.hi.max(i + 1);
        }
    }

    fn clear(&mut self) {
        if !self.is_empty() {
            count_work(self.hi - self.lo);
            self.on[self.lo..self.hi]
                .iter_mut()
                .for_each(|s| *s = false);
        }
        self.lo = 0;
        self.hi = 0;
    }
}

/// A pattern compiled for matching: per position, whether its wildcard may match `:`.
///
/// Matching runs the pattern as an automaton over the text, one pass, each character looking at
/// each live position once: at most pattern × text steps, with no backtracking.
struct Nfa<'a> {
    toks: &'a [Tok],
    cross: Vec<bool>,
}

impl<'a> Nfa<'a> {
    fn new(toks: &'a [Tok], mode: Mode) -> Nfa<'a> {
        let cross = (0..toks.len())
            .map(|i| crosses_colon(toks, i, mode))
            .collect();
        Nfa { toks, cross }
    }

    /// A `*` may match nothing: a state on a `*` also stands on the next position. One forward
    /// pass over the window, which grows along a run of `*`.
    fn close(&self, set: &mut States) {
        let mut i = set.lo;
        while i < set.hi {
            count_work(1);
            if set.on[i] && self.toks.get(i) == Some(&Tok::Star) {
                set.insert(i + 1);
            }
            i += 1;
        }
    }

    fn start(&self) -> States {
        let mut set = States::empty(self.toks.len() + 1);
        set.insert(0);
        self.close(&mut set);
        set
    }

    /// One character: the states after `c` from `set`, into `next` (reused, not allocated).
    fn step(&self, set: &States, c: char, next: &mut States) {
        next.clear();
        // The last position has no token: nothing moves from it.
        for i in set.lo..set.hi.min(self.toks.len()) {
            count_work(1);
            if !set.on[i] {
                continue;
            }
            let wild_ok = c != ':' || self.cross[i];
            let to = match self.toks[i] {
                Tok::Lit(l) if l == c => i + 1,
                // A `?` is one character; an unknown part may be longer.
                Tok::Quest if wild_ok && c != UNKNOWN_PART && c != OWN_ACCOUNT => i + 1,
                Tok::Star if wild_ok => i,
                _ => continue,
            };
            next.insert(to);
        }
        self.close(next);
    }

    /// The positions the pattern can stand on after `text`.
    fn run(&self, text: &str) -> States {
        if self.toks.len() >= 64 {
            return self.run_general(text);
        }
        let mut word = self.run_word(text);
        let mut set = States::empty(self.toks.len() + 1);
        while word != 0 {
            set.insert(word.trailing_zeros() as usize);
            word &= word - 1;
        }
        set
    }

    /// [`Nfa::run`] for a pattern of any length: its set of positions a vector.
    fn run_general(&self, text: &str) -> States {
        let mut set = self.start();
        let mut next = States::empty(set.on.len());
        for c in text.chars() {
            self.step(&set, c, &mut next);
            std::mem::swap(&mut set, &mut next);
            if set.is_empty() {
                break;
            }
        }
        set
    }

    fn matches(&self, text: &str) -> bool {
        let n = self.toks.len();
        if n < 64 {
            return self.run_word(text) >> n & 1 == 1;
        }
        self.run_general(text).on[n]
    }

    /// [`Nfa::run_general`] for a pattern of fewer than 64 tokens (nearly every one): the same
    /// automaton, its set of positions one machine word (bit `i`: position `i`), each character
    /// a few bit operations instead of a walk over the live positions.
    fn run_word(&self, text: &str) -> u64 {
        let (mut stars, mut quests, mut lits, mut cross) = (0u64, 0u64, 0u64, 0u64);
        for (i, t) in self.toks.iter().enumerate() {
            match t {
                Tok::Star => stars |= 1 << i,
                Tok::Quest => quests |= 1 << i,
                Tok::Lit(_) => lits |= 1 << i,
            }
            if self.cross[i] {
                cross |= 1 << i;
            }
        }
        // A `*` may match nothing: a position on one also stands on the next (runs cascade).
        let close = |mut set: u64| loop {
            let more = set | ((set & stars) << 1);
            if more == set {
                return set;
            }
            set = more;
        };
        let mut set = close(1);
        for c in text.chars() {
            count_work(1);
            let wild = if c == ':' { cross } else { u64::MAX };
            let quest = if c == UNKNOWN_PART || c == OWN_ACCOUNT {
                0
            } else {
                quests
            };
            let mut next = (set & stars & wild) | ((set & quest & wild) << 1);
            let mut on_lit = set & lits;
            while on_lit != 0 {
                let i = on_lit.trailing_zeros() as usize;
                on_lit &= on_lit - 1;
                if self.toks[i] == Tok::Lit(c) {
                    next |= 1 << (i + 1);
                }
            }
            set = close(next);
            if set == 0 {
                break;
            }
        }
        set
    }

    /// Does the pattern match `prefix` followed by any non-empty text: for all (Yes), for none
    /// (No), for some (Maybe)?
    fn matches_prefix(&self, prefix: &str) -> Tri {
        // The pattern's literal head must agree with the text: most patterns fail here.
        let differs = self
            .toks
            .iter()
            .zip(prefix.chars())
            .take_while(|(t, _)| matches!(t, Tok::Lit(_)))
            .any(|(t, c)| *t != Tok::Lit(c));
        if differs {
            return Tri::No;
        }
        let set = self.run(prefix);
        let n = self.toks.len();
        // The end of the pattern matches no non-empty completion: only positions before it count.
        let live_end = set.hi.min(n);
        if !(set.lo..live_end).any(|i| set.on[i]) {
            return Tri::No;
        }
        // From a live position, the rest of the pattern matches every completion when it has no
        // literal, a `*` that crosses, at most one `?` and only `?` that cross (`*` matches every
        // text; `?*` every non-empty text). One backward pass gathers that for every position,
        // instead of rescanning the rest of the pattern from each live one.
        let mut quests = 0usize;
        let mut star_crosses = false;
        let mut quest_crosses = true;
        for i in (set.lo..n).rev() {
            count_work(1);
            match self.toks[i] {
                // A literal here and so for every position before: none of them is Yes.
                Tok::Lit(_) => break,
                Tok::Star => star_crosses |= self.cross[i],
                Tok::Quest => {
                    quests = quests.saturating_add(1);
                    quest_crosses &= self.cross[i];
                }
            }
            if i < live_end && set.on[i] && star_crosses && quests <= 1 && quest_crosses {
                return Tri::Yes;
            }
        }
        Tri::Maybe
    }
}

/// Plain wildcard match (`*` any text, `?` one character), case-sensitive.
pub(crate) fn glob(toks: &[Tok], text: &str) -> bool {
    if !has_wildcard(toks) {
        // Most patterns are plain text: compare without building the automaton.
        return toks.len() == text.chars().count()
            && toks
                .iter()
                .zip(text.chars())
                .all(|(t, c)| *t == Tok::Lit(c));
    }
    if all_stars(toks) {
        return true;
    }
    match literal_head(toks, text) {
        Some((rest, text)) => Nfa::new(rest, Mode::Plain).matches(text),
        None => false,
    }
}

/// An action pattern against an action: case-insensitive, `*` and `?` anywhere.
pub(crate) fn match_action(pattern: &str, action: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        // ASCII text (every action AWS names) is compared in place; other text as lowercase.
        return pattern.eq_ignore_ascii_case(action)
            || (!(pattern.is_ascii() && action.is_ascii())
                && pattern.to_lowercase() == action.to_lowercase());
    }
    glob(
        &wild_tokens(&pattern.to_lowercase()),
        &action.to_lowercase(),
    )
}

/// A `Resource` pattern (already tokenized, policy variables resolved) against the request's
/// resource. The documented segment rule and a plain match are both computed: where they
/// disagree (a `?` or a mid-segment `*` facing a `:`), the answer is Maybe rather than a guess.
pub(crate) fn match_resource(toks: &[Tok], raw: &str, resource: &ResourceSpec) -> Match {
    // The input's own account is an unknown part like any other here (see `same_account`).
    if let Some(plain) = resource.with_plain_unknowns() {
        return match_resource(toks, raw, &plain);
    }
    let text = match resource {
        ResourceSpec::Exact(t) | ResourceSpec::Prefix(t) => t,
        ResourceSpec::Reference { reference, shape } => {
            // Its shape decides a Yes, and a No when no value of its unknown parts (and no
            // partition) lets the pattern match it: a repository named `app` is not `other`.
            let m = match_resource(toks, raw, &ResourceSpec::Exact(shape.clone()));
            return match m.tri {
                Tri::Yes | Tri::No => m,
                Tri::Maybe => Match::maybe(format!(
                    "the resource {} is known only after apply, so whether {raw} covers it is not known",
                    super::unknown::display_unknowns(reference)
                )),
            };
        }
        ResourceSpec::Unknown => "",
    };
    let prefix = matches!(resource, ResourceSpec::Prefix(_));
    if !text.contains(UNKNOWN_PART) {
        let m = match_known_resource(toks, raw, resource);
        // A log stream's name has no ':' (see `stream_tail`), which the automaton's "some
        // non-empty text" after a prefix does not know: it may still rule every stream out.
        if m.tri == Tri::Maybe
            && prefix
            && stream_tail(text)
            && !may_meet(&parts_of(toks), &subject_of(text, true))
        {
            return Match::no();
        }
        return m;
    }
    // A pattern that names the stand-in itself could match it literally: not a real ARN.
    if raw.contains([UNKNOWN_PART, OWN_ACCOUNT]) {
        return Match::maybe(format!("the resource {} is not fully known", shown(text)));
    }
    let m = match_known_resource(toks, raw, resource);
    match m.tri {
        Tri::Yes => m,
        // With its unknown parts read as "any non-empty text without ':'": No only when no
        // value of them lets the pattern match.
        _ if !may_meet(&parts_of(toks), &subject_of(text, prefix)) => Match::no(),
        Tri::Maybe => m,
        Tri::No => Match::maybe(format!(
            "part of the resource {} is not known before apply, so whether {raw} covers it is not known",
            shown(text)
        )),
    }
}

/// One element of a `Resource` pattern some of whose text is known only after apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// A character or wildcard of the known text.
    Tok(Tok),
    /// A part not known before apply (`${var.region}`): any text, `:` and wildcard characters
    /// included, read as literal text or as wildcards alike.
    Hole,
}

/// The pattern elements of known tokens.
fn parts_of(toks: &[Tok]) -> Vec<Part> {
    toks.iter().map(|t| Part::Tok(*t)).collect()
}

/// One element of the request's resource, as [`may_meet`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    Char(char),
    /// An [`UNKNOWN_PART`]: some non-empty text without `:`.
    Unknown,
    /// The rest of a [`ResourceSpec::Prefix`]: some non-empty text.
    Tail,
}

/// Whether the rest of a [`ResourceSpec::Prefix`] is a CloudWatch Logs stream name, which has
/// no `:` (CloudWatch Logs API Reference, CreateLogStream: `logStreamName` pattern `[^:*]*`).
fn stream_tail(prefix: &str) -> bool {
    prefix.ends_with(":log-stream:") && prefix.split(':').nth(2) == Some("logs")
}

/// The elements of a resource's text with unknown parts; with `prefix`, followed by some
/// non-empty text (without `:` after a log stream prefix, see [`stream_tail`]). An ARN's partition is read as unknown too when some part is: the partition
/// written in such a text is taken from the region of the VPC or the provider, which may not be
/// the resource's (a decision must not rest on it).
fn subject_of(text: &str, prefix: bool) -> Vec<Sub> {
    let partition = text
        .strip_prefix("arn:")
        .and_then(|rest| rest.find(':'))
        .filter(|_| text.contains(UNKNOWN_PART))
        .map(|end| 4..4 + end);
    let mut out = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        match partition.as_ref() {
            Some(p) if p.contains(&at) => {
                if at == p.start {
                    out.push(Sub::Unknown);
                }
            }
            _ if c == UNKNOWN_PART => out.push(Sub::Unknown),
            _ => out.push(Sub::Char(c)),
        }
    }
    if prefix {
        out.push(if stream_tail(text) {
            Sub::Unknown
        } else {
            Sub::Tail
        });
    }
    out
}

/// Whether some text is both matched by `pattern` (whatever its holes are) and a value of
/// `subject` (whatever its unknown parts are): the intersection of two regular languages is
/// not empty. The wildcards are read in the widest way (each may match `:`), so `false` holds
/// under the IAM segment rule as well: no value of the unknown parts lets the pattern match.
///
/// A search over the product of the two automata: a state is (pattern position, subject
/// position, whether inside an unknown part of the subject that has matched one character),
/// at most 2 × (pattern + 1) × (subject + 1) states, each with at most three moves.
fn may_meet(pattern: &[Part], subject: &[Sub]) -> bool {
    let (n, m) = (pattern.len(), subject.len());
    let index = |i: usize, j: usize, inside: bool| (i * (m + 1) + j) * 2 + usize::from(inside);
    let mut seen = vec![false; (n + 1) * (m + 1) * 2];
    let mut todo = vec![(0usize, 0usize, false)];
    seen[index(0, 0, false)] = true;
    while let Some((i, j, inside)) = todo.pop() {
        count_work(1);
        if i == n && j == m {
            return true;
        }
        let mut next = |state: (usize, usize, bool), todo: &mut Vec<(usize, usize, bool)>| {
            let k = index(state.0, state.1, state.2);
            if !seen[k] {
                seen[k] = true;
                todo.push(state);
            }
        };
        // Moves without a character: a `*` or a hole may be empty; an unknown part that has
        // matched a character may end.
        if i < n && matches!(pattern[i], Part::Hole | Part::Tok(Tok::Star)) {
            next((i + 1, j, inside), &mut todo);
        }
        if inside {
            next((i, j + 1, false), &mut todo);
        }
        if i == n || j == m {
            continue;
        }
        // One character that both sides accept: `Some(c)` when a side needs that character,
        // `None` when it takes any (a pattern wildcard or hole) or any but `:` (`no_colon`).
        let (want, to_i) = match pattern[i] {
            Part::Tok(Tok::Lit(l)) => (Some(l), i + 1),
            Part::Tok(Tok::Quest) => (None, i + 1),
            Part::Tok(Tok::Star) | Part::Hole => (None, i),
        };
        let (offer, no_colon, to_j) = match subject[j] {
            Sub::Char(c) => (Some(c), false, (j + 1, false)),
            Sub::Unknown => (None, true, (j, true)),
            Sub::Tail => (None, false, (j, true)),
        };
        let meets = match (want, offer) {
            (Some(l), Some(c)) => l == c,
            (Some(l), None) => !(no_colon && l == ':'),
            (None, _) => true,
        };
        if meets {
            next((to_i, to_j.0, to_j.1), &mut todo);
        }
    }
    false
}

/// A `Resource` pattern with parts not known before apply (`pieces`: the known text between
/// them, tokenized) against the request's resource. A hole may be any text, so the pattern
/// never surely matches (no Yes), and surely does not (No) when no text in its holes lets it
/// match any value of the resource (`arn:aws:logs:${var.region}:${var.account}:log-group:/ecs/web:*`
/// does not cover `/ecs/worker`, whatever the region and account). `shown` is the pattern as
/// users read it.
pub(crate) fn match_partly_known(
    pieces: &[Vec<Tok>],
    shown: &str,
    resource: &ResourceSpec,
) -> Match {
    if let Some(plain) = resource.with_plain_unknowns() {
        return match_partly_known(pieces, shown, &plain);
    }
    let maybe = || Match::maybe(format!("resource {shown} is not known before apply"));
    let subject = match resource {
        ResourceSpec::Exact(t) => subject_of(t, false),
        ResourceSpec::Prefix(t) => subject_of(t, true),
        ResourceSpec::Reference { shape, .. } => subject_of(shape, false),
        ResourceSpec::Unknown => return maybe(),
    };
    let mut pattern = Vec::new();
    for (k, piece) in pieces.iter().enumerate() {
        if k > 0 {
            pattern.push(Part::Hole);
        }
        pattern.extend(piece.iter().map(|t| Part::Tok(*t)));
    }
    if may_meet(&pattern, &subject) {
        maybe()
    } else {
        Match::no()
    }
}

/// Whether a `Resource` pattern that names the input's own account as [`OWN_ACCOUNT`] (it
/// wrote `data.aws_caller_identity.x.account_id` there) surely matches a resource whose account
/// is the same [`OWN_ACCOUNT`]: a match with that character read literally on both sides holds
/// for every account id (a `*` that took it takes any id, a `?` never takes it). Only a Yes is
/// decided here: anything else is read again with the account unknown on both sides.
pub(crate) fn same_account(toks: &[Tok], raw: &str, resource: &ResourceSpec) -> bool {
    let own = |t: &str| t.contains(OWN_ACCOUNT);
    let m = match resource {
        ResourceSpec::Exact(t) | ResourceSpec::Prefix(t) if own(t) => {
            match_known_resource(toks, raw, resource)
        }
        ResourceSpec::Reference { shape, .. } if own(shape) => {
            match_known_resource(toks, raw, &ResourceSpec::Exact(shape.clone()))
        }
        _ => return false,
    };
    m.tri == Tri::Yes
}

fn match_known_resource(toks: &[Tok], raw: &str, resource: &ResourceSpec) -> Match {
    match resource {
        ResourceSpec::Exact(arn) => {
            if !has_wildcard(toks) {
                return Match::from_bool(glob(toks, arn));
            }
            let Some((toks, rest)) = literal_head(toks, arn) else {
                return Match::from_bool(false);
            };
            let strict = Nfa::new(toks, Mode::ArnSegments).matches(rest);
            // The colon-aware automaton's moves are some of the plain one's, and the same ones
            // on text without ':': its match is a match of the plain one, and without ':' they
            // agree. The plain one runs only where it may say otherwise.
            if strict || !rest.contains(':') {
                return Match::from_bool(strict);
            }
            let plain = Nfa::new(toks, Mode::Plain).matches(rest);
            if !plain {
                Match::no()
            } else {
                Match::maybe(format!(
                    "whether the wildcards of resource pattern {raw} may match ':' in {} is not documented",
                    shown(arn)
                ))
            }
        }
        ResourceSpec::Prefix(prefix) => {
            let Some((toks, rest)) = literal_head(toks, prefix) else {
                return Match::from_bool(false);
            };
            let strict = Nfa::new(toks, Mode::ArnSegments).matches_prefix(rest);
            let plain = Nfa::new(toks, Mode::Plain).matches_prefix(rest);
            match (strict, plain) {
                (Tri::Yes, Tri::Yes) => Match::yes(),
                (Tri::No, Tri::No) => Match::no(),
                _ => Match::maybe(format!(
                    "resource pattern {raw} matches some but not all resources named {}…",
                    shown(prefix)
                )),
            }
        }
        ResourceSpec::Unknown | ResourceSpec::Reference { .. } => {
            if all_stars(toks) {
                Match::yes()
            } else {
                Match::maybe(format!(
                    "the resource is not known, so whether {raw} covers it is not known"
                ))
            }
        }
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The account segment of an ARN.
pub(crate) fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    if parts.next() != Some("arn") {
        return None;
    }
    let account = parts.nth(3)?;
    if account.is_empty() {
        None
    } else {
        Some(account)
    }
}

/// The account an entry of `"AWS"` names as a whole (`"123456789012"` or `arn:…:iam::…:root`).
fn account_entry(entry: &str) -> Option<&str> {
    if is_account_id(entry) {
        return Some(entry);
    }
    let parts: Vec<&str> = entry.split(':').collect();
    if parts.len() == 6
        && parts[0] == "arn"
        && parts[2] == "iam"
        && parts[3].is_empty()
        && parts[5] == "root"
    {
        Some(parts[4])
    } else {
        None
    }
}

/// `(account, role name)` of an IAM role ARN or an STS assumed-role session ARN.
fn role_of(arn: &str) -> Option<(&str, &str, bool)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" {
        return None;
    }
    let (service, account, resource) = (parts[2], parts[4], parts[5]);
    if service == "iam" {
        let rest = resource.strip_prefix("role/")?;
        Some((account, rest.rsplit('/').next()?, false))
    } else if service == "sts" {
        let rest = resource.strip_prefix("assumed-role/")?;
        Some((account, rest.split('/').next()?, true))
    } else {
        None
    }
}

fn match_aws_entry(entry: &str, principal: &PrincipalSpec) -> Match {
    if super::unknown::is_unknown(entry) {
        use super::unknown::{created_role, is_own_account_entry, never_star};
        return match principal {
            PrincipalSpec::Arn(a) if a == entry => Match::yes(),
            // Only "*" names the AWS-owned principal, and a resource's ARN or id, or a text
            // around an unknown part, is never "*".
            PrincipalSpec::AwsOwned if never_star(entry) => Match::no(),
            // Two roles the input creates under different addresses are different roles.
            PrincipalSpec::Arn(a) if matches!((created_role(a), created_role(entry)), (Some(x), Some(y)) if x != y) => {
                Match::no()
            }
            // The input's own account (`data.aws_caller_identity`) holds the roles it creates.
            PrincipalSpec::Arn(a) if created_role(a).is_some() && is_own_account_entry(entry) => {
                Match::yes()
            }
            _ => Match::maybe(format!(
                "principal {} is not known before apply",
                super::unknown::display_unknowns(entry)
            )),
        };
    }
    if entry == "*" {
        return match principal {
            PrincipalSpec::Service(s) => Match::maybe(format!(
                "whether {{\"AWS\": \"*\"}} covers the service principal {s} differs between services"
            )),
            _ => Match::yes(),
        };
    }
    match principal {
        // A principal whose ARN is known only after apply may be any literal principal.
        PrincipalSpec::Arn(a) if super::unknown::is_unknown(a) => Match::maybe(format!(
            "the principal {} is known only after apply, so whether principal {entry} is it is not known",
            super::unknown::display_unknowns(a)
        )),
        PrincipalSpec::AwsOwned | PrincipalSpec::Service(_) => Match::no(),
        PrincipalSpec::UnknownAwsPrincipal => Match::maybe(format!(
            "the principal's ARN is not known yet, so whether principal {entry} covers it is not known"
        )),
        PrincipalSpec::Account(account) => match account_entry(entry) {
            Some(a) => Match::from_bool(a == account),
            None if arn_account(entry) == Some(account.as_str()) => Match::maybe(format!(
                "the request's principal is some principal of account {account}; {entry} is one of them"
            )),
            None if entry.contains(['*', '?']) || !entry.starts_with("arn:") => Match::maybe(
                format!("principal {entry} is not an ARN or account id this evaluator models"),
            ),
            None => Match::no(),
        },
        PrincipalSpec::Arn(arn) => {
            if entry.contains(['*', '?']) {
                return Match::maybe(format!(
                    "principal {entry} has a wildcard; AWS accepts only \"*\" there"
                ));
            }
            if let Some(a) = account_entry(entry) {
                return Match::from_bool(arn_account(arn) == Some(a));
            }
            if entry == arn {
                return Match::yes();
            }
            if let (Some((ea, er, e_session)), Some((ra, rr, r_session))) =
                (role_of(entry), role_of(arn))
            {
                if ea == ra && er == rr {
                    return match (e_session, r_session) {
                        // A role ARN in a policy covers the role's sessions.
                        (false, true) => Match::yes(),
                        _ => Match::maybe(format!(
                            "principal {entry} names a session of role {er}; whether it is this one is not known"
                        )),
                    };
                }
            }
            if entry.eq_ignore_ascii_case(arn) {
                return Match::maybe(format!(
                    "principal {entry} differs from {arn} only in case"
                ));
            }
            if !entry.starts_with("arn:") {
                return Match::maybe(format!(
                    "principal {entry} is not an ARN or account id (a unique id?); not modelled"
                ));
            }
            Match::no()
        }
    }
}

/// `Principal`/`NotPrincipal` against the request's principal.
pub(crate) fn match_principal(block: &PrincipalBlock, principal: &PrincipalSpec) -> Match {
    let positive = if block.star {
        Match::yes()
    } else {
        let aws = block.aws.iter().map(|e| match_aws_entry(e, principal));
        let service = block.service.iter().map(|s| match principal {
            PrincipalSpec::Service(p) => Match::from_bool(s.eq_ignore_ascii_case(p)),
            _ => Match::no(),
        });
        // Federated and CanonicalUser principals are never the principals we ask about.
        Match::any(aws.chain(service))
    };
    if block.negated {
        positive.not()
    } else {
        positive
    }
}

#[cfg(test)]
#[path = "matching_tests.rs"]
mod tests;
