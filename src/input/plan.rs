//! Reads `terraform show -json` plans and states, and raw state files, into the [`Model`].

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};

use super::mapped::Pages;
use super::tfjson::{
    Actions, Configuration, Document, JsonStr, Module, Raw, RawStateResource, StateValues,
};
use super::{decode, overlay};
use crate::hash::FastMap;
use crate::model::address::{Address, InstanceKey, SharedParts};
use crate::model::{
    is_read, kept_attributes, InputInfo, InputKind, Model, Removed, Resource, Value,
};
use crate::resolve::Resolver;

/// Reads one JSON input (already decoded to text). `path` is used in messages and the report.
pub fn load(text: &str, path: &str, notes: Vec<String>) -> Result<Model> {
    load_with(text, path, notes, Pages::NONE)
}

/// As [`load`]; `pages` gives back the pages of a mapped file as the reader is done with them.
pub(crate) fn load_with(
    text: &str,
    path: &str,
    mut notes: Vec<String>,
    pages: Pages<'_>,
) -> Result<Model> {
    let (start, skipped) = decode::json_start(text)?;
    if skipped > 0 {
        notes.push(format!(
            "skipped {skipped} line(s) of text before the JSON document, as printed by CI wrappers"
        ));
    }
    let body = &text[start..];
    // The fast path reads valid documents; anything else is read again by the general path,
    // which says what is wrong and where.
    let (doc, end) = match super::skim::document(body) {
        Some(read) => read,
        None => parse_document(text, start, skipped)?,
    };
    crate::timings::mark("document parsed (top level, addresses, nesting checked)");
    if !body[end..].trim().is_empty() {
        // The nesting of what follows the document, as the general path checks it.
        decode::check_nesting(text, start + end)?;
        let (trailer_line, _) = crate::model::line_index::locate_once(text, start + end);
        if let Some(note) = decode::check_trailer(&body[end..], trailer_line)? {
            notes.push(note);
        }
    }

    let mut info = InputInfo {
        path: path.to_string(),
        kind: InputKind::Plan,
        format_version: doc.format_version.as_deref().map(str::to_string),
        terraform_version: doc.terraform_version.as_deref().map(str::to_string),
        region: None,
        allowed_accounts: None,
        notes,
        not_expanded: Vec::new(),
        root: None,
        provider_default_tags: false,
        plan_config: None,
        exports: Vec::new(),
    };

    let is_raw_state = doc.format_version.is_none()
        && doc.version.is_some()
        && (doc.resources.is_some() || doc.modules.is_some());
    let is_plan = doc.planned_values.is_some()
        || doc.resource_changes.is_some()
        || doc.configuration.is_some()
        || doc.prior_state.is_some();

    if is_raw_state {
        info.kind = InputKind::RawState;
        return load_raw_state(doc, info, text);
    }
    if let Some(fv) = &doc.format_version {
        check_format_version(fv)?;
    }
    if is_plan {
        return load_plan(doc, info, text, pages);
    }
    if doc.values.is_some() || doc.format_version.is_some() {
        // `terraform show -json` of an empty state prints only `{"format_version":"1.0"}`.
        info.kind = InputKind::State;
        let mut model = Model::default();
        if let Some(values) = &doc.values {
            load_show_values(values, 0, &mut model, "values", text)?;
        }
        model.inputs.push(info);
        return Ok(model);
    }
    if doc.plandata.is_some() {
        bail!(
            "not a Terraform plan or state: this is a terravision `tfdata` file; the plan it \
             wraps is under its `plandata` key (extract it, e.g. `jq .plandata FILE > plan.json`)"
        );
    }
    bail!(
        "not a Terraform plan or state: expected the top-level keys of `terraform show -json` \
         output (`planned_values`, `resource_changes` for a plan; `values` for a state) or of a \
         raw state file (`version`, `resources`)"
    )
}

