//! The request a policy is asked about: principal, action, resource and the (partial) context.

use std::collections::BTreeMap;

/// A request: *may PRINCIPAL do ACTION on RESOURCE, in CONTEXT?*
///
/// Build the ones the rules need with the constructors in [`super::requests`].
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Who asks.
    pub principal: PrincipalSpec,
    /// `service:Action`, e.g. `s3:GetObject` (matched case-insensitively).
    pub action: String,
    /// On what.
    pub resource: ResourceSpec,
    /// The condition keys of the request.
    pub context: Context,
}

/// Stands, in the text of a [`ResourceSpec::Exact`] or [`ResourceSpec::Prefix`] ARN, for a part
/// not known before apply (an account id): some non-empty text without `:`. Only a pattern's `*`
/// matches it, so a pattern that matches the text matches whatever the part turns out to be; one
/// that does not may still match the real value (Maybe), unless no value of the part could make
/// it match (No: `…:repository/other` is not `…:<unknown>:repository/app`). The partition of
/// such an ARN is read as unknown too: it was taken from a region that may not be the resource's.
pub const UNKNOWN_PART: char = '\u{E000}';

/// Stands, where an [`UNKNOWN_PART`] would, for the account the input deploys into when it is
/// not known: the account of a log group, parameter or secret the input's own tasks write or
/// read. Matched as an [`UNKNOWN_PART`] everywhere, except against a policy `Resource` that names
/// the same account through `data.aws_caller_identity` (see `eval`): the same account, whatever
/// it is, so such a pattern may match it surely (Yes), never surely not.
pub const OWN_ACCOUNT: char = '\u{E002}';

/// `text` with each [`UNKNOWN_PART`] (and [`OWN_ACCOUNT`]) written as `<unknown>`, for messages.
pub fn shown(text: &str) -> String {
    text.replace([UNKNOWN_PART, OWN_ACCOUNT], "<unknown>")
}

/// `text` with [`OWN_ACCOUNT`] read as any other unknown part.
pub(crate) fn plain_unknowns(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains(OWN_ACCOUNT) {
        std::borrow::Cow::Owned(text.replace(OWN_ACCOUNT, &UNKNOWN_PART.to_string()))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// What we know of the resource the request is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceSpec {
    /// A complete ARN (or `*` for actions that have no resource, like `ecr:GetAuthorizationToken`).
    Exact(String),
    /// An ARN whose tail is not known, e.g. an object key: the resource is this text followed by
    /// some non-empty text. A pattern matches when it matches every such completion, does not
    /// when it matches none, and may otherwise.
    Prefix(String),
    /// A resource whose ARN is known only after apply, known by the reference it comes from.
    /// `reference` is [`super::unknown_text`] of that reference (`aws_secretsmanager_secret.db.arn`):
    /// a `Resource` of a policy that is the same marker names the same resource (Yes). `shape` is
    /// the ARN with each part not known written as [`UNKNOWN_PART`]
    /// (`arn:aws:secretsmanager:us-east-1:\u{E000}:secret:\u{E000}`): a literal pattern that
    /// matches every such ARN (`*`, `arn:aws:secretsmanager:*:*:secret:*`) matches (Yes), one
    /// that matches none of them (`arn:aws:ssm:*:*:parameter/*`) does not (No), any other may
    /// (Maybe).
    Reference { reference: String, shape: String },
    /// Nothing is known: only the pattern `*` surely matches.
    Unknown,
}

impl ResourceSpec {
    /// The same resource with [`OWN_ACCOUNT`] read as [`UNKNOWN_PART`]; `None` when it has none.
    pub(crate) fn with_plain_unknowns(&self) -> Option<ResourceSpec> {
        let plain = |t: &String| match plain_unknowns(t) {
            std::borrow::Cow::Owned(p) => Some(p),
            std::borrow::Cow::Borrowed(_) => None,
        };
        match self {
            ResourceSpec::Exact(t) => plain(t).map(ResourceSpec::Exact),
            ResourceSpec::Prefix(t) => plain(t).map(ResourceSpec::Prefix),
            ResourceSpec::Reference { reference, shape } => {
                plain(shape).map(|shape| ResourceSpec::Reference {
                    reference: reference.clone(),
                    shape,
                })
            }
            ResourceSpec::Unknown => None,
        }
    }
}

/// Who makes the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalSpec {
    /// An IAM principal whose ARN is known, e.g. `arn:aws:iam::123456789012:role/exec`.
    Arn(String),
    /// Some principal of this account (which one is not known).
    Account(String),
    /// An IAM principal of the customer's account whose ARN is not known yet.
    UnknownAwsPrincipal,
    /// A principal in an AWS-owned account, as for ECR's presigned layer downloads. It matches only
    /// `"*"` and `{"AWS": "*"}`: no customer writes its ARN or account id.
    AwsOwned,
    /// A service principal such as `ecs-tasks.amazonaws.com`.
    Service(String),
}

/// What is known of one condition key in the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyState {
    /// The key is present with these values (one for single-valued keys).
    Known(Vec<String>),
    /// The key is surely not in the request.
    Absent,
    /// The key's value (or presence) is not known; the text says why, e.g.
    /// `"the VPC id is not known until apply"`.
    Unknown(String),
    /// The key is present but its value equals no literal a customer would write (an AWS-owned
    /// account id or organization): it matches only patterns made of `*`.
    Foreign,
}

impl KeyState {
    /// A single known value.
    pub fn known(value: impl Into<String>) -> KeyState {
        KeyState::Known(vec![value.into()])
    }
    /// An unknown value, with the reason.
    pub fn unknown(reason: impl Into<String>) -> KeyState {
        KeyState::Unknown(reason.into())
    }
}

/// The request context: condition keys (names case-insensitive) and what unlisted keys are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// Lower-cased key name → state.
    keys: BTreeMap<String, KeyState>,
    unlisted: KeyState,
}

impl Context {
    /// A context in which every key not set is `unlisted`.
    pub fn new(unlisted: KeyState) -> Context {
        Context {
            keys: BTreeMap::new(),
            unlisted,
        }
    }

    /// A context in which every key not set is absent.
    pub fn all_absent() -> Context {
        Context::new(KeyState::Absent)
    }

    /// A context in which every key not set is unknown, for `reason`.
    pub fn all_unknown(reason: impl Into<String>) -> Context {
        Context::new(KeyState::Unknown(reason.into()))
    }

    /// Sets a key (name case-insensitive).
    pub fn set(&mut self, key: &str, state: KeyState) -> &mut Context {
        self.keys.insert(key.to_ascii_lowercase(), state);
        self
    }

    /// Builder form of [`Context::set`].
    pub fn with(mut self, key: &str, state: KeyState) -> Context {
        self.set(key, state);
        self
    }

    /// The state of a key (name case-insensitive).
    pub fn get(&self, key: &str) -> &KeyState {
        self.keys
            .get(&key.to_ascii_lowercase())
            .unwrap_or(&self.unlisted)
    }
}
