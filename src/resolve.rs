//! Follows the references a plan's `configuration` records, to find which resource instances an
//! attribute that is "known after apply" will come from.
//!
//! A plan of new infrastructure knows no ids: `vpc_id`, `subnets`, `security_group_ids` are all
//! unknown. The configuration says, per attribute, which objects the expression refers to
//! (`"references": ["module.vpc.private_subnets", "module.vpc"]`). This module walks those
//! through module input variables (to the calling module's expression), module outputs (to the
//! output's expression inside the module instance), `each.value` (to the `for_each` expression)
//! and resource references (to the instances that exist), and reports anything it cannot follow
//! (`local.*`, which plans do not record) instead of guessing.
//!
//! Cost: every lookup goes through hash indexes built once; a resolution visits each expression
//! on its chain once, bounded by [`MAX_DEPTH`].

use std::collections::BTreeSet;

use crate::hash::FastMap;

use crate::input::tfjson::{ConfigModule, ConfigResource, Configuration, Expr, Exprs, ModuleCall};
use crate::model::address::{self, split_traversal, InstanceKey, ModuleStep};
use crate::model::{Target, Value};

/// How deep a chain of variables and outputs may go before resolution gives up (cycles cannot
/// occur in valid configurations, but inputs are not trusted).
const MAX_DEPTH: usize = 48;

/// The outcome of following some references.
#[derive(Debug, Default)]
pub struct Resolution {
    pub targets: BTreeSet<Target>,
    /// The configuration does not set the attribute at all.
    pub not_configured: bool,
    /// Why some reference could not be followed (empty when complete).
    pub gaps: Vec<String>,
}

impl Resolution {
    /// The value this resolution stands for.
    pub fn into_value(self, fallback_reason: &'static str) -> Value {
        if self.not_configured {
            return Value::not_configured();
        }
        let complete = self.gaps.is_empty();
        if self.targets.is_empty() {
            return if complete && fallback_reason == crate::model::value::AFTER_APPLY_REASON {
                Value::after_apply()
            } else if complete {
                Value::unknown(fallback_reason)
            } else {
                Value::unknown(self.gaps.join("; "))
            };
        }
        let note = if complete {
            None
        } else {
            Some(self.gaps.join("; "))
        };
        Value::reference(self.targets.into_iter().collect(), complete, note)
    }
}

/// Instances of one resource in one module instance: their keys and full addresses.
type Instances<'c> = Vec<(Option<InstanceKey>, &'c str)>;

/// Indexes over one plan's configuration and its resource instances.
pub struct Resolver<'c> {
    config: &'c Configuration<'c>,
    /// Configuration module by path without keys (`""`, `module.a`, `module.a.module.b`).
    modules: FastMap<String, &'c ConfigModule<'c>>,
    /// Configuration resource by module config path, then `type.name` / `data.type.name`.
    /// (Nested maps: lookups by `&str` need no allocation.)
    resources: FastMap<String, FastMap<String, &'c ConfigResource<'c>>>,
    /// Instances by module instance path, then `type.name`: their keys and full addresses.
    instances: FastMap<String, FastMap<String, Instances<'c>>>,
    /// Module call instances by parent module instance path, then call name: their keys.
    module_instances: FastMap<String, FastMap<String, BTreeSet<Option<InstanceKey>>>>,
}

/// An expression's references, most specific only (see [`most_specific`]), split into their
/// steps. Parsed once, when the configuration is read ([`Expr`]): a module called for 1,000
/// instances has its expressions resolved 1,000 times.
#[derive(Debug)]
pub struct ParsedExpression {
    /// The expression uses `count.index` or `each.*`.
    keyed: bool,
    refs: Vec<ParsedReference>,
}

/// One reference, split into its steps.
#[derive(Debug)]
struct ParsedReference {
    text: String,
    /// `None` when the reference cannot be read.
    parts: Option<Vec<(String, Option<InstanceKey>)>>,
    /// For resource and data source references: `type.name` / `data.type.name`.
    resource: Option<String>,
}