/// The general path of the top-level parse ([`super::skim`] is the fast one): serde_json's
/// deserializer, with the nesting of the whole text from `start` checked beside it (the parse
/// cannot go deep on its own: serde_json's recursion limit; skipped values are crossed without
/// recursion). Of two errors the nesting's is reported, as if it had been checked first. The
/// document and the offset of its end in `text[start..]`.
pub(super) fn parse_document(
    text: &str,
    start: usize,
    skipped: usize,
) -> Result<(Document<'_>, usize)> {
    let body = &text[start..];
    let parse = || {
        let mut stream = serde_json::Deserializer::from_str(body).into_iter::<Document>();
        let doc = stream.next();
        (doc, stream.byte_offset())
    };
    let ((doc, end), nesting) = if body.len() >= PARALLEL_CHECK_AT_LEAST {
        std::thread::scope(|scope| {
            let nesting = scope.spawn(|| decode::check_nesting(text, start));
            let parsed = parse();
            match nesting.join() {
                Ok(nesting) => (parsed, nesting),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    } else {
        let nesting = decode::check_nesting(text, start);
        (parse(), nesting)
    };
    nesting?;
    match doc {
        Some(Ok(doc)) => Ok((doc, end)),
        Some(Err(e)) => Err(json_error(&e, skipped)),
        None => bail!("no JSON document found"),
    }
}

/// From this size on, the nesting is checked on a thread of its own beside the parse.
const PARALLEL_CHECK_AT_LEAST: usize = 1 << 20;

/// Formats a serde_json error with the position in the whole file.
fn json_error(e: &serde_json::Error, skipped_lines: usize) -> anyhow::Error {
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    if e.line() == 0 {
        return anyhow!("invalid JSON: {msg}");
    }
    let what = match e.classify() {
        serde_json::error::Category::Eof => "the JSON ends too early (truncated file?)",
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Data => "unexpected JSON content",
        serde_json::error::Category::Io => "read error",
    };
    anyhow!(
        "line {}, column {}: {what}: {msg}",
        e.line() + skipped_lines,
        e.column()
    )
}

fn check_format_version(fv: &str) -> Result<()> {
    let major = fv.split('.').next().unwrap_or("");
    match major {
        "0" | "1" => Ok(()),
        _ => bail!(
            "format_version {fv:?} is not supported: pullpath reads `terraform show -json` format \
             versions 0.x and 1.x (Terraform 0.12 to 1.x, OpenTofu)"
        ),
    }
}

/// Where in the document an instance was found, for messages.
#[derive(Clone, Copy)]
enum Where {
    /// `planned_values` (the root module or a child module).
    Planned,
    /// `resource_changes[i]`.
    Change(usize),
    /// `prior_state` (a data source only there).
    Prior,
}

impl std::fmt::Display for Where {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Where::Planned => f.write_str("planned_values: a resource's address"),
            Where::Change(i) => write!(f, "resource_changes[{i}].address"),
            Where::Prior => f.write_str("prior_state: a resource's address"),
        }
    }
}

/// One resource instance as found in the document, before decoding.
struct Found<'a> {
    address: JsonStr<'a>,
    values: Option<Raw<'a>>,
    unknown: Option<Raw<'a>>,
    at: Where,
}

impl<'a> Found<'a> {
    fn new(
        address: JsonStr<'a>,
        values: Option<Raw<'a>>,
        unknown: Option<Raw<'a>>,
        at: Where,
    ) -> Self {
        Found {
            address,
            values,
            unknown,
            at,
        }
    }
}

/// A [`Found`] instance that will be read, its address decoded.
struct Entry<'a> {
    address: Cow<'a, str>,
    values: Option<Raw<'a>>,
    unknown: Option<Raw<'a>>,
    at: Where,
}

