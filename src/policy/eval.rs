//! Three-valued evaluation of policies against a request.

use std::fmt;

use super::condition::eval_conditions;
use super::context::{Request, ResourceSpec};
use super::document::{Effect, Policy, Statement};
use super::managed;
use super::matching::{
    match_action, match_partly_known, match_principal, match_resource, same_account, Match,
    Reasons, Tok, Tri,
};
use super::unknown::{created_arn, is_unknown, with_own_account};
use super::variables::expand;

/// The answer to *does this policy allow the request?*
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Some Allow statement applies and no Deny statement applies or may apply.
    Allow,
    /// A Deny statement applies.
    ExplicitDeny,
    /// No statement applies or may apply: denied by default.
    ImplicitDeny,
    /// The answer depends on something not known (see [`Evaluation::unknown_because`]).
    /// Never to be read as Allow.
    Unknown,
}

impl Decision {
    /// `allow`, `explicit-deny`, `implicit-deny`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::ExplicitDeny => "explicit-deny",
            Decision::ImplicitDeny => "implicit-deny",
            Decision::Unknown => "unknown",
        }
    }
    /// Whether the request is surely denied (explicitly or by default).
    pub fn is_deny(self) -> bool {
        matches!(self, Decision::ExplicitDeny | Decision::ImplicitDeny)
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Names a statement as evidence: its `Sid` if it has one, else `Statement[i]`; for identity
/// policies, prefixed by the managed policy's name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StatementRef {
    /// The managed policy the statement belongs to (identity evaluation), if named.
    pub policy: Option<String>,
    /// Position in the document.
    pub index: usize,
    pub sid: Option<String>,
}

impl StatementRef {
    fn of(stmt: &Statement, policy: Option<&str>) -> StatementRef {
        StatementRef {
            policy: policy.map(str::to_string),
            index: stmt.index,
            sid: stmt.sid.clone().filter(|s| !s.is_empty()),
        }
    }
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.policy {
            write!(f, "{p}: ")?;
        }
        match &self.sid {
            Some(sid) => f.write_str(sid),
            None => write!(f, "Statement[{}]", self.index),
        }
    }
}

/// A decision with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    /// The statements that decided it (the Deny that applies, the Allow that applies, or the
    /// statements that may apply); empty for an implicit deny.
    pub deciding: Vec<StatementRef>,
    /// For `Unknown`: why, e.g. `condition key aws:SourceVpc: the VPC id is not known until apply`.
    pub unknown_because: Vec<String>,
}

