//! Picking a module's declarations out of its blocks: variables, locals, outputs, resources
//! and data sources, module calls and providers, with the checks Terraform makes of them
//! (declared twice, `count` with `for_each`, malformed `dynamic` blocks).

use anyhow::{anyhow, bail, Result};
use hcl::edit::expr::Expression;

use crate::hcl::config::{
    block_member_name, Attr, Block, Body, Local, MemberKind, ModuleCall, ModuleConfig, Output,
    ProviderCfg, Removed, ResourceCfg, Variable,
};
use crate::model::Location;

/// A string expression without interpolation.
pub(crate) fn literal_string(e: &Expression) -> Option<String> {
    match e {
        Expression::String(s) => Some(s.value().to_string()),
        Expression::StringTemplate(t) => {
            let mut out = String::new();
            for el in t.iter() {
                out.push_str(el.as_literal()?.value());
            }
            Some(out)
        }
        _ => None,
    }
}

/// A dotted reference as written: `aws.west` (a traversal) or `"aws.west"` (JSON syntax). An
/// instance of a provider configuration with `for_each` (OpenTofu: `aws.by_region["eu-west-1"]`,
/// `aws.by_region[each.key]`) is `aws.by_region[*]`: which instance is not read.
fn provider_ref(e: &Expression) -> Option<String> {
    match e {
        Expression::Variable(v) => Some(v.value().as_str().to_string()),
        Expression::Traversal(t) => {
            let mut out = match &t.expr {
                Expression::Variable(v) => v.value().as_str().to_string(),
                _ => return None,
            };
            for op in &t.operators {
                match op.value() {
                    hcl::edit::expr::TraversalOperator::GetAttr(a) => {
                        out.push('.');
                        out.push_str(a.value().as_str());
                    }
                    hcl::edit::expr::TraversalOperator::Index(_)
                    | hcl::edit::expr::TraversalOperator::LegacyIndex(_) => {
                        out.push_str("[*]");
                        return Some(out);
                    }
                    _ => return None,
                }
            }
            Some(out)
        }
        other => literal_string(other),
    }
}

fn duplicate(what: &str, first: &Location, second: &Location) -> anyhow::Error {
    anyhow!("{}: {what} is declared twice (first at {})", second, first)
}