fn load_plan(
    mut doc: Document<'_>,
    mut info: InputInfo,
    text: &str,
    pages: Pages<'_>,
) -> Result<Model> {
    // Gather every instance: planned_values first, then resource_changes (which carry
    // after_unknown and deletions) on top, then data sources only in prior_state. Addresses
    // are compared as the document spells them; each is decoded once.
    let mut order: Vec<Found<'_>> = Vec::new();
    let mut seen: FastMap<&str, usize> =
        crate::hash::map_with_capacity(doc.resource_changes.as_ref().map_or(0, Vec::len));
    let mut removed = Vec::new();
    let mut is_removed: Vec<bool> = Vec::new();
    if let Some(root) = doc
        .planned_values
        .as_ref()
        .and_then(|v| v.root_module.as_ref())
    {
        walk_module(root, &mut |r| {
            if r.deposed_key.is_some() {
                return;
            }
            seen.insert(r.address.raw(), order.len());
            order.push(Found::new(r.address, r.values, None, Where::Planned));
        });
    }
    for (i, rc) in doc.resource_changes.iter().flatten().enumerate() {
        if rc.deposed.is_some() {
            continue;
        }
        if rc.address.is_empty() {
            bail!(
                "resource_changes[{i}].address: expected a resource address, found an empty string"
            );
        }
        let entry = match rc.change.actions {
            Actions::Delete => {
                // Not decoded below, but shown in the report ("this plan removes"): checked here.
                crate::model::address::validate(&rc.address.text())
                    .map_err(|e| anyhow!("resource_changes[{i}].address: {e}"))?;
                removed.push(Removed {
                    input: 0,
                    address: rc.address.text().into_owned(),
                    rtype: rc.rtype.as_deref().unwrap_or("").to_string(),
                });
                let at = match seen.get(rc.address.raw()) {
                    Some(&j) => j,
                    None => {
                        seen.insert(rc.address.raw(), order.len());
                        order.push(Found::new(rc.address, None, None, Where::Change(i)));
                        order.len() - 1
                    }
                };
                order[at].values = None;
                is_removed.resize(order.len(), false);
                is_removed[at] = true;
                continue;
            }
            // `removed { lifecycle { destroy = false } }`: Terraform forgets the object but
            // it goes on existing.
            Actions::Forget => Found::new(rc.address, rc.change.before, None, Where::Change(i)),
            Actions::Other => Found::new(
                rc.address,
                rc.change.after,
                rc.change.after_unknown,
                Where::Change(i),
            ),
        };
        match seen.get(rc.address.raw()) {
            Some(&j) => order[j] = entry,
            None => {
                seen.insert(rc.address.raw(), order.len());
                order.push(entry);
            }
        }
    }
    if let Some(root) = doc.prior_root() {
        walk_module(root, &mut |r| {
            if r.mode.as_deref() == Some("data") && !seen.contains_key(r.address.raw()) {
                seen.insert(r.address.raw(), order.len());
                order.push(Found::new(r.address, r.values, None, Where::Prior));
            }
        });
    }
    drop(seen);
    // What was gathered points into the text, not into these lists: free them before the
    // model is built (for a large plan they are megabytes).
    doc.planned_values = None;
    doc.resource_changes = None;
    is_removed.resize(order.len(), false);
    let order: Vec<Entry<'_>> = order
        .into_iter()
        .map(|f| Entry {
            address: f.address.text(),
            values: f.values,
            unknown: f.unknown,
            at: f.at,
        })
        .collect();

    let mut parsed: Vec<Option<Address>> = Vec::with_capacity(order.len());
    let mut modules = SharedParts::default();
    for (e, &gone) in order.iter().zip(&is_removed) {
        if gone {
            parsed.push(None);
            continue;
        }
        let addr = modules
            .validate(&e.address)
            .map_err(|err| anyhow!("{}: {err}", e.at))?;
        parsed.push(Some(addr));
    }
    // The addresses hold what they share; the table of it is not needed past this point.
    drop(modules);
    crate::timings::mark("instances gathered, addresses parsed");
    if pages.is_mapped() {
        give_back_unread(pages, &doc, &order, &parsed);
        crate::timings::mark("pages not read again given back");
    }

    let config: Configuration<'_> = match doc.configuration {
        Some(raw) => match super::skim::configuration(raw.get()) {
            Some(config) => config,
            None => serde_json::from_str(raw.get())
                .map_err(|e| anyhow!("configuration: {}", nested(text, raw.get(), &e)))
                .context("reading the plan's `configuration` section")?,
        },
        None => Configuration::default(),
    };
    // A mapped plan's `configuration` pages are given back once its few strings the resolver
    // keeps are copied out of them (see `Configuration::into_owned`).
    let config = match doc.configuration.and_then(|raw| pages.range_of(raw.get())) {
        Some(range) => {
            let owned = config.into_owned();
            pages.release(range);
            owned
        }
        None => config,
    };
    crate::timings::mark("configuration parsed");
    let variables: HashMap<String, serde_json::Value> = doc
        .variables
        .iter()
        .flatten()
        .filter_map(|(k, v)| {
            let raw = v.value?;
            Some((k.to_string(), serde_json::from_str(raw.get()).ok()?))
        })
        .collect();
    if doc.configuration.is_some() {
        let root = &config.root_module;
        info.plan_config = Some(std::sync::Arc::new(super::source::PlanConfig {
            resources: root
                .resources
                .iter()
                .map(|r| r.address.to_string())
                .collect(),
            calls: root
                .module_calls
                .iter()
                .map(|(k, c)| (k.to_string(), c.source.as_deref().map(str::to_string)))
                .collect(),
            variables: variables
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }));
    }

    let resolver = Resolver::new(
        &config,
        order
            .iter()
            .zip(parsed.iter())
            .filter_map(|(e, a)| Some((a.as_ref()?, e.address.as_ref()))),
    );
    let regions = ProviderRegions::new(&config, &variables);
    let default_region = regions.region_of("aws");
    info.region = default_region.as_deref().map(str::to_string);
    info.allowed_accounts = provider_accounts(&config, &variables);

    let mut model = Model::default();
    // Decoding is independent per resource: large plans are decoded on several threads, and
    // the results are added in the plan's order (the model and the reports stay deterministic).
    // Only the instances of types pullpath reads are decoded (the others count as skipped):
    // each with its place among them and its address, which moves into its resource. The
    // vector is sized first: for a large plan it is the largest but one while decoding.
    let read = |a: &Address| is_read(a.data, &a.rtype);
    let addressed = parsed.iter().flatten().count();
    let mut work: Vec<(usize, &Entry<'_>, Address)> =
        Vec::with_capacity(parsed.iter().flatten().filter(|a| read(a)).count());
    for (e, a) in order.iter().zip(parsed) {
        if let Some(a) = a.filter(read) {
            work.push((work.len(), e, a));
        }
    }
    let behind = Behind::new(pages, work.iter().map(|(_, e, _)| *e));
    let decode_one = |(i, e, addr): (usize, &Entry<'_>, Address)| -> Result<Resource> {
        behind.done(i);
        let kept = kept_attributes(addr.data, &addr.rtype);
        let unknown: Option<overlay::Unk<'_>> = match e.unknown {
            Some(raw) => {
                let u = overlay::Unk::parse_kept(raw.get(), kept).map_err(|err| {
                    anyhow!(
                        "{}: after_unknown: {}",
                        e.address,
                        nested(text, raw.get(), &err)
                    )
                })?;
                if !u.is_valid() {
                    if let Some(err) = u.invalid(&mut format!("{}.after_unknown", e.address)) {
                        bail!(err);
                    }
                }
                Some(u)
            }
            None => None,
        };
        let ctx = resolver.context(&addr);
        let mut resolve = |p: &[crate::model::value::Key]| {
            resolver
                .resolve_in(&ctx, p)
                .into_value(crate::model::value::AFTER_APPLY_REASON)
        };
        let values = match e.values {
            Some(raw) => overlay::decode(raw.get(), unknown.as_ref(), kept, &mut resolve)
                .map_err(|err| anyhow!("{}: {}", e.address, nested(text, raw.get(), &err)))?,
            None => match &unknown {
                Some(u) => overlay::only_unknown(u, kept, &mut Vec::new(), &mut resolve),
                None => Value::Null,
            },
        };
        let values = attributes_object(values, &e.address)?;
        let region = ctx
            .provider_key()
            .and_then(|k| regions.region_of(k))
            .or_else(|| default_region.clone());
        Ok(Resource {
            input: 0,
            address: e.address.to_string(),
            addr,
            values,
            region,
            source: None,
        })
    };
    crate::timings::mark("resolver indexes built");
    let mut decoded = crate::parallel::map(work, 4096, &decode_one);
    crate::timings::mark("attributes decoded, references resolved");
    // The first error in plan order; else the resources, collected in place (no second vector).
    if let Some(i) = decoded.iter().position(Result::is_err) {
        decoded.swap_remove(i)?;
    }
    let resources: Vec<Resource> = decoded.into_iter().filter_map(Result::ok).collect();
    model.skipped += addressed - resources.len();
    model.push_all(0, resources);
    model.removed = removed;

    // The state before this plan, for "introduced by this plan".
    let mut prior = Model::default();
    if let Some(values) = doc.prior_state.as_ref().and_then(|p| p.values.as_ref()) {
        load_show_values(values, 0, &mut prior, "prior_state.values", text)?;
    }
    let mut prior_info = info.clone();
    prior_info.notes.clear();
    prior.inputs.push(prior_info);
    model.prior = Some(Box::new(prior));
    model.inputs.push(info);
    // Freed here, not as the function returns, so that `PULLPATH_TIMINGS` shows what it costs
    // (the text is freed by the caller).
    drop(resolver);
    drop(regions);
    drop(order);
    drop(config);
    drop(variables);
    drop(doc);
    crate::timings::mark("configuration, indexes and instance list freed");
    Ok(model)
}