impl ParsedExpression {
    /// The parsed form of an expression's `references` (its strings, in order).
    pub fn new(refs: &[&str]) -> ParsedExpression {
        let keyed = refs
            .iter()
            .any(|r| *r == "count.index" || r.starts_with("each."));
        let refs = most_specific(refs)
            .into_iter()
            .map(|r| {
                // Kept for every expression resolved: without the room for six steps that
                // splitting makes.
                let parts = split_traversal(r).map(|mut p| {
                    p.shrink_to_fit();
                    p
                });
                let resource = parts.as_ref().and_then(|p| match p[0].0.as_str() {
                    "var" | "local" | "module" | "each" | "count" | "path" | "terraform"
                    | "self" | "null" | "true" | "false" => None,
                    "data" if p.len() >= 3 => Some(format!("data.{}.{}", p[1].0, p[2].0)),
                    "data" => None,
                    head if p.len() >= 2 => Some(format!("{head}.{}", p[1].0)),
                    _ => None,
                });
                ParsedReference {
                    text: r.to_string(),
                    parts,
                    resource,
                }
            })
            .collect();
        ParsedExpression { keyed, refs }
    }
}

/// What resolution needs of one resource instance, computed once for all its attributes.
pub struct ResourceContext<'a, 'c> {
    addr: &'a address::Address,
    cfg: Option<&'c ConfigResource<'c>>,
}

impl<'c> ResourceContext<'_, 'c> {
    /// The configuration block of the provider the resource uses.
    pub fn provider_key(&self) -> Option<&'c str> {
        self.cfg?.provider_config_key.as_deref()
    }
}