/// Picks the module's declarations out of its blocks.
pub(crate) fn build_config(dir: &str, blocks: Vec<Block>) -> Result<ModuleConfig> {
    let mut cfg = ModuleConfig {
        dir: dir.to_string(),
        ..ModuleConfig::default()
    };
    for b in blocks {
        match b.kind.as_str() {
            "variable" => {
                let Some(name) = b.labels.first().cloned() else {
                    continue;
                };
                if let Some(&i) = cfg.var_index.get(&name) {
                    return Err(duplicate(
                        &format!("variable `{name}`"),
                        &cfg.variables[i].loc,
                        &b.loc,
                    ));
                }
                let mut body = b.body;
                cfg.var_index.insert(name.clone(), cfg.variables.len());
                // `nullable = false`: a null from the caller means "use the default".
                let nullable = !matches!(
                    body.take("nullable").map(|a| a.expr),
                    Some(Expression::Bool(ref v)) if !*v.value()
                );
                cfg.variables.push(Variable {
                    name,
                    default: body.take("default").map(|a| a.expr),
                    ty: body.take("type").map(|a| a.expr),
                    nullable,
                    loc: b.loc,
                });
            }
            "locals" => {
                for a in b.body.attrs {
                    if let Some(prev) = cfg.locals.get(&a.name) {
                        return Err(duplicate(
                            &format!("local value `{}`", a.name),
                            &prev.loc,
                            &a.loc,
                        ));
                    }
                    cfg.locals.insert(
                        a.name,
                        Local {
                            expr: a.expr,
                            loc: a.loc,
                        },
                    );
                }
            }
            "output" => {
                let Some(name) = b.labels.first().cloned() else {
                    continue;
                };
                if let Some(prev) = cfg.outputs.get(&name) {
                    return Err(duplicate(&format!("output `{name}`"), &prev.loc, &b.loc));
                }
                let mut body = b.body;
                cfg.outputs.insert(
                    name,
                    Output {
                        value: body.take("value").map(|a| a.expr),
                        loc: b.loc,
                    },
                );
            }
            "resource" | "data" => {
                let data = b.kind == "data";
                let (Some(rtype), Some(name)) = (b.labels.first(), b.labels.get(1)) else {
                    continue;
                };
                let (rtype, name) = (rtype.clone(), name.clone());
                if let Some(i) = cfg.resource(data, &rtype, &name) {
                    let what = if data {
                        format!("data source data.{rtype}.{name}")
                    } else {
                        format!("resource {rtype}.{name}")
                    };
                    return Err(duplicate(&what, &cfg.resources[i].loc, &b.loc));
                }
                let idx = cfg.resources.len();
                let r = resource_cfg(data, rtype.clone(), name.clone(), b)?;
                cfg.resources.push(r);
                let index = if data {
                    &mut cfg.data_index
                } else {
                    &mut cfg.managed_index
                };
                index.entry(rtype).or_default().insert(name, idx);
            }
            "module" => {
                let Some(name) = b.labels.first().cloned() else {
                    continue;
                };
                if let Some(&i) = cfg.call_index.get(&name) {
                    return Err(duplicate(
                        &format!("module `{name}`"),
                        &cfg.calls[i].loc,
                        &b.loc,
                    ));
                }
                let mut body = b.body;
                let source = body.take("source").and_then(|a| literal_string(&a.expr));
                body.take("version");
                body.take("depends_on");
                let count = body.take("count");
                let for_each = body.take("for_each");
                let enabled = take_enabled(&mut body);
                body.blocks.retain(|x| x.kind != "lifecycle");
                check_repetition(&format!("module `{name}`"), &count, &for_each, &enabled)?;
                let providers = body
                    .take("providers")
                    .map(|a| provider_map(&a.expr))
                    .unwrap_or_default();
                cfg.call_index.insert(name.clone(), cfg.calls.len());
                cfg.calls.push(ModuleCall {
                    name,
                    source,
                    body,
                    count,
                    for_each,
                    enabled,
                    providers,
                    loc: b.loc,
                });
            }
            "provider" => {
                let Some(name) = b.labels.first().cloned() else {
                    continue;
                };
                let mut body = b.body;
                let alias = body.take("alias").and_then(|a| literal_string(&a.expr));
                cfg.providers.push(ProviderCfg {
                    name,
                    alias,
                    region: body.take("region").map(|a| a.expr),
                    default_tags: body.blocks.iter().any(|x| x.kind == "default_tags"),
                    allowed_account_ids: body.take("allowed_account_ids").map(|a| a.expr),
                    own_credentials: crate::aws::CREDENTIAL_SETTINGS.iter().any(|k| {
                        body.attr(k).is_some() || body.blocks.iter().any(|x| x.kind == *k)
                    }),
                    loc: b.loc,
                });
            }
            "removed" => {
                let mut body = b.body;
                let from = body.take("from").and_then(|a| provider_ref(&a.expr));
                let destroy = match body
                    .blocks
                    .iter_mut()
                    .find(|x| x.kind == "lifecycle")
                    .and_then(|l| l.body.take("destroy"))
                {
                    None => Some(true),
                    Some(a) => match a.expr {
                        Expression::Bool(v) => Some(*v.value()),
                        _ => None,
                    },
                };
                cfg.removed.push(Removed {
                    from,
                    destroy,
                    loc: b.loc,
                });
            }
            _ => {}
        }
    }
    // Kept while the configuration is read (a resource block is 624 bytes; the list doubles as
    // it grows).
    cfg.resources.shrink_to_fit();
    Ok(cfg)
}

/// `providers = { aws = aws.west, "aws.east" = aws.east }`.
fn provider_map(e: &Expression) -> Vec<(String, String)> {
    let Expression::Object(o) = e else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in o.iter() {
        let key = match k {
            hcl::edit::expr::ObjectKey::Ident(i) => Some(i.value().as_str().to_string()),
            hcl::edit::expr::ObjectKey::Expression(e) => provider_ref(e),
        };
        if let (Some(key), Some(val)) = (key, provider_ref(v.expr())) {
            out.push((key, val));
        }
    }
    out
}