/// Gives back the pages of a mapped plan that hold nothing read again once the instances are
/// gathered: `planned_values` where `resource_changes` has the instance, `resource_drift`,
/// the values of resources of types pullpath does not read, `before` values. Kept: every
/// address, the text of every instance still to decode, `prior_state`, the `configuration`
/// (read next, then given back).
fn give_back_unread(
    pages: Pages<'_>,
    doc: &Document<'_>,
    order: &[Entry<'_>],
    parsed: &[Option<Address>],
) {
    let mut keep = Vec::new();
    let mut add = |s: &str| keep.extend(pages.range_of(s));
    for (e, a) in order.iter().zip(parsed) {
        let Some(a) = a else { continue };
        // Every address: the resolver indexes them all and copies them into the references
        // it resolves (a reference to a resource of a type pullpath does not read resolves).
        add(&e.address);
        if is_read(a.data, &a.rtype) {
            e.values
                .into_iter()
                .chain(e.unknown)
                .for_each(|v| add(v.get()));
        }
    }
    if let Some(c) = doc.configuration {
        add(c.get());
    }
    if let Some(root) = doc.prior_root() {
        walk_module(root, &mut |r| {
            add(r.address.raw());
            [&r.mode, &r.rtype, &r.deposed_key]
                .into_iter()
                .flatten()
                .for_each(|c| add(c));
            if let Some(v) = r.values {
                add(v.get());
            }
        });
    }
    pages.release_outside(keep);
}

/// Gives back the pages of a mapped plan behind the decoding: every [`Behind::EVERY`] instances,
/// the text of the instances just decoded, up to the first text an instance still to decode
/// needs. Instances are decoded in order on each thread (see [`crate::parallel::map`]); one
/// taken out of order, or by the other thread, is at worst read again from the file.
struct Behind<'a> {
    pages: Pages<'a>,
    /// Per instance, where its text starts and ends in the file (`usize::MAX..0` for none).
    spans: Vec<(usize, usize)>,
    /// Per instance, the first start of it and of every instance after it.
    first_after: Vec<usize>,
}

