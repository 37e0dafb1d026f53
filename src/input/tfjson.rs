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
#[derive(Deserialize)]
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
    pub configuration: Option<&'a RawValue>,
    #[serde(borrow)]
    pub variables: Option<BTreeMap<Cow<'a, str>, Variable<'a>>>,
    /// show-json state.
    #[serde(borrow)]
    pub values: Option<StateValues<'a>>,
    /// Raw state: `version` (4 today) and `resources`.
    pub version: Option<serde_json::Value>,
    #[serde(borrow)]
    pub resources: Option<&'a RawValue>,
    /// terravision's `tfdata` wrapper, recognised only to say so.
    #[serde(borrow)]
    pub plandata: Option<&'a RawValue>,
    /// Raw state version 1–3 (Terraform 0.11 and earlier).
    #[serde(borrow)]
    pub modules: Option<&'a RawValue>,
}

#[derive(Deserialize)]
pub struct Variable<'a> {
    #[serde(borrow)]
    pub value: Option<&'a RawValue>,
}

#[derive(Deserialize)]
pub struct ShowState<'a> {
    #[serde(borrow)]
    pub values: Option<StateValues<'a>>,
}

#[derive(Deserialize)]
pub struct StateValues<'a> {
    #[serde(borrow)]
    pub root_module: Option<Module<'a>>,
}

#[derive(Deserialize)]
pub struct Module<'a> {
    #[serde(borrow, default)]
    pub resources: Vec<StateResource<'a>>,
    #[serde(borrow, default)]
    pub child_modules: Vec<Module<'a>>,
}

#[derive(Deserialize)]
pub struct StateResource<'a> {
    #[serde(borrow)]
    pub address: Cow<'a, str>,
    #[serde(borrow)]
    pub mode: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    pub rtype: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub values: Option<&'a RawValue>,
    #[serde(borrow)]
    pub deposed_key: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
pub struct ResourceChange<'a> {
    #[serde(borrow)]
    pub address: Cow<'a, str>,
    #[serde(borrow)]
    pub mode: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    pub rtype: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub deposed: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub change: Change<'a>,
}

#[derive(Deserialize)]
pub struct Change<'a> {
    #[serde(borrow, default)]
    pub actions: Vec<Cow<'a, str>>,
    #[serde(borrow)]
    pub before: Option<&'a RawValue>,
    #[serde(borrow)]
    pub after: Option<&'a RawValue>,
    #[serde(borrow)]
    pub after_unknown: Option<&'a RawValue>,
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

/// `configuration` of a plan: what the resolver follows references through.
#[derive(Deserialize, Default)]
pub struct Configuration {
    #[serde(default)]
    pub provider_config: BTreeMap<String, ProviderConfig>,
    #[serde(default)]
    pub root_module: ConfigModule,
}

#[derive(Deserialize, Default)]
pub struct ProviderConfig {
    pub name: Option<String>,
    pub alias: Option<String>,
    pub module_address: Option<String>,
    #[serde(default)]
    pub expressions: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize, Default)]
pub struct ConfigModule {
    #[serde(default)]
    pub resources: Vec<ConfigResource>,
    #[serde(default)]
    pub module_calls: BTreeMap<String, ModuleCall>,
    #[serde(default)]
    pub outputs: BTreeMap<String, Output>,
}

#[derive(Deserialize)]
pub struct ConfigResource {
    pub address: String,
    pub provider_config_key: Option<String>,
    #[serde(default)]
    pub expressions: BTreeMap<String, serde_json::Value>,
    pub for_each_expression: Option<serde_json::Value>,
    pub count_expression: Option<serde_json::Value>,
}

#[derive(Deserialize)]
pub struct ModuleCall {
    pub source: Option<String>,
    #[serde(default)]
    pub expressions: BTreeMap<String, serde_json::Value>,
    pub for_each_expression: Option<serde_json::Value>,
    pub count_expression: Option<serde_json::Value>,
    #[serde(default)]
    pub module: ConfigModule,
}

#[derive(Deserialize)]
pub struct Output {
    pub expression: Option<serde_json::Value>,
}
