//! What PP404–PP406 share: a principal's identity policies, parsed once, in the form the policy
//! engine evaluates.

use crate::graph::*;
use crate::policy::{IdentityPolicy, Policy};

/// One identity policy of a principal, ready for the engine.
pub enum Parsed<'a> {
    Document {
        policy: &'a Policy,
        source: Node,
    },
    Managed {
        arn: String,
    },
    /// Not in the input, or not readable: the reason.
    Unknown {
        reason: String,
        source: Node,
    },
}

/// A principal's identity policies: its own and, for users, its groups'.
pub fn identity_policies(net: &Network, p: PrincipalIdx) -> Vec<Parsed<'_>> {
    let principal = &net.principals[p];
    let mut out = Vec::new();
    let groups = principal.groups.iter().map(|&g| &net.principals[g]);
    for attached in principal
        .policies
        .iter()
        .chain(groups.flat_map(|g| g.policies.iter()))
    {
        out.push(parsed(attached));
    }
    out
}

fn parsed(attached: &AttachedPolicy) -> Parsed<'_> {
    match attached {
        AttachedPolicy::Document { policy, source, .. } => match policy {
            Ok(policy) => Parsed::Document {
                policy,
                source: source.clone(),
            },
            Err(e) => Parsed::Unknown {
                reason: format!("{} is not a valid policy ({e})", source.name()),
                source: source.clone(),
            },
        },
        AttachedPolicy::Managed { arn, source } => {
            // AWS managed policies the engine holds, or that can only allow (the engine
            // says what they may add where nothing else allows).
            if crate::policy::managed::aws_managed_policy_ref(arn).is_some()
                || crate::policy::managed::allows_only(arn)
            {
                Parsed::Managed { arn: arn.clone() }
            } else {
                Parsed::Unknown {
                    reason: format!("the policy {arn} is not in the input"),
                    source: source.clone(),
                }
            }
        }
        AttachedPolicy::Unknown { reason, source } => Parsed::Unknown {
            reason: reason.clone(),
            source: source.clone(),
        },
    }
}

/// A principal's permissions boundary, parsed as [`identity_policies`] parses its policies.
pub fn boundary_policy(net: &Network, p: PrincipalIdx) -> Option<Parsed<'_>> {
    let attached = net.principals[p].boundary.as_ref()?;
    Some(parsed(attached))
}

/// The engine's view of parsed policies, and the reasons some are unknown.
pub fn engine_view<'a>(parsed: &'a [Parsed<'_>]) -> (Vec<IdentityPolicy<'a>>, Vec<String>) {
    let mut view = Vec::new();
    let mut reasons = Vec::new();
    for p in parsed {
        match p {
            Parsed::Document { policy, .. } => view.push(IdentityPolicy::Document(policy)),
            Parsed::Managed { arn } => view.push(IdentityPolicy::ManagedArn(arn)),
            Parsed::Unknown { reason, source } => {
                reasons.push(reason.clone());
                view.push(IdentityPolicy::NotInInput(
                    source.address.as_deref().unwrap_or("a policy"),
                ));
            }
        }
    }
    (view, reasons)
}