impl<'c> Resolver<'c> {
    /// Builds the indexes. `addresses` are all resource instance addresses of the plan (also
    /// those of types pullpath does not read: a reference to them still resolves).
    pub fn new<'a>(
        config: &'c Configuration<'c>,
        addresses: impl Iterator<Item = (&'a address::Address, &'c str)>,
    ) -> Self {
        let mut modules = FastMap::default();
        let mut resources = FastMap::default();
        index_module(
            &config.root_module,
            String::new(),
            &mut modules,
            &mut resources,
        );
        let mut instances: FastMap<String, FastMap<String, Instances<'c>>> = FastMap::default();
        let mut module_instances: FastMap<String, FastMap<String, BTreeSet<Option<InstanceKey>>>> =
            FastMap::default();
        // Every resolution starts at a resource block of the configuration: without any (no
        // `configuration`, as in a state-like or hand-made plan), no instance is ever looked
        // up, and indexing a million of them would cost seconds and hundreds of megabytes.
        let any_block = resources.values().any(|m| !m.is_empty());
        // Keys are allocated only on first sight: most resources share their module instance
        // and resource block with others. A module instance's calls are recorded once for the
        // run of addresses that share its path (the readers parse a module instance's
        // addresses into one shared path, and list them together).
        let mut last_module: Option<&[ModuleStep]> = None;
        let mut block = String::new();
        for (addr, a) in addresses.filter(|_| any_block) {
            let module: &[ModuleStep] = &addr.module;
            let seen = last_module.is_some_and(|m| std::ptr::eq(m, module));
            last_module = Some(module);
            if !seen {
                for i in 0..addr.module.len() {
                    let parent = address::module_instance_string(&addr.module[..i]);
                    let calls = module_instances.entry(parent).or_default();
                    let step = &addr.module[i];
                    match calls.get_mut(step.name.as_str()) {
                        Some(keys) => {
                            if !keys.contains(&step.key) {
                                keys.insert(step.key.clone());
                            }
                        }
                        None => {
                            calls.insert(step.name.clone(), BTreeSet::from([step.key.clone()]));
                        }
                    }
                }
            }
            let module = match instances.get_mut(addr.module_instance()) {
                Some(m) => m,
                None => instances
                    .entry(addr.module_instance().to_string())
                    .or_default(),
            };
            block.clear();
            addr.write_resource_config(&mut block);
            match module.get_mut(block.as_str()) {
                Some(list) => list.push((addr.key.clone(), a)),
                None => {
                    module.insert(block.clone(), vec![(addr.key.clone(), a)]);
                }
            }
        }
        // Most blocks have one or two instances; the lists grew by pushes (room for four).
        for list in instances.values_mut().flat_map(|m| m.values_mut()) {
            list.shrink_to_fit();
        }
        Resolver {
            config,
            modules,
            resources,
            instances,
            module_instances,
        }
    }

    /// The configuration of a resource instance.
    pub fn config_of(&self, addr: &address::Address) -> Option<&'c ConfigResource<'c>> {
        self.resources
            .get(&addr.module_config())?
            .get(&addr.resource_config())
            .copied()
    }

    /// The configuration block of the provider a resource uses.
    pub fn provider_key(&self, addr: &address::Address) -> Option<&'c str> {
        self.config_of(addr)?.provider_config_key.as_deref()
    }

    pub fn configuration(&self) -> &'c Configuration<'c> {
        self.config
    }

    /// What resolving a resource's attributes needs, looked up once.
    pub fn context<'a>(&self, addr: &'a address::Address) -> ResourceContext<'a, 'c> {
        ResourceContext {
            addr,
            cfg: self.config_of(addr),
        }
    }

    /// Resolves the expression recorded for attribute `path` of resource `addr` (a path into
    /// nested blocks, e.g. `["network_configuration", "0", "subnets"]`).
    pub fn resolve_attribute<S: AsRef<str>>(
        &self,
        addr: &address::Address,
        path: &[S],
    ) -> Resolution {
        self.resolve_in(&self.context(addr), path)
    }

    /// Like [`Resolver::resolve_attribute`], with the resource's context computed beforehand.
    pub fn resolve_in<S: AsRef<str>>(
        &self,
        ctx: &ResourceContext<'_, 'c>,
        path: &[S],
    ) -> Resolution {
        let mut res = Resolution::default();
        let addr = ctx.addr;
        let Some(cfg) = ctx.cfg else {
            res.gaps.push(format!(
                "the plan's configuration has no block for {}",
                addr.resource_config()
            ));
            return res;
        };
        let Some(expr) = expression_at(&cfg.expressions, path) else {
            if path.len() == 1 {
                // Not set in the configuration: a computed attribute the provider fills in.
                res.not_configured = true;
            } else {
                // Inside a nested block: possibly generated by `dynamic`, which the plan's
                // configuration does not expand.
                res.gaps.push(format!(
                    "the plan's configuration records no expression for {}",
                    path.iter()
                        .map(AsRef::as_ref)
                        .collect::<Vec<&str>>()
                        .join(".")
                ));
            }
            return res;
        };
        let scope = Scope {
            module: &addr.module,
            module_text: addr.module_instance(),
            key: addr.key.as_ref(),
            for_each: cfg.for_each_expression.as_ref(),
        };
        self.resolve_expression(expr, &scope, &mut res, 0);
        res
    }

    fn resolve_expression(
        &self,
        expr: &Expr<'_>,
        scope: &Scope<'_>,
        res: &mut Resolution,
        depth: usize,
    ) {
        // A constant, or no references: nothing to follow.
        let Some(parsed) = expr.parsed() else {
            return;
        };
        if depth > MAX_DEPTH {
            res.gaps
                .push("the chain of variables and outputs is too deep to follow".to_string());
            return;
        }
        for r in &parsed.refs {
            self.resolve_reference(r, parsed.keyed, scope, res, depth);
        }
    }

    fn resolve_reference(
        &self,
        reference: &ParsedReference,
        keyed: bool,
        scope: &Scope<'_>,
        res: &mut Resolution,
        depth: usize,
    ) {
        let Some(parts) = &reference.parts else {
            res.gaps
                .push(format!("cannot read the reference `{}`", reference.text));
            return;
        };
        let head = parts[0].0.as_str();
        match head {
            "var" => {
                let Some((name, _)) = parts.get(1) else {
                    return;
                };
                // Root variables have known values in the plan; nothing to follow.
                let Some((call_step, parent)) = scope.module.split_last() else {
                    return;
                };
                let Some(call) = self.call(parent, &call_step.name) else {
                    res.gaps.push(format!(
                        "no configuration for module call {}",
                        call_step.name
                    ));
                    return;
                };
                if let Some(expr) = call.expressions.get(name.as_str()) {
                    let parent_text = address::module_instance_string(parent);
                    let outer = Scope {
                        module: parent,
                        module_text: &parent_text,
                        key: call_step.key.as_ref(),
                        for_each: call.for_each_expression.as_ref(),
                    };
                    self.resolve_expression(expr, &outer, res, depth + 1);
                }
            }
            "local" => {
                let name = parts.get(1).map_or("", |p| p.0.as_str());
                res.gaps.push(format!(
                    "goes through local.{name}, which a plan does not record"
                ));
            }
            "module" => {
                let Some((call_name, key)) = parts.get(1) else {
                    return;
                };
                let Some((output, _)) = parts.get(2) else {
                    res.gaps.push(format!(
                        "refers to the whole module.{call_name}, not one of its outputs"
                    ));
                    return;
                };
                let Some(call) = self.call(scope.module, call_name) else {
                    res.gaps
                        .push(format!("no configuration for module call {call_name}"));
                    return;
                };
                let Some(out) = call.module.outputs.get(output.as_str()) else {
                    res.gaps.push(format!(
                        "module.{call_name} has no output {output} in the plan's configuration"
                    ));
                    return;
                };
                let Some(expr) = out.expression.as_ref() else {
                    return;
                };
                let keys: Vec<Option<InstanceKey>> = match key {
                    Some(k) if !is_symbolic(k) => vec![Some(k.clone())],
                    _ => self
                        .module_instances
                        .get(scope.module_text)
                        .and_then(|m| m.get(call_name.as_str()))
                        .map(|s| s.iter().cloned().collect())
                        .unwrap_or_default(),
                };
                for k in keys {
                    let mut inner = scope.module.to_vec();
                    inner.push(ModuleStep {
                        name: call_name.clone(),
                        key: k,
                    });
                    let inner_text = address::module_instance_string(&inner);
                    let inner_scope = Scope {
                        module: &inner,
                        module_text: &inner_text,
                        key: None,
                        for_each: None,
                    };
                    self.resolve_expression(expr, &inner_scope, res, depth + 1);
                }
            }
            "each" => {
                if parts.get(1).map(|p| p.0.as_str()) == Some("value") {
                    if let Some(fe) = scope.for_each {
                        self.resolve_expression(fe, scope, res, depth + 1);
                    }
                }
            }
            "count" | "path" | "terraform" | "self" | "null" | "true" | "false" => {}
            "data" => {
                if let Some(resource) = &reference.resource {
                    let key = parts[2].1.as_ref();
                    let attr = parts.get(3).map(|p| p.0.as_str());
                    self.add_instances(resource, key, attr, keyed, scope, res);
                }
            }
            _ => {
                if let Some(resource) = &reference.resource {
                    let key = parts[1].1.as_ref();
                    let attr = parts.get(2).map(|p| p.0.as_str());
                    self.add_instances(resource, key, attr, keyed, scope, res);
                }
            }
        }
    }

    /// Adds the instances of `resource` (module-relative) that a reference selects: the keyed
    /// one when the reference has a literal key; the one with the referring instance's own key
    /// when the expression uses `count.index`/`each.*` and such an instance exists; else all.
    fn add_instances(
        &self,
        resource: &str,
        key: Option<&InstanceKey>,
        attr: Option<&str>,
        keyed: bool,
        scope: &Scope<'_>,
        res: &mut Resolution,
    ) {
        let module = scope.module_text;
        let Some(list) = self.instances.get(module).and_then(|m| m.get(resource)) else {
            // No instance: count = 0 / empty for_each, so the reference yields nothing. Or the
            // configuration has no such resource at all.
            if self.config_resource(scope.module, resource).is_none() {
                res.gaps.push(format!(
                    "refers to {}, which is not in the plan",
                    address::join(module, resource)
                ));
            }
            return;
        };
        let chosen: Vec<&(Option<InstanceKey>, &str)> = match key {
            Some(k) if !is_symbolic(k) => list
                .iter()
                .filter(|(ik, _)| ik.as_ref() == Some(k))
                .collect(),
            _ => {
                let same: Vec<_> = match (keyed, scope.key) {
                    (true, Some(own)) => list
                        .iter()
                        .filter(|(ik, _)| ik.as_ref() == Some(own))
                        .collect(),
                    _ => Vec::new(),
                };
                if same.is_empty() {
                    list.iter().collect()
                } else {
                    same
                }
            }
        };
        for (_, a) in chosen {
            res.targets.insert(Target {
                address: a.to_string(),
                attr: attr.map(crate::model::attribute_name),
            });
        }
    }

    fn call(&self, module: &[ModuleStep], name: &str) -> Option<&'c ModuleCall<'c>> {
        let path = config_path(module);
        self.modules.get(&path)?.module_calls.get(name)
    }

    fn config_resource(
        &self,
        module: &[ModuleStep],
        resource: &str,
    ) -> Option<&'c ConfigResource<'c>> {
        self.resources
            .get(&config_path(module))?
            .get(resource)
            .copied()
    }
}

