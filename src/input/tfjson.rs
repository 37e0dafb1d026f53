//! Typed, borrowing views of `terraform show -json` output and raw state files.
//!
//! Only what the model needs is decoded; attribute objects stay as borrowed [`RawValue`] slices
//! until the reader knows the resource type is one pullpath reads. This keeps a 300 MB plan from
//! becoming a 3 GB tree.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

/// The top level of any JSON input: a plan, a show-json state, or a raw state. Which one it is
/// is decided from the keys present, never from the file name.
#[derive(Deserialize, Debug, Default, PartialEq)]
pub struct Document<'a> {
    #[serde(borrow)]
    pub format_version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub terraform_version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub planned_values: Option<StateValues<'a>>,
    #[serde(borrow)]
    pub resource_changes: Option<Vec<ResourceChange<'a>>>,
    #[serde(borrow)]
    pub prior_state: Option<ShowState<'a>>,
    #[serde(borrow)]
    pub configuration: Option<Raw<'a>>,
    #[serde(borrow)]
    pub variables: Option<BTreeMap<Cow<'a, str>, Variable<'a>>>,
    /// show-json state.
    #[serde(borrow)]
    pub values: Option<StateValues<'a>>,
    /// Raw state: `version` (4 today) and `resources`.
    pub version: Option<serde_json::Value>,
    #[serde(borrow)]
    pub resources: Option<Raw<'a>>,
    /// terravision's `tfdata` wrapper, recognised only to say so.
    #[serde(borrow)]
    pub plandata: Option<Raw<'a>>,
    /// Raw state version 1–3 (Terraform 0.11 and earlier).
    #[serde(borrow)]
    pub modules: Option<Raw<'a>>,
}

impl<'a> Document<'a> {
    /// The root module of `prior_state`, when the plan records one.
    pub fn prior_root(&self) -> Option<&Module<'a>> {
        self.prior_state
            .as_ref()?
            .values
            .as_ref()?
            .root_module
            .as_ref()
    }
}

#[derive(Deserialize, Debug, PartialEq)]
pub struct Variable<'a> {
    #[serde(borrow)]
    pub value: Option<Raw<'a>>,
}

#[derive(Deserialize, Debug, PartialEq)]
pub struct ShowState<'a> {
    #[serde(borrow)]
    pub values: Option<StateValues<'a>>,
}

#[derive(Deserialize, Debug, PartialEq)]
pub struct StateValues<'a> {
    #[serde(borrow)]
    pub root_module: Option<Module<'a>>,
}

#[derive(Deserialize, Debug, PartialEq)]
pub struct Module<'a> {
    #[serde(borrow, default)]
    pub resources: Vec<StateResource<'a>>,
    #[serde(borrow, default)]
    pub child_modules: Vec<Module<'a>>,
}

#[derive(Deserialize, Debug, PartialEq)]
pub struct StateResource<'a> {
    #[serde(borrow)]
    pub address: JsonStr<'a>,
    #[serde(borrow)]
    pub mode: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    pub rtype: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub values: Option<Raw<'a>>,
    #[serde(borrow)]
    pub deposed_key: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Debug, PartialEq)]
pub struct ResourceChange<'a> {
    #[serde(borrow)]
    pub address: JsonStr<'a>,
    #[serde(borrow)]
    pub mode: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    pub rtype: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub deposed: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub change: Change<'a>,
}

#[derive(Deserialize, Debug, PartialEq)]
pub struct Change<'a> {
    #[serde(default)]
    pub actions: Actions,
    #[serde(borrow)]
    pub before: Option<Raw<'a>>,
    #[serde(borrow)]
    pub after: Option<Raw<'a>>,
    #[serde(borrow)]
    pub after_unknown: Option<Raw<'a>>,
}

