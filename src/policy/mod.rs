//! Decides what an IAM policy document (a VPC endpoint policy, a resource policy or the identity
//! policies of a role) allows, with three-valued answers.
//!
//! The question this module answers is: *does this policy allow ACTION on RESOURCE for PRINCIPAL in
//! CONTEXT?* The answer is a [`Decision`]: [`Decision::Allow`], [`Decision::ExplicitDeny`],
//! [`Decision::ImplicitDeny`] or [`Decision::Unknown`], with the statements that decided it and,
//! for `Unknown`, the reasons. `Unknown` is a value, never a pass: a decision that depends on
//! something we cannot know before `apply` (a VPC id, a policy that is not in the input, a
//! condition operator we do not model) is `Unknown`, never `Allow`.
//!
//! The module depends on nothing else in the crate. Policy documents come in as JSON text (as found
//! in a Terraform plan) or as a [`serde_json::Value`].
//!
//! # Overview
//!
//! ```
//! use pullpath::policy::{evaluate, requests, Decision, KeyState, Policy};
//!
//! // The incident behind pullpath: an S3 gateway endpoint policy that allows only the
//! // application's bucket, so ECR image layers (served from an AWS-owned bucket) cannot be fetched.
//! let policy = Policy::parse_str(r#"{
//!   "Version": "2012-10-17",
//!   "Statement": [{
//!     "Effect": "Allow", "Principal": "*", "Action": "s3:*",
//!     "Resource": ["arn:aws:s3:::my-app-bucket", "arn:aws:s3:::my-app-bucket/*"]
//!   }]
//! }"#).unwrap();
//! let request = requests::starport_layer_download(
//!     "us-west-2", "aws", KeyState::known("vpc-0abc"), KeyState::unknown("not known until apply"),
//! ).unwrap();
//! let evaluation = evaluate(&policy, &request);
//! assert_eq!(evaluation.decision, Decision::ImplicitDeny);
//! ```
//!
//! # What is modelled
//!
//! The evaluation follows the IAM User Guide ("Policy evaluation logic", "IAM JSON policy
//! elements") and `shared/DOMAIN.md` §3, §5 and §6:
//!
//! - default deny; an explicit Deny overrides any Allow; each statement applies Yes, No or Maybe.
//!   A Deny that applies → `ExplicitDeny`; else a Deny that may apply → `Unknown`; else an Allow
//!   that applies → `Allow`; else an Allow that may apply → `Unknown`; else `ImplicitDeny`;
//! - `Statement` as object or array; `Action`/`NotAction`/`Resource`/`NotResource` as string or
//!   array; `Principal`/`NotPrincipal` as `"*"` or an object of `AWS`, `Service`, `Federated`,
//!   `CanonicalUser`;
//! - actions case-insensitive with `*`/`?`; resources case-sensitive with `*`/`?` within ARN
//!   segments (a `*` that ends a segment may run past `:`, as the IAM User Guide documents);
//! - every condition operator family (String, Arn, Bool, Numeric, Date, IpAddress, Binary, Null),
//!   `…IfExists`, `ForAnyValue:`/`ForAllValues:`; key names case-insensitive;
//! - policy variables (`${aws:username}`, `${key, 'default'}`, `${*}`, `${?}`, `${$}`) under
//!   Version `2012-10-17`; literal text under `2008-10-17` or with no Version.
//!
//! # Choices where AWS documents nothing (all conservative: Maybe, never a guessed Yes)
//!
//! - A statement with no `Principal` in a resource or endpoint policy may apply (Maybe); in
//!   identity policies the principal is the one the policy is attached to.
//! - A statement with neither `Resource` nor `NotResource` (ECR repository policies, trust
//!   policies) applies to the resource the policy is attached to.
//! - Where the documented ARN segment rule and a plain wildcard match disagree (a `?` or a
//!   mid-segment `*` facing a `:`), the resource match is Maybe.
//! - `{"AWS": "*"}` may or may not cover a service principal (services differ): Maybe.
//! - A policy variable whose key is absent and that has no default: Maybe (AWS says the statement
//!   "might" become invalid).
//! - A single-valued operator on a key with several values, an unknown operator, a malformed
//!   number, date or CIDR in the policy: Maybe.
//!
//! Requests the rules need are built by the named constructors in [`requests`]; AWS managed
//! policies are known by ARN in [`managed`]; [`fix`] proposes corrected documents.

mod condition;
mod context;
mod document;
mod eval;
pub mod fix;
pub mod managed;
mod matching;
pub mod requests;
mod unknown;
mod variables;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use context::{
    shown, Context, KeyState, PrincipalSpec, Request, ResourceSpec, OWN_ACCOUNT, UNKNOWN_PART,
};
pub use document::{Effect, Policy, PolicyError, PolicyVersion, Statement};
pub use eval::{
    evaluate, evaluate_effect, evaluate_identity, Decision, Evaluation, IdentityPolicy,
    StatementRef,
};
pub(crate) use unknown::with_own_account;
pub use unknown::{display_unknowns, is_unknown, raw_markers, unknown_text};