/// Where an expression is evaluated: the module instance, and the instance key and `for_each`
/// expression of the block being evaluated (for `count.index` / `each.*`).
struct Scope<'s> {
    module: &'s [ModuleStep],
    /// `module` as text (`module.a["k"]`), computed once per scope.
    module_text: &'s str,
    key: Option<&'s InstanceKey>,
    for_each: Option<&'s Expr<'s>>,
}

fn config_path(module: &[ModuleStep]) -> String {
    module
        .iter()
        .map(|m| format!("module.{}", m.name))
        .collect::<Vec<_>>()
        .join(".")
}

fn index_module<'c>(
    m: &'c ConfigModule<'c>,
    path: String,
    modules: &mut FastMap<String, &'c ConfigModule<'c>>,
    resources: &mut FastMap<String, FastMap<String, &'c ConfigResource<'c>>>,
) {
    let own = resources.entry(path.clone()).or_default();
    for r in &m.resources {
        own.insert(r.address.to_string(), r);
    }
    for (name, call) in &m.module_calls {
        let child = address::join(&path, &format!("module.{name}"));
        index_module(&call.module, child, modules, resources);
    }
    modules.insert(path, m);
}

/// A key such as `[count.index]` that the address parser kept as text: not a literal key.
fn is_symbolic(k: &InstanceKey) -> bool {
    matches!(k, InstanceKey::Str(s) if s.starts_with('\u{0}'))
}