/// A JSON string as it is spelled in the document, escapes and all: addresses with `for_each`
/// keys (`module.a[\"k\"].x.y`) always contain escapes, and decoding every one of them into a
/// `String` (twice: `planned_values` and `resource_changes` repeat each address) would allocate
/// for nothing. [`JsonStr::raw`] compares equal for equal strings because Terraform writes every
/// address with the same encoder; [`JsonStr::text`] decodes when the text is needed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JsonStr<'a>(&'a str);

impl<'a> JsonStr<'a> {
    /// A string's content as written between its quotes.
    pub(crate) fn new(content: &'a str) -> Self {
        JsonStr(content)
    }

    /// The string's content as written between the quotes (escapes not decoded).
    pub fn raw(&self) -> &'a str {
        self.0
    }

    /// The decoded string; borrowed when it has no escapes.
    pub fn text(&self) -> Cow<'a, str> {
        if !self.0.contains('\\') {
            return Cow::Borrowed(self.0);
        }
        Cow::Owned(unescape(self.0))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for JsonStr<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let raw = <&'de RawValue>::deserialize(d)?;
        let text = raw.get();
        if !text.starts_with('"') {
            return Err(D::Error::invalid_type(
                serde::de::Unexpected::Other(&format!("`{}`", truncate(text, 40))),
                &"a string",
            ));
        }
        // A RawValue is valid JSON: a string starts and ends with a quote.
        Ok(JsonStr(&text[1..text.len() - 1]))
    }
}

/// Decodes the escapes of a JSON string's content (already checked to be valid JSON). A lone
/// surrogate, which JSON text can spell but a string cannot hold, becomes U+FFFD.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let esc = rest.as_bytes().get(i + 1).copied().unwrap_or(b'\\');
        rest = &rest[(i + 2).min(rest.len())..];
        match esc {
            b'n' => out.push('\n'),
            b't' => out.push('\t'),
            b'r' => out.push('\r'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'u' => {
                let hex = |s: &str| s.get(..4).and_then(|h| u32::from_str_radix(h, 16).ok());
                let Some(hi) = hex(rest) else {
                    out.push('\u{fffd}');
                    continue;
                };
                rest = &rest[4..];
                let c = if (0xD800..0xDC00).contains(&hi) {
                    match rest.strip_prefix("\\u").and_then(hex) {
                        Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                            rest = &rest[6..];
                            char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                        }
                        _ => None,
                    }
                } else {
                    char::from_u32(hi)
                };
                out.push(c.unwrap_or('\u{fffd}'));
            }
            other => out.push(other as char),
        }
    }
    out.push_str(rest);
    out
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A JSON value as the slice of the document's text it spans: serde_json's `RawValue`,
/// which the fast path of the top-level parse ([`super::skim`]) can make as well.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Raw<'a>(&'a str);

impl<'a> Raw<'a> {
    /// `json` must be one valid JSON value without surrounding whitespace.
    pub(crate) fn new(json: &'a str) -> Self {
        Raw(json)
    }

    /// The value's text.
    pub fn get(self) -> &'a str {
        self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Raw<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de RawValue>::deserialize(d).map(|raw| Raw(raw.get()))
    }
}

/// `change.actions`: what the reader needs is whether the change is only a delete or only a
/// forget; the list is not kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Actions {
    #[default]
    Other,
    Delete,
    Forget,
}

impl<'de> Deserialize<'de> for Actions {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Actions;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a sequence of action names such as [\"create\"]")
            }
            fn visit_unit<E>(self) -> Result<Actions, E> {
                Ok(Actions::Other)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Actions, A::Error> {
                let mut n = 0;
                let mut only = Actions::Other;
                while let Some(a) = seq.next_element::<Cow<'de, str>>()? {
                    n += 1;
                    only = match a.as_ref() {
                        "delete" => Actions::Delete,
                        "forget" => Actions::Forget,
                        _ => Actions::Other,
                    };
                }
                Ok(if n == 1 { only } else { Actions::Other })
            }
        }
        d.deserialize_any(V)
    }
}

/// A raw state file's resource (state version 4).
#[derive(Deserialize)]
pub struct RawStateResource<'a> {
    #[serde(borrow)]
    pub module: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub mode: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    pub rtype: Cow<'a, str>,
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    #[serde(borrow, default)]
    pub instances: Vec<RawStateInstance<'a>>,
}