/// `count` and `for_each` together: Terraform refuses the block.
fn check_repetition(
    what: &str,
    count: &Option<Attr>,
    for_each: &Option<Attr>,
    enabled: &Option<Attr>,
) -> Result<()> {
    if let (Some(_), Some(f)) = (count, for_each) {
        bail!(
            "{}: {what}: `count` and `for_each` cannot both be set",
            f.loc
        );
    }
    if let (Some(e), true) = (enabled, count.is_some() || for_each.is_some()) {
        bail!(
            "{}: {what}: `enabled` cannot be set with `count` or `for_each`",
            e.loc
        );
    }
    Ok(())
}

/// OpenTofu's `lifecycle { enabled = … }`, taken out of the body's `lifecycle` block.
fn take_enabled(body: &mut Body) -> Option<Attr> {
    body.blocks
        .iter_mut()
        .filter(|b| b.kind == "lifecycle")
        .find_map(|b| b.body.take("enabled"))
}

/// Checks the `dynamic` blocks of a resource body (and of its nested blocks) as Terraform does
/// before evaluating them: one label (the type of the blocks generated), a `for_each`, and one
/// `content` block. Without these checks such a block would generate nothing, silently.
fn check_dynamic_blocks(body: &Body, owner: &str) -> Result<()> {
    for b in &body.blocks {
        let at = b.loc.to_string();
        if b.kind != "dynamic" {
            check_dynamic_blocks(&b.body, owner)?;
            continue;
        }
        if b.labels.len() != 1 {
            bail!(
                "{at}: {owner}: a `dynamic` block takes 1 label (the type of the blocks it \
                 generates); found {}",
                b.labels.len()
            );
        }
        let name = &b.labels[0];
        if b.body.attr("for_each").is_none() {
            bail!("{at}: {owner}: dynamic block `{name}` needs `for_each`");
        }
        if let Some(it) = b.body.attr("iterator") {
            if !matches!(it.expr, Expression::Variable(_)) {
                bail!(
                    "{}: {owner}: the `iterator` of dynamic block `{name}` must be a name",
                    it.loc
                );
            }
        }
        let contents: Vec<&Block> = b
            .body
            .blocks
            .iter()
            .filter(|c| c.kind == "content")
            .collect();
        match contents.as_slice() {
            [content] => check_dynamic_blocks(&content.body, owner)?,
            _ => bail!(
                "{at}: {owner}: dynamic block `{name}` needs one `content` block; found {}",
                contents.len()
            ),
        }
    }
    Ok(())
}

fn resource_cfg(data: bool, rtype: String, name: String, b: Block) -> Result<ResourceCfg> {
    let mut body = b.body;
    let count = body.take("count");
    let for_each = body.take("for_each");
    let what = if data {
        format!("data.{rtype}.{name}")
    } else {
        format!("{rtype}.{name}")
    };
    let enabled = take_enabled(&mut body);
    check_repetition(&what, &count, &for_each, &enabled)?;
    let provider = body.take("provider").and_then(|a| provider_ref(&a.expr));
    body.take("depends_on");
    body.blocks
        .retain(|x| !matches!(x.kind.as_str(), "lifecycle" | "provisioner" | "connection"));
    check_dynamic_blocks(&body, &what)?;
    let mut members = Vec::new();
    let mut member_index = crate::hash::FastMap::default();
    for (i, a) in body.attrs.iter().enumerate() {
        if !member_index.contains_key(&a.name) {
            member_index.insert(a.name.clone(), members.len());
            members.push((a.name.clone(), MemberKind::Attr(i)));
        }
    }
    for blk in &body.blocks {
        let n = block_member_name(blk);
        if n.is_empty() || member_index.contains_key(&n) {
            continue;
        }
        member_index.insert(n.clone(), members.len());
        members.push((n, MemberKind::Blocks));
    }
    let mut cfg = ResourceCfg {
        data,
        rtype,
        name,
        body,
        count,
        for_each,
        enabled,
        provider,
        loc: b.loc,
        suppressions: b.suppressions,
        members,
        member_index,
        locations: Default::default(),
        syntax: Default::default(),
    };
    cfg.locations = cfg.member_locations().into();
    cfg.syntax = cfg.attr_syntax().into();
    Ok(cfg)
}