impl<'a> Behind<'a> {
    const EVERY: usize = 64;

    fn new<'e, 't: 'e>(pages: Pages<'a>, entries: impl Iterator<Item = &'e Entry<'t>>) -> Self {
        if !pages.is_mapped() {
            return Behind::of_spans(pages, Vec::new());
        }
        let spans: Vec<(usize, usize)> = entries
            .map(|e| {
                let parts = [
                    Some(&*e.address),
                    e.values.map(Raw::get),
                    e.unknown.map(Raw::get),
                ];
                parts
                    .into_iter()
                    .flatten()
                    .filter_map(|s| pages.range_of(s))
                    .fold((usize::MAX, 0), |(lo, hi), r| {
                        (lo.min(r.start), hi.max(r.end))
                    })
            })
            .collect();
        Behind::of_spans(pages, spans)
    }

    fn of_spans(pages: Pages<'a>, spans: Vec<(usize, usize)>) -> Self {
        let mut first_after = vec![usize::MAX; spans.len() + 1];
        for i in (0..spans.len()).rev() {
            first_after[i] = first_after[i + 1].min(spans[i].0);
        }
        Behind {
            pages,
            spans,
            first_after,
        }
    }

    /// Called as instance `i` is taken: gives back [`Behind::range`].
    fn done(&self, i: usize) {
        if let Some(r) = self.range(i) {
            self.pages.release(r);
        }
    }

    /// What is given back as instance `i` is taken: every [`Behind::EVERY`] instances, the text
    /// of the last ones before `i` (twice as many: the call before could not give back the
    /// pages shared with what came after), never past the first text that `i` or an instance
    /// after it needs.
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        if self.spans.is_empty() || i == 0 || !i.is_multiple_of(Self::EVERY) {
            return None;
        }
        let done = &self.spans[i.saturating_sub(2 * Self::EVERY)..i];
        let lo = done.iter().map(|s| s.0).min()?;
        let hi = done.iter().map(|s| s.1).max()?.min(self.first_after[i]);
        (lo < hi).then_some(lo..hi)
    }
}