#[derive(Deserialize)]
pub struct RawStateInstance<'a> {
    pub index_key: Option<serde_json::Value>,
    #[serde(borrow)]
    pub deposed: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub attributes: Option<&'a RawValue>,
    pub attributes_flat: Option<BTreeMap<String, String>>,
}

// ---- configuration (plans only) ----

/// `configuration` of a plan: what the resolver follows references through. Names and
/// references borrow from the plan's text.
#[derive(Deserialize, Debug, Default)]
pub struct Configuration<'a> {
    #[serde(default)]
    pub provider_config: BTreeMap<String, ProviderConfig>,
    #[serde(borrow, default)]
    pub root_module: ConfigModule<'a>,
}

#[derive(Deserialize, Debug, Default)]
pub struct ProviderConfig {
    pub name: Option<String>,
    pub alias: Option<String>,
    pub module_address: Option<String>,
    #[serde(default)]
    pub expressions: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize, Debug, Default)]
pub struct ConfigModule<'a> {
    #[serde(borrow, default)]
    pub resources: Vec<ConfigResource<'a>>,
    #[serde(borrow, default)]
    pub module_calls: BTreeMap<Cow<'a, str>, ModuleCall<'a>>,
    #[serde(borrow, default)]
    pub outputs: BTreeMap<Cow<'a, str>, Output<'a>>,
}

#[derive(Deserialize, Debug)]
pub struct ConfigResource<'a> {
    #[serde(borrow)]
    pub address: Cow<'a, str>,
    #[serde(borrow)]
    pub provider_config_key: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub expressions: Exprs<'a>,
    #[serde(borrow)]
    pub for_each_expression: Option<Expr<'a>>,
    #[serde(borrow)]
    pub count_expression: Option<Expr<'a>>,
}

/// A string of the configuration copied out of the plan's text.
fn owned(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
}

impl Configuration<'_> {
    /// The configuration with every string copied out of the plan's text, so that the pages
    /// of a mapped plan that hold the `configuration` section can be given back as soon as it
    /// is read: the resolver keeps a few names and references of it, a small part of its text
    /// (a flat root module's `configuration` is about a third of its plan, mostly constants).
    pub fn into_owned(self) -> Configuration<'static> {
        Configuration {
            provider_config: self.provider_config,
            root_module: self.root_module.into_owned(),
        }
    }
}

impl ConfigModule<'_> {
    fn into_owned(self) -> ConfigModule<'static> {
        ConfigModule {
            resources: self
                .resources
                .into_iter()
                .map(ConfigResource::into_owned)
                .collect(),
            module_calls: self
                .module_calls
                .into_iter()
                .map(|(k, c)| (owned(k), c.into_owned()))
                .collect(),
            outputs: self
                .outputs
                .into_iter()
                .map(|(k, o)| {
                    let expression = o.expression.map(Expr::into_owned);
                    (owned(k), Output { expression })
                })
                .collect(),
        }
    }
}

impl ConfigResource<'_> {
    fn into_owned(self) -> ConfigResource<'static> {
        ConfigResource {
            address: owned(self.address),
            provider_config_key: self.provider_config_key.map(owned),
            expressions: self.expressions.into_owned(),
            for_each_expression: self.for_each_expression.map(Expr::into_owned),
            count_expression: self.count_expression.map(Expr::into_owned),
        }
    }
}

impl ModuleCall<'_> {
    fn into_owned(self) -> ModuleCall<'static> {
        ModuleCall {
            source: self.source.map(owned),
            expressions: self.expressions.into_owned(),
            for_each_expression: self.for_each_expression.map(Expr::into_owned),
            count_expression: self.count_expression.map(Expr::into_owned),
            module: self.module.into_owned(),
        }
    }
}

