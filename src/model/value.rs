//! Attribute values of the resource model.
//!
//! Both readers (plan/state JSON and raw HCL) produce these values, so that the graph and the
//! rules never see JSON or HCL. A value is known (the usual JSON shapes), [`Value::Unknown`] with
//! the reason it cannot be known before apply, or [`Value::Ref`]: not known either, but known to
//! come from attributes of other resources, which the graph can follow.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, LazyLock};

/// The reason of [`Value::after_apply`].
pub const AFTER_APPLY_REASON: &str = "known after apply";

/// An object key. Attribute names that the readers keep (see [`crate::model::kept_attributes`])
/// borrow the static name: a plan repeats the same few names for every resource.
pub type Key = Cow<'static, str>;

/// The attributes of an object, in key order.
pub type Map = crate::model::map::ObjMap;

/// An attribute value: known, unknown with a reason, or a reference to other resources.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Object(Map),
    /// Shared: a large plan has one for every computed attribute of every new resource, and
    /// most carry the same fixed reason (see [`Value::not_configured`]).
    Unknown(Arc<Unknown>),
    Ref(Box<Reference>),
}

/// A value that cannot be decided from the input, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Unknown {
    pub reason: Cow<'static, str>,
    /// The configuration does not set this attribute: the provider or AWS fills it in at
    /// apply. For `policy` this means "the default full-access policy", not "some policy".
    pub not_configured: bool,
    /// A string template whose text begins with this attribute's value (`"${X.attr}:tag"`):
    /// the value is unknown, but where it comes from still says what it is (an image under an
    /// ECR repository's URL is in that repository's registry).
    pub starts_with: Option<Target>,
    /// Terraform's refinement of the result of a string template (`"${X}:tag"`): unknown, but
    /// surely a string, so `!= null` is decided (modules filter their inputs with it).
    pub not_null: bool,
    /// What is known of a collection whose size is not (HCL input only: the reader settles it
    /// into the shapes the graph reads before the model is built, see `crate::hcl`).
    pub partial: Option<Partial>,
    /// Terraform's refinement of a string template whose first parts are known: the text the
    /// value surely begins with (`"123456789012.dkr.ecr.${var.region}…"` is an image of
    /// private ECR; `"${family}:${revision}"` names its task definition family). Never empty.
    pub prefix: Option<String>,
    /// A string template's text with each interpolation not known before apply written as a
    /// JSON-escaped marker (`\u0001what\u0002`, see `policy::unknown_text`) and each partly
    /// known `jsonencode` result as JSON with such markers: what a policy document written as
    /// a heredoc (`"Resource": ${jsonencode(var.arns)}`) still says. `None` when the template
    /// is not rendered that way (an `%{if}` or `%{for}` that is not decided).
    pub marked: Option<Arc<str>>,
}

/// The known part of a value whose size is not known before apply (see [`Unknown::partial`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Partial {
    /// An object whose set of attributes is not known (a `for` expression whose `if` is not
    /// decided for some elements): the attributes it has or may have, with their values (an
    /// unknown for one it may not have); it has no others.
    Object(Map),
    /// A list of unknown length whose every element is like `element`: the instances of a
    /// resource block whose `count` is not known (`aws_subnet.private[*].id`), read on the
    /// instance that stands for them all (`aws_subnet.private[*]`, see
    /// [`crate::model::MayExist`]). `group` names the `count`: the instances of blocks of one
    /// module instance with the same `count` expression correspond one to one by index.
    Each {
        element: Box<Value>,
        /// `None` once the order is lost (`toset`): then no index corresponds.
        group: Option<String>,
    },
    /// The `count.index` of that instance: in a block of the same `group`, indexing a list of
    /// the group with it gives its element.
    Index { group: String },
    /// The number of instances of `group` (`length(aws_subnet.private)`): a block with this
    /// `count` is of that group.
    Count { group: String },
}

/// A value known only as "whatever these resources' attributes turn out to be".
///
/// `targets` lists every resource instance the value may come from. In a plan, where the
/// configuration records references per attribute but not the expression, a list attribute such
/// as `subnets = [aws_subnet.a.id, aws_subnet.b.id]` becomes one `Ref` with two targets; a scalar
/// attribute with several targets is ambiguous and the graph treats it so.
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    pub targets: Vec<Target>,
    /// False when part of the expression could not be followed (e.g. through `local.*`, which a
    /// plan does not record): the true value may contain more than `targets`.
    pub complete: bool,
    /// Why resolution stopped, when `complete` is false.
    pub note: Option<String>,
}