/// Drops every reference that another one in the list extends: Terraform lists
/// `aws_vpc.a[0].id`, `aws_vpc.a[0]` and `aws_vpc.a` for one traversal; only the first says
/// which instance and attribute.
fn most_specific<'r>(refs: &[&'r str]) -> Vec<&'r str> {
    // Lists are a handful of entries; past a bound the quadratic filter is not worth it.
    if refs.len() > 256 {
        return refs.to_vec();
    }
    let mut out: Vec<&str> = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        let extended = refs.iter().enumerate().any(|(j, o)| {
            j != i
                && o.len() > r.len()
                && o.starts_with(r)
                && matches!(o.as_bytes()[r.len()], b'.' | b'[')
        });
        if !extended && !out.contains(r) {
            out.push(r);
        }
    }
    out
}

/// The expression recorded for a path into an attribute or nested blocks. Expressions are
/// objects with `references`/`constant_value`; nested blocks are arrays of objects of
/// expressions. An expression covers everything below it (a list attribute has one expression).
pub fn expression_at<'e>(exprs: &'e Exprs<'e>, path: &[impl AsRef<str>]) -> Option<&'e Expr<'e>> {
    let (first, rest) = path.split_first()?;
    let mut cur = exprs.get(first.as_ref())?;
    let mut rest = rest;
    loop {
        if cur.is_expression() {
            return Some(cur);
        }
        let (seg, tail) = rest.split_first()?;
        cur = match cur {
            Expr::List(blocks) => {
                let i: usize = seg.as_ref().parse().ok()?;
                // Blocks from `dynamic` are not expanded in the configuration: one body
                // stands for all of them.
                blocks.get(i).or_else(|| {
                    if blocks.len() == 1 {
                        blocks.first()
                    } else {
                        None
                    }
                })?
            }
            Expr::Body(body) => body.get(seg.as_ref())?,
            _ => return None,
        };
        rest = tail;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The indexes are the same whether the addresses share their module paths (a plan's
    /// reader: one path per module instance, which the index records once per run of
    /// addresses) or not, with the instances of modules interleaved.
    #[test]
    fn shared_module_paths_index_as_separate_ones() {
        let config: Configuration<'_> = serde_json::from_str(
            r#"{"root_module":{"resources":[{"address":"aws_vpc.x","expressions":{}}]}}"#,
        )
        .unwrap();
        let texts = [
            "module.a[\"k\"].aws_subnet.s[0]",
            "module.a[\"k\"].aws_subnet.s[1]",
            "module.a[\"k\"].module.b[0].aws_vpc.v",
            "module.a[\"j\"].aws_subnet.s[0]",
            "module.a[\"k\"].module.b[1].aws_vpc.v",
            "module.a[\"k\"].aws_vpc.v",
            "module.c.aws_vpc.v",
            "aws_vpc.x",
            "module.a[\"k\"].module.b[0].aws_vpc.w",
        ];
        let mut table = address::SharedParts::default();
        let shared: Vec<address::Address> =
            texts.iter().map(|t| table.validate(t).unwrap()).collect();
        let separate: Vec<address::Address> = texts
            .iter()
            .map(|t| address::validate(t).unwrap())
            .collect();
        /// A two-level map as sorted (outer key, inner key, value) rows.
        fn rows<V: Clone + Ord>(
            map: &FastMap<String, FastMap<String, V>>,
        ) -> Vec<(String, String, V)> {
            let mut out: Vec<_> = map
                .iter()
                .flat_map(|(a, m)| {
                    m.iter()
                        .map(move |(b, v)| (a.clone(), b.clone(), v.clone()))
                })
                .collect();
            out.sort();
            out
        }
        let index = |addrs: &[address::Address]| {
            let r = Resolver::new(&config, addrs.iter().zip(texts));
            (rows(&r.module_instances), rows(&r.instances))
        };
        let (calls, instances) = index(&shared);
        assert_eq!((calls.clone(), instances.clone()), index(&separate));
        // Both keys of module.a, both of module.a["k"].module.b, and module.c.
        assert_eq!(calls.len(), 3, "{calls:?}");
        assert_eq!(calls[0].2.len(), 2);
        assert_eq!(instances.len(), 8, "{instances:?}");
    }

    #[test]
    fn keeps_only_the_most_specific_references() {
        let refs = [
            "aws_subnet.a[0].id",
            "aws_subnet.a[0]",
            "aws_subnet.a",
            "count.index",
            "module.vpc.vpc_id",
            "module.vpc",
        ];
        assert_eq!(
            most_specific(&refs),
            vec!["aws_subnet.a[0].id", "count.index", "module.vpc.vpc_id"]
        );
    }

    #[test]
    fn finds_expressions_in_nested_blocks() {
        let text = serde_json::json!({
            "network_configuration": [{"subnets": {"references": ["aws_subnet.a.id", "aws_subnet.a"]}}],
            "tags": {"constant_value": {"a": "b"}}
        })
        .to_string();
        let exprs: Exprs<'_> = serde_json::from_str(&text).unwrap();
        let p = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let e = expression_at(&exprs, &p(&["network_configuration", "0", "subnets", "1"])).unwrap();
        assert!(e.parsed().is_some());
        assert!(expression_at(&exprs, &p(&["tags", "a"])).is_some());
        assert!(expression_at(&exprs, &p(&["missing"])).is_none());
    }
}