#[derive(Deserialize, Debug)]
pub struct ModuleCall<'a> {
    #[serde(borrow)]
    pub source: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub expressions: Exprs<'a>,
    #[serde(borrow)]
    pub for_each_expression: Option<Expr<'a>>,
    #[serde(borrow)]
    pub count_expression: Option<Expr<'a>>,
    #[serde(borrow, default)]
    pub module: ConfigModule<'a>,
}

#[derive(Deserialize, Debug)]
pub struct Output<'a> {
    #[serde(borrow)]
    pub expression: Option<Expr<'a>>,
}

/// An expression of the configuration, or the nested blocks around expressions, as far as the
/// resolver reads it: the references of an expression (borrowed from the text, split into
/// their steps the first time the expression is resolved: most never are), and nothing of a
/// `constant_value` (skipped unparsed: a flat root module's `configuration` is a large part of
/// its plan, mostly constants, and a generic tree of it cost a third of the run and two thirds
/// of the memory).
///
/// Which JSON objects are expressions is decided as before: an object whose `references` is an
/// array, or that has a `constant_value`, or that is empty; any other object is a block body.
#[derive(Debug)]
pub enum Expr<'a> {
    /// An expression that refers to something: its `references`.
    Refs(Box<References<'a>>),
    /// An expression that refers to nothing (`constant_value`, `{}`).
    Constant,
    /// A nested block's body: attribute name to expression.
    Body(Exprs<'a>),
    /// Nested blocks (or any other array).
    List(Vec<Expr<'a>>),
    /// A string outside an expression's constant (a `references` entry).
    Str(Cow<'a, str>),
    /// Any other JSON value.
    Other,
}

/// The `references` of an expression (the strings, in order), and their parsed form once
/// asked for.
#[derive(Debug)]
pub struct References<'a> {
    refs: Vec<Cow<'a, str>>,
    parsed: std::sync::OnceLock<crate::resolve::ParsedExpression>,
}

/// Attribute names and their expressions, sorted by name (a vector: a map's nodes took twice
/// the memory, for objects of a handful of entries). Where JSON repeats a name, the last one
/// counts, as in any JSON map.
#[derive(Debug, Default)]
pub struct Exprs<'a>(Vec<(Cow<'a, str>, Expr<'a>)>);

impl<'a> Exprs<'a> {
    fn into_owned(self) -> Exprs<'static> {
        Exprs(
            self.0
                .into_iter()
                .map(|(k, e)| (owned(k), e.into_owned()))
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&Expr<'a>> {
        self.0
            .binary_search_by(|(k, _)| k.as_ref().cmp(name))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Sorts entries read in document order; of repeated names the last one is kept.
    pub(super) fn from_entries(mut entries: Vec<(Cow<'a, str>, Expr<'a>)>) -> Self {
        // A stable sort keeps repeated names in document order; the last of each run is kept.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Cow<'a, str>, Expr<'a>)> = Vec::with_capacity(entries.len());
        for e in entries {
            match out.last_mut() {
                Some(last) if last.0 == e.0 => *last = e,
                _ => out.push(e),
            }
        }
        Exprs(out)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Exprs<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Exprs<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of expressions")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Exprs<'a>, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Cow<'a, str>>()? {
                    let v: Expr<'a> = map.next_value()?;
                    entries.push((key, v));
                }
                Ok(Exprs::from_entries(entries))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

impl<'a> Expr<'a> {
    fn into_owned(self) -> Expr<'static> {
        match self {
            Expr::Refs(r) => Expr::Refs(Box::new(References {
                refs: r.refs.into_iter().map(owned).collect(),
                // Parsed from the strings when first asked for, which is after this copy.
                parsed: r.parsed,
            })),
            Expr::Constant => Expr::Constant,
            Expr::Body(b) => Expr::Body(b.into_owned()),
            Expr::List(l) => Expr::List(l.into_iter().map(Expr::into_owned).collect()),
            Expr::Str(s) => Expr::Str(owned(s)),
            Expr::Other => Expr::Other,
        }
    }

    /// The expression an object is: `entries` are its fields but `constant_value` (skipped
    /// unparsed; `constant` says whether there was one), in document order.
    pub(super) fn object(
        entries: Vec<(Cow<'a, str>, Expr<'a>)>,
        constant: bool,
        empty: bool,
    ) -> Expr<'a> {
        let body = Exprs::from_entries(entries);
        if let Some(Expr::List(_)) = body.get("references") {
            let Some(Expr::List(items)) = body
                .0
                .into_iter()
                .find(|(k, _)| k == "references")
                .map(|(_, v)| v)
            else {
                unreachable!("just matched")
            };
            let mut refs: Vec<Cow<'a, str>> = items
                .into_iter()
                .filter_map(|i| match i {
                    Expr::Str(s) => Some(s),
                    _ => None,
                })
                .collect();
            // Collected in the list's own buffer (larger items, and room to grow): kept for
            // the whole configuration, so given back.
            refs.shrink_to_fit();
            return Expr::Refs(Box::new(References {
                refs,
                parsed: std::sync::OnceLock::new(),
            }));
        }
        if constant || empty {
            return Expr::Constant;
        }
        Expr::Body(body)
    }

    /// Whether this is an expression (not a block body or another value).
    pub fn is_expression(&self) -> bool {
        matches!(self, Expr::Refs(_) | Expr::Constant)
    }

    /// The expression's references, when it has a `references` array (parsed on first use).
    pub fn parsed(&self) -> Option<&crate::resolve::ParsedExpression> {
        match self {
            Expr::Refs(r) => Some(r.parsed.get_or_init(|| {
                let refs: Vec<&str> = r.refs.iter().map(|c| c.as_ref()).collect();
                crate::resolve::ParsedExpression::new(&refs)
            })),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Expr<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
            type Value = Expr<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a configuration expression")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Expr<'a>, E> {
                Ok(Expr::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Expr<'a>, E> {
                Ok(Expr::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Expr<'a>, E> {
                Ok(Expr::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Expr<'a>, E> {
                Ok(Expr::Other)
            }
            fn visit_unit<E>(self) -> Result<Expr<'a>, E> {
                Ok(Expr::Other)
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Expr<'a>, E> {
                Ok(Expr::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Expr<'a>, E> {
                Ok(Expr::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Expr<'a>, E> {
                Ok(Expr::Str(Cow::Owned(v)))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Expr<'a>, A::Error> {
                let mut items = Vec::new();
                while let Some(x) = seq.next_element::<Expr<'a>>()? {
                    items.push(x);
                }
                Ok(Expr::List(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Expr<'a>, A::Error> {
                let mut body: Vec<(Cow<'a, str>, Expr<'a>)> = Vec::new();
                let mut constant = false;
                let mut empty = true;
                while let Some(key) = map.next_key::<Cow<'a, str>>()? {
                    empty = false;
                    if key == "constant_value" {
                        map.next_value::<serde::de::IgnoredAny>()?;
                        constant = true;
                        continue;
                    }
                    let v: Expr<'a> = map.next_value()?;
                    body.push((key, v));
                }
                Ok(Expr::object(body, constant, empty))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_decode_like_serde_json() {
        for text in [
            r#""plain""#,
            r#""module.a[\"k\"].aws_vpc.x""#,
            r#""tab\tnl\ncr\rbs\\sl\/q\"""#,
            r#""\u0041\u00e9\u20ac\ud83d\ude00 end""#,
            r#""\b\f""#,
        ] {
            let j: JsonStr<'_> = serde_json::from_str(text).unwrap();
            let expected: String = serde_json::from_str(text).unwrap();
            assert_eq!(j.text(), expected, "{text}");
        }
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(unescape(r"a\ud800b"), "a\u{fffd}b");
        assert_eq!(unescape(r"\udc00"), "\u{fffd}");
    }

    #[test]
    fn non_strings_are_rejected() {
        let e = serde_json::from_str::<JsonStr<'_>>("5").err().unwrap();
        assert!(e.to_string().contains("expected a string"), "{e}");
    }
}