/// One resource instance (in the same input) and the attribute read from it, if the reference
/// names one (`aws_vpc.main.id` -> attr `id`; `aws_subnet.private` -> none). An attribute
/// pullpath reads is its static name (see [`crate::model::attribute_name`]): a plan has a
/// reference or more for most resources.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target {
    pub address: String,
    pub attr: Option<Cow<'static, str>>,
}

impl Value {
    pub fn unknown(reason: impl Into<Cow<'static, str>>) -> Value {
        Value::Unknown(Arc::new(Unknown {
            reason: reason.into(),
            not_configured: false,
            starts_with: None,
            not_null: false,
            partial: None,
            prefix: None,
            marked: None,
        }))
    }

    /// An unknown string, surely not null: the result of a string template whose parts are not
    /// all known (see [`Unknown::not_null`]).
    pub fn unknown_string(reason: impl Into<Cow<'static, str>>) -> Value {
        Value::Unknown(Arc::new(Unknown {
            reason: reason.into(),
            not_configured: false,
            starts_with: None,
            not_null: true,
            partial: None,
            prefix: None,
            marked: None,
        }))
    }

    /// An unknown string that begins with the value of `target` (see [`Unknown::starts_with`]).
    pub fn unknown_starting_with(reason: impl Into<Cow<'static, str>>, target: Target) -> Value {
        Value::Unknown(Arc::new(Unknown {
            reason: reason.into(),
            not_configured: false,
            starts_with: Some(target),
            not_null: true,
            partial: None,
            prefix: None,
            marked: None,
        }))
    }

    /// An unknown collection of which `partial` is known (never null).
    pub fn unknown_partial(reason: impl Into<Cow<'static, str>>, partial: Partial) -> Value {
        Value::Unknown(Arc::new(Unknown {
            reason: reason.into(),
            not_configured: false,
            starts_with: None,
            not_null: !matches!(partial, Partial::Index { .. }),
            partial: Some(partial),
            prefix: None,
            marked: None,
        }))
    }

    /// An unknown string that begins with the text `prefix` (see [`Unknown::prefix`]); without
    /// a prefix (empty) as [`Value::unknown_string`].
    pub fn unknown_string_with_prefix(
        reason: impl Into<Cow<'static, str>>,
        prefix: String,
    ) -> Value {
        Value::Unknown(Arc::new(Unknown {
            reason: reason.into(),
            not_configured: false,
            starts_with: None,
            not_null: true,
            partial: None,
            prefix: (!prefix.is_empty()).then_some(prefix),
            marked: None,
        }))
    }

    /// The same unknown template result with its marked text (see [`Unknown::marked`]); any
    /// other value as it is.
    pub fn with_marked(self, marked: Option<String>) -> Value {
        match (self, marked) {
            (Value::Unknown(u), Some(m)) => {
                let mut u = Arc::unwrap_or_clone(u);
                u.marked = Some(Arc::from(m));
                Value::Unknown(Arc::new(u))
            }
            (v, _) => v,
        }
    }

    /// The text an unknown string surely begins with (see [`Unknown::prefix`]).
    pub fn known_prefix(&self) -> Option<&str> {
        match self {
            Value::Unknown(u) => u.prefix.as_deref(),
            _ => None,
        }
    }

    /// What is known of a value whose size is not (see [`Unknown::partial`]).
    pub fn partial(&self) -> Option<&Partial> {
        match self {
            Value::Unknown(u) => u.partial.as_ref(),
            _ => None,
        }
    }

    /// A value the configuration sets from something known only after apply, with no more to
    /// say about it. All of them share one allocation.
    pub fn after_apply() -> Value {
        static AFTER_APPLY: LazyLock<Arc<Unknown>> = LazyLock::new(|| {
            Arc::new(Unknown {
                reason: Cow::Borrowed(AFTER_APPLY_REASON),
                not_configured: false,
                starts_with: None,
                not_null: false,
                partial: None,
                prefix: None,
                marked: None,
            })
        });
        Value::Unknown(Arc::clone(&AFTER_APPLY))
    }

    /// An attribute the configuration leaves unset, to be filled in at apply. All of them share
    /// one allocation.
    pub fn not_configured() -> Value {
        static NOT_CONFIGURED: LazyLock<Arc<Unknown>> = LazyLock::new(|| {
            Arc::new(Unknown {
                reason: Cow::Borrowed("computed by the provider: known only after apply"),
                not_configured: true,
                starts_with: None,
                not_null: false,
                partial: None,
                prefix: None,
                marked: None,
            })
        });
        Value::Unknown(Arc::clone(&NOT_CONFIGURED))
    }