/// One of the policies attached to a principal, for [`evaluate_identity`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IdentityPolicy<'a> {
    /// An inline or customer managed policy whose document is in the input.
    Document(&'a Policy),
    /// A managed policy attached by ARN: AWS managed policies pullpath knows (see
    /// [`super::managed`]) are evaluated, others are treated as [`IdentityPolicy::NotInInput`].
    ManagedArn(&'a str),
    /// A policy whose document is not in the input (ARN or name).
    NotInInput(&'a str),
}

/// How a statement relates to the request.
#[derive(Debug, Clone)]
pub(crate) struct Applied {
    pub at: StatementRef,
    pub effect: Effect,
    pub applies: Match,
}

/// Whether each statement of `policy` applies to `request`. With `identity`, the principal is the
/// one the policy is attached to (identity policies have no `Principal`).
pub(crate) fn applicability(
    policy: &Policy,
    request: &Request,
    identity: bool,
    name: Option<&str>,
) -> Vec<Applied> {
    policy
        .statements
        .iter()
        .map(|stmt| Applied {
            at: StatementRef::of(stmt, name),
            effect: stmt.effect,
            applies: statement_applies(policy, stmt, request, identity),
        })
        .collect()
}

fn statement_applies(policy: &Policy, stmt: &Statement, req: &Request, identity: bool) -> Match {
    let action = {
        let any = Match::any(stmt.action.patterns.iter().map(|p| {
            if is_unknown(p) {
                Match::maybe(format!(
                    "an action of {} is not known before apply",
                    StatementRef::of(stmt, None)
                ))
            } else {
                Match::from_bool(match_action(p, &req.action))
            }
        }));
        if stmt.action.negated {
            any.not()
        } else {
            any
        }
    };
    if action.tri == Tri::No {
        return Match::no();
    }
    // Each part is computed only while the statement may still apply (AND: one No decides).
    let principal = if identity {
        Match::yes()
    } else {
        match &stmt.principal {
            Some(block) => match_principal(block, &req.principal),
            None => Match::maybe(format!(
                "{} has no Principal element; what AWS does with that here is not modelled",
                StatementRef::of(stmt, None)
            )),
        }
    };
    if principal.tri == Tri::No {
        return Match::no();
    }
    let resource = match &stmt.resource {
        None => Match::yes(),
        Some(list) => {
            let positive = Match::any(list.patterns.iter().map(|p| {
                if is_unknown(p) {
                    // The input's own account, as the caller identity gives it, is the
                    // account of the resources its tasks use when that is not known either.
                    if let Some(own) = with_own_account(p) {
                        if expand(&own, policy.version, &req.context)
                            .is_ok_and(|toks| same_account(&toks, &own, &req.resource))
                        {
                            return Match::yes();
                        }
                    }
                    // The same unknown value is the same resource; anything else may be.
                    return match &req.resource {
                        ResourceSpec::Exact(r) if r == p => Match::yes(),
                        ResourceSpec::Reference { reference, .. }
                            if p.strip_prefix(reference.as_str())
                                .is_some_and(|rest| rest.chars().all(|c| c == '*')) =>
                        {
                            Match::yes()
                        }
                        // Another resource of the same type the input creates: another ARN.
                        ResourceSpec::Reference { reference, .. }
                            if matches!(
                                (created_arn(p), created_arn(reference)),
                                (Some((a, at)), Some((b, bt))) if a != b && at == bt
                            ) =>
                        {
                            Match::no()
                        }
                        // An unknown value is an ARN or a name, never the "*" of an
                        // action that has no resource type.
                        ResourceSpec::Exact(r) if r == "*" => Match::no(),
                        // Otherwise its known parts may still decide that it does not match.
                        _ => match known_pieces(p, policy, &req.context) {
                            Ok(pieces) => match_partly_known(
                                &pieces,
                                &super::display_unknowns(p),
                                &req.resource,
                            ),
                            Err(reason) => Match::maybe(reason),
                        },
                    };
                }
                match expand(p, policy.version, &req.context) {
                    Ok(toks) => match_resource(&toks, p, &req.resource),
                    Err(reason) => Match::maybe(reason),
                }
            }));
            if list.negated {
                positive.not()
            } else {
                positive
            }
        }
    };
    if resource.tri == Tri::No {
        return Match::no();
    }
    let condition = eval_conditions(&stmt.condition, policy.version, &req.context);
    Match::all([action, principal, resource, condition])
}

/// The known text of a `Resource` with parts not known before apply (markers, see
/// `super::unknown`), tokenized piece by piece between the markers.
fn known_pieces(
    raw: &str,
    policy: &Policy,
    ctx: &super::context::Context,
) -> Result<Vec<Vec<Tok>>, String> {
    super::unknown::known_parts(raw)
        .into_iter()
        .map(|piece| expand(piece, policy.version, ctx))
        .collect()
}

fn decide(applied: &[Applied], extra_unknown: Vec<String>) -> Evaluation {
    let pick = |effect: Effect, tri: Tri| -> Vec<&Applied> {
        applied
            .iter()
            .filter(|a| a.effect == effect && a.applies.tri == tri)
            .collect()
    };
    let refs = |items: &[&Applied]| items.iter().map(|a| a.at.clone()).collect::<Vec<_>>();
    let reasons = |items: &[&Applied]| {
        let mut out = Reasons::new();
        for a in items {
            out.extend(a.applies.reasons.clone());
        }
        out.into_vec()
    };
    let deny_yes = pick(Effect::Deny, Tri::Yes);
    if !deny_yes.is_empty() {
        return Evaluation {
            decision: Decision::ExplicitDeny,
            deciding: refs(&deny_yes),
            unknown_because: Vec::new(),
        };
    }
    let deny_maybe = pick(Effect::Deny, Tri::Maybe);
    // Nothing can allow the request: it is denied whether or not an undecided Deny applies
    // (a Deny-only policy denies everything).
    let allow_possible = applied
        .iter()
        .any(|a| a.effect == Effect::Allow && a.applies.tri != Tri::No);
    if !allow_possible && extra_unknown.is_empty() {
        // The Denies that may apply are kept as evidence: a caller that cares about explicit
        // denial only (a repository policy, next to an identity policy) needs them.
        return Evaluation {
            decision: Decision::ImplicitDeny,
            deciding: refs(&deny_maybe),
            unknown_because: reasons(&deny_maybe),
        };
    }
    if !deny_maybe.is_empty() {
        let mut because = Reasons::starting_with(reasons(&deny_maybe));
        because.extend(extra_unknown);
        return Evaluation {
            decision: Decision::Unknown,
            deciding: refs(&deny_maybe),
            unknown_because: because.into_vec(),
        };
    }
    let allow_yes = pick(Effect::Allow, Tri::Yes);
    let allow_maybe = pick(Effect::Allow, Tri::Maybe);
    if !extra_unknown.is_empty() {
        let mut because = Reasons::starting_with(extra_unknown);
        if allow_yes.is_empty() {
            because.extend(reasons(&allow_maybe));
        }
        let mut deciding = refs(&allow_yes);
        if allow_yes.is_empty() {
            deciding = refs(&allow_maybe);
        }
        return Evaluation {
            decision: Decision::Unknown,
            deciding,
            unknown_because: because.into_vec(),
        };
    }
    if !allow_yes.is_empty() {
        return Evaluation {
            decision: Decision::Allow,
            deciding: refs(&allow_yes),
            unknown_because: Vec::new(),
        };
    }
    if !allow_maybe.is_empty() {
        return Evaluation {
            decision: Decision::Unknown,
            deciding: refs(&allow_maybe),
            unknown_because: reasons(&allow_maybe),
        };
    }
    Evaluation {
        decision: Decision::ImplicitDeny,
        deciding: Vec::new(),
        unknown_because: Vec::new(),
    }
}

/// Evaluates a resource-based policy (a VPC endpoint policy, a bucket or repository policy)
/// against a request.
pub fn evaluate(policy: &Policy, request: &Request) -> Evaluation {
    decide(&applicability(policy, request, false, None), Vec::new())
}

/// Evaluates only the statements of one `effect` of a resource-based policy: with
/// [`Effect::Deny`], whether the policy denies the request explicitly (`ExplicitDeny`), may
/// (`Unknown`) or does not (`ImplicitDeny`: no Deny applies); with [`Effect::Allow`], whether it
/// grants it (`Allow`), may (`Unknown`) or does not (`ImplicitDeny`), whatever it denies. Rules
/// that report a missing grant and an explicit denial apart (PP407, PP408) ask each half.
pub fn evaluate_effect(policy: &Policy, request: &Request, effect: Effect) -> Evaluation {
    let applied: Vec<Applied> = applicability(policy, request, false, None)
        .into_iter()
        .filter(|a| a.effect == effect)
        .collect();
    if effect == Effect::Allow {
        return decide(&applied, Vec::new());
    }
    // Deny statements alone: `decide` would call every request denied (nothing allows).
    let pick = |tri: Tri| {
        applied
            .iter()
            .filter(|a| a.applies.tri == tri)
            .collect::<Vec<_>>()
    };
    let yes = pick(Tri::Yes);
    if !yes.is_empty() {
        return Evaluation {
            decision: Decision::ExplicitDeny,
            deciding: yes.iter().map(|a| a.at.clone()).collect(),
            unknown_because: Vec::new(),
        };
    }
    let maybe = pick(Tri::Maybe);
    if !maybe.is_empty() {
        let mut because = Reasons::new();
        for a in &maybe {
            because.extend(a.applies.reasons.clone());
        }
        return Evaluation {
            decision: Decision::Unknown,
            deciding: maybe.iter().map(|a| a.at.clone()).collect(),
            unknown_because: because.into_vec(),
        };
    }
    Evaluation {
        decision: Decision::ImplicitDeny,
        deciding: Vec::new(),
        unknown_because: Vec::new(),
    }
}

/// Evaluates the union of a principal's identity policies (inline and attached) against a
/// request, the principal being the one the policies are attached to.
///
/// A policy that is not in the input could add an Allow (so an implicit deny becomes Unknown) or
/// an explicit Deny (so an Allow becomes Unknown): with one, the decision is Unknown unless a known
/// statement explicitly denies.
pub fn evaluate_identity(policies: &[IdentityPolicy<'_>], request: &Request) -> Evaluation {
    let mut applied = Vec::new();
    let mut unknown = Vec::new();
    // AWS managed policies pullpath does not hold that can only allow (see
    // [`managed::allows_only`]): they decide only what nothing else allows.
    let mut allow_only = Vec::new();
    for p in policies {
        match p {
            IdentityPolicy::Document(policy) => {
                applied.extend(applicability(policy, request, true, None));
            }
            IdentityPolicy::ManagedArn(arn) => match managed::aws_managed_policy_ref(arn) {
                Some(policy) => {
                    let name = arn.rsplit('/').next().unwrap_or(arn);
                    applied.extend(applicability(policy, request, true, Some(name)));
                }
                // No such policy (a known name under another path): it grants nothing, and
                // Terraform's attachment fails at apply.
                None if managed::misplaced(arn).is_some() => {}
                None if managed::allows_only(arn) => allow_only.push(format!(
                    "the AWS managed policy {arn} is not one pullpath holds: it could allow {} (AWS managed policies of its kind never deny)",
                    request.action
                )),
                None => unknown.push(format!(
                    "managed policy {arn} is not in the input (and is not an AWS managed policy pullpath knows): it could allow or deny {}",
                    request.action
                )),
            },
            IdentityPolicy::NotInInput(name) => unknown.push(format!(
                "policy {name} is not in the input: it could allow or deny {}",
                request.action
            )),
        }
    }
    let mut ev = decide(&applied, unknown);
    if !allow_only.is_empty() {
        match ev.decision {
            // An Allow stands (they deny nothing), and so does an explicit Deny.
            Decision::Allow | Decision::ExplicitDeny => {}
            // What nothing else allows, they may.
            Decision::ImplicitDeny => {
                ev.decision = Decision::Unknown;
                ev.unknown_because.splice(0..0, allow_only);
            }
            Decision::Unknown => ev.unknown_because.extend(allow_only),
        }
    }
    ev
}