/// Loads the resources of a show-json state (`values`): every value is known.
fn load_show_values(
    values: &StateValues<'_>,
    input: usize,
    model: &mut Model,
    what: &str,
    text: &str,
) -> Result<()> {
    let Some(root) = values.root_module.as_ref() else {
        return Ok(());
    };
    let mut err = None;
    let mut modules = SharedParts::default();
    walk_module(root, &mut |r| {
        if err.is_some() || r.deposed_key.is_some() {
            return;
        }
        let address = r.address.text();
        let addr = match modules.validate(&address) {
            Ok(a) => a,
            Err(e) => {
                err = Some(anyhow!("{what}: a resource's address: {e}"));
                return;
            }
        };
        if !is_read(addr.data, &addr.rtype) {
            model.skipped += 1;
            return;
        }
        let values = match r.values {
            Some(raw) => match overlay::decode(
                raw.get(),
                None,
                kept_attributes(addr.data, &addr.rtype),
                &mut |_| Value::Null,
            ) {
                Ok(v) => v,
                Err(e) => {
                    err = Some(anyhow!(
                        "{what}: {}: {}",
                        address,
                        nested(text, raw.get(), &e)
                    ));
                    return;
                }
            },
            None => Value::Object(crate::model::value::Map::new()),
        };
        let values = match attributes_object(values, &address) {
            Ok(v) => v,
            Err(e) => {
                err = Some(anyhow!("{what}: {e}"));
                return;
            }
        };
        model.push(Resource {
            input,
            address: address.into_owned(),
            addr,
            values,
            region: None,
            source: None,
        });
    });
    match err {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn walk_module<'m, 'a>(m: &'m Module<'a>, f: &mut dyn FnMut(&'m super::tfjson::StateResource<'a>)) {
    for r in &m.resources {
        f(r);
    }
    for c in &m.child_modules {
        walk_module(c, f);
    }
}

/// The accounts the `aws` provider configurations restrict the input to: the union of their
/// `allowed_account_ids` (a constant, or a root variable the plan records), sorted; `None` when
/// one configuration does not say.
fn provider_accounts(
    config: &Configuration,
    variables: &HashMap<String, serde_json::Value>,
) -> Option<Vec<String>> {
    let mut accounts: Vec<String> = Vec::new();
    let mut any = false;
    let mut shared = crate::aws::AccountSettings::default();
    for p in config.provider_config.values() {
        if p.name.as_deref().unwrap_or("aws") != "aws" {
            continue;
        }
        any = true;
        let own = crate::aws::CREDENTIAL_SETTINGS
            .iter()
            .any(|k| p.expressions.contains_key(*k));
        let Some(e) = shared.pinned(p.expressions.get("allowed_account_ids"), own)? else {
            continue;
        };
        let list = match e.get("constant_value") {
            Some(c) => c.clone(),
            None => {
                let refs = e.get("references")?.as_array()?;
                if p.module_address.as_deref().is_some_and(|m| !m.is_empty()) {
                    return None;
                }
                let name = refs
                    .iter()
                    .filter_map(|r| r.as_str())
                    .find_map(|r| r.strip_prefix("var."))?;
                variables.get(name)?.clone()
            }
        };
        for id in list.as_array()? {
            accounts.push(id.as_str()?.to_string());
        }
    }
    shared.settled()?;
    accounts.sort();
    accounts.dedup();
    (any && !accounts.is_empty()).then_some(accounts)
}

/// The region of each provider configuration (`aws`, `aws.west`, `module.x:aws`).
struct ProviderRegions {
    regions: HashMap<String, Option<Arc<str>>>,
}

impl ProviderRegions {
    fn new(config: &Configuration<'_>, variables: &HashMap<String, serde_json::Value>) -> Self {
        let mut regions = HashMap::new();
        for (key, p) in &config.provider_config {
            let expr = p.expressions.get("region");
            let region = expr.and_then(|e| {
                if let Some(c) = e.get("constant_value").and_then(|c| c.as_str()) {
                    return Some(Arc::from(c));
                }
                // `region = var.region` at the root: the plan records the variable's value.
                let refs = e.get("references")?.as_array()?;
                refs.iter().filter_map(|r| r.as_str()).find_map(|r| {
                    let name = r.strip_prefix("var.")?;
                    if p.module_address.as_deref().is_some_and(|m| !m.is_empty()) {
                        return None;
                    }
                    variables.get(name)?.as_str().map(Arc::from)
                })
            });
            regions.insert(key.clone(), region);
        }
        ProviderRegions { regions }
    }

    /// Shared: the resources of one provider configuration hold the same text.
    fn region_of(&self, key: &str) -> Option<Arc<str>> {
        self.regions.get(key).cloned().flatten()
    }
}

/// A serde_json error inside a part of the document decoded on its own (`raw`, a slice of
/// `text`), with the line and column in the whole file.
fn nested(text: &str, raw: &str, e: &serde_json::Error) -> String {
    let msg = strip_position(e);
    let base = (raw.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    if e.line() == 0 || base > text.len() {
        return msg;
    }
    // The error's position within `raw`, as a byte offset.
    let mut offset = 0;
    for (n, line) in raw.split_inclusive('\n').enumerate() {
        if n + 1 == e.line() {
            offset += line
                .char_indices()
                .nth(e.column().saturating_sub(1))
                .map_or(line.len(), |(i, _)| i);
            break;
        }
        offset += line.len();
    }
    let (line, column) = crate::model::line_index::locate_once(text, base + offset);
    format!("line {line}, column {column}: {msg}")
}

/// Attributes must be a JSON object (or null, for a resource without attributes).
fn attributes_object(v: Value, what: &str) -> Result<Value> {
    match v {
        Value::Null => Ok(Value::Object(crate::model::value::Map::new())),
        v @ Value::Object(_) => Ok(v),
        other => bail!(
            "{what}: expected an object of attributes, found {}",
            match other {
                Value::List(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "another value",
            }
        ),
    }
}

fn strip_position(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

// ---- raw state files ----

fn load_raw_state(doc: Document<'_>, mut info: InputInfo, text: &str) -> Result<Model> {
    let version = doc.version.as_ref().and_then(|v| v.as_u64());
    info.format_version = version.map(|v| v.to_string());
    match version {
        Some(4) => {}
        Some(v @ 1..=3) => bail!(
            "raw state version {v} (written by Terraform 0.11 or earlier) is not supported: \
             convert it with a current Terraform, which upgrades old state when it reads it: \
             `terraform show -json terraform.tfstate > state.json`, then check state.json"
        ),
        Some(v) => bail!("raw state version {v} is not supported: pullpath reads state version 4 (Terraform 0.12 and later, OpenTofu)"),
        None => bail!("version: expected the state format version as a number"),
    }
    let resources: Vec<RawStateResource<'_>> = match doc.resources {
        Some(raw) => serde_json::from_str(raw.get())
            .map_err(|e| anyhow!("resources: {}", nested(text, raw.get(), &e)))?,
        None => Vec::new(),
    };
    let mut model = Model::default();
    let mut modules = SharedParts::default();
    for (i, r) in resources.iter().enumerate() {
        let data = r.mode.as_deref() == Some("data");
        let base = {
            let rel = if data {
                format!("data.{}.{}", r.rtype, r.name)
            } else {
                format!("{}.{}", r.rtype, r.name)
            };
            match r.module.as_deref() {
                Some(m) if !m.is_empty() => format!("{m}.{rel}"),
                _ => rel,
            }
        };
        for (j, inst) in r.instances.iter().enumerate() {
            if inst.deposed.is_some() {
                continue;
            }
            let key = inst.index_key.as_ref().and_then(InstanceKey::from_json);
            let address = match &key {
                Some(k) => format!("{base}{k}"),
                None => base.clone(),
            };
            let addr = modules
                .validate(&address)
                .map_err(|e| anyhow!("resources[{i}].instances[{j}]: {e}"))?;
            if !is_read(data, &r.rtype) {
                model.skipped += 1;
                continue;
            }
            let values = if let Some(raw) = inst.attributes {
                overlay::decode(
                    raw.get(),
                    None,
                    kept_attributes(data, &r.rtype),
                    &mut |_| Value::Null,
                )
                .map_err(|e| {
                    anyhow!(
                        "resources[{i}].instances[{j}].attributes: {}",
                        nested(text, raw.get(), &e)
                    )
                })?
            } else if let Some(flat) = &inst.attributes_flat {
                unflatten(flat)
            } else {
                Value::Object(crate::model::value::Map::new())
            };
            let values =
                attributes_object(values, &format!("resources[{i}].instances[{j}].attributes"))?;
            model.push(Resource {
                input: 0,
                address,
                addr,
                values,
                region: None,
                source: None,
            });
        }
    }
    model.inputs.push(info);
    Ok(model)
}

/// Rebuilds nested values from the flat-map attributes of state upgraded from Terraform 0.11
/// (`"network_configuration.0.subnets.#": "2"`). All scalars stay strings, as they were stored.
pub fn unflatten(flat: &BTreeMap<String, String>) -> Value {
    #[derive(Default)]
    struct Node {
        leaf: Option<String>,
        children: BTreeMap<String, Node>,
    }
    let mut root = Node::default();
    for (k, v) in flat {
        let mut cur = &mut root;
        for part in k.split('.') {
            cur = cur.children.entry(part.to_string()).or_default();
        }
        cur.leaf = Some(v.clone());
    }
    fn convert(n: Node) -> Value {
        if n.children.is_empty() {
            return n.leaf.map(Value::String).unwrap_or(Value::Null);
        }
        if n.children.contains_key("#") {
            let mut items: Vec<(String, Node)> =
                n.children.into_iter().filter(|(k, _)| k != "#").collect();
            items.sort_by(|a, b| match (a.0.parse::<u64>(), b.0.parse::<u64>()) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                _ => a.0.cmp(&b.0),
            });
            return Value::List(items.into_iter().map(|(_, c)| convert(c)).collect());
        }
        Value::Object(
            n.children
                .into_iter()
                .filter(|(k, _)| k != "%")
                .map(|(k, c)| (k, convert(c)))
                .collect(),
        )
    }
    convert(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spans as a plan gives them: mostly one after the other, some out of order (an instance
    /// of `planned_values` overridden later), some without text in the file.
    fn spans(n: usize, seed: u64) -> Vec<(usize, usize)> {
        let mut x = seed;
        let mut next = move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as usize
        };
        let mut at = 0;
        (0..n)
            .map(|_| {
                at += next() % 300;
                let len = 1 + next() % 3000;
                match next() % 20 {
                    0 => (usize::MAX, 0),
                    1 => {
                        let back = next() % (at + 1);
                        (back, back + len)
                    }
                    _ => {
                        at += len;
                        (at - len, at)
                    }
                }
            })
            .collect()
    }

    #[test]
    fn pages_are_never_given_back_before_an_instance_still_to_decode_reads_them() {
        for seed in 0..50 {
            let spans = spans(1000, seed);
            let behind = Behind::of_spans(Pages::NONE, spans.clone());
            for i in 0..spans.len() {
                let Some(r) = behind.range(i) else { continue };
                for (j, s) in spans.iter().enumerate().skip(i) {
                    assert!(
                        s.0 >= r.end || s.1 <= r.start,
                        "seed {seed}: at {i}, {r:?} overlaps instance {j} at {s:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn pages_read_in_order_are_given_back_behind_the_reader() {
        let spans: Vec<(usize, usize)> = (0..1000).map(|i| (i * 1000, i * 1000 + 900)).collect();
        let behind = Behind::of_spans(Pages::NONE, spans);
        let given: Vec<_> = (0..1000).filter_map(|i| behind.range(i)).collect();
        assert_eq!(given.len(), 1000 / Behind::EVERY);
        // Together they cover all the text before the last one.
        let mut end = 0;
        for r in &given {
            assert!(r.start <= end, "{r:?} leaves a gap after {end}");
            end = end.max(r.end);
        }
        assert_eq!(end, 15 * Behind::EVERY * 1000 - 100);
    }

    #[test]
    fn unflattens_lists_and_maps() {
        let flat: BTreeMap<String, String> = [
            ("id", "sg-1"),
            ("ingress.#", "2"),
            ("ingress.1.from_port", "443"),
            ("ingress.0.from_port", "80"),
            ("tags.%", "1"),
            ("tags.Name", "x"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let v = unflatten(&flat);
        let ingress = v.get("ingress").unwrap().as_list().unwrap();
        assert_eq!(ingress.len(), 2);
        assert_eq!(ingress[0].get("from_port").unwrap().as_f64(), Some(80.0));
        assert_eq!(v.path(&["tags", "Name"]).unwrap().as_str(), Some("x"));
    }

    #[test]
    fn rejects_future_format_versions() {
        let e = load(
            "{\"format_version\":\"2.0\",\"planned_values\":{}}",
            "p.json",
            vec![],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("2.0"), "{e}");
    }
}