    /// True when the configuration does not set this attribute (absent, or computed and unset).
    pub fn is_not_configured(&self) -> bool {
        matches!(self, Value::Unknown(u) if u.not_configured)
    }

    pub fn reference(targets: Vec<Target>, complete: bool, note: Option<String>) -> Value {
        Value::Ref(Box::new(Reference {
            targets,
            complete,
            note,
        }))
    }

    /// The attribute `key` of an object; `None` when absent or when `self` is not an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.get(key),
            _ => None,
        }
    }

    /// Follows a path of object keys, taking the first element of single-block lists on the way
    /// (Terraform renders a nested block such as `network_configuration` as a one-element list).
    pub fn path(&self, keys: &[&str]) -> Option<&Value> {
        let mut cur = self;
        for k in keys {
            cur = match cur {
                Value::Object(m) => m.get(k)?,
                Value::List(items) => items.first()?.get(k)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True for values that are not decided: unknown, or a reference.
    pub fn is_undecided(&self) -> bool {
        matches!(self, Value::Unknown(_) | Value::Ref(_))
    }

    /// A known string. Numbers and booleans are not strings here; use [`Value::as_text`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A known scalar as text: strings as they are, numbers and booleans rendered.
    /// Raw state files written by old Terraform versions keep every value as a string, so
    /// readers of scalars go through this.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(format_number(*n)),
            _ => None,
        }
    }

    /// A known boolean; accepts the strings `"true"`/`"false"` of flat-map state.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s == "true" => Some(true),
            Value::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    /// A known number; accepts numeric strings of flat-map state.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// Converts to JSON when the value is fully known; `None` if any part is undecided.
    pub fn to_json(&self) -> Option<serde_json::Value> {
        let mut undecided = false;
        let j = self.to_json_with(&mut |_| {
            undecided = true;
            serde_json::Value::Null
        });
        (!undecided).then_some(j)
    }

    /// Converts to JSON, writing each part not known before apply (a [`Value::Unknown`] or
    /// [`Value::Ref`]) as `undecided` gives it (a marker, for documents read in part).
    pub fn to_json_with(
        &self,
        undecided: &mut dyn FnMut(&Value) -> serde_json::Value,
    ) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Number::from_f64(*n)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => {
                serde_json::Value::Array(items.iter().map(|x| x.to_json_with(undecided)).collect())
            }
            Value::Object(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| (k.to_string(), v.to_json_with(undecided)))
                    .collect(),
            ),
            Value::Unknown(_) | Value::Ref(_) => undecided(self),
        }
    }

    /// The first reason found why some part of this value is undecided.
    pub fn undecided_reason(&self) -> Option<String> {
        match self {
            Value::Unknown(u) => Some(u.reason.to_string()),
            Value::Ref(r) => Some(match &r.note {
                Some(n) => n.clone(),
                None => format!(
                    "depends on {}",
                    r.targets
                        .iter()
                        .map(|t| t.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
            Value::List(items) => items.iter().find_map(Value::undecided_reason),
            Value::Object(m) => m.values().find_map(Value::undecided_reason),
            _ => None,
        }
    }
}

impl From<&serde_json::Value> for Value {
    fn from(v: &serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, v)| (Key::Owned(k.clone()), Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.attr {
            Some(a) => write!(f, "{}.{}", self.address, a),
            None => f.write_str(&self.address),
        }
    }
}

/// Renders a number the way Terraform prints it: integers without a fraction.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_walks_through_single_blocks() {
        let v = Value::from(&serde_json::json!({
            "network_configuration": [{"subnets": ["subnet-1"], "assign_public_ip": false}]
        }));
        assert_eq!(
            v.path(&["network_configuration", "assign_public_ip"]),
            Some(&Value::Bool(false))
        );
        assert!(v.path(&["network_configuration", "missing"]).is_none());
    }

    #[test]
    fn flat_map_strings_read_as_scalars() {
        assert_eq!(Value::String("true".into()).as_bool(), Some(true));
        assert_eq!(Value::String("443".into()).as_f64(), Some(443.0));
        assert_eq!(Value::Number(443.0).as_text().as_deref(), Some("443"));
    }

    #[test]
    fn undecided_values_do_not_convert_to_json() {
        let v = Value::List(vec![
            Value::String("a".into()),
            Value::unknown("after apply"),
        ]);
        assert!(v.to_json().is_none());
        assert_eq!(v.undecided_reason().as_deref(), Some("after apply"));
    }
}
