//! Finds the resources an attribute value points at: by id (existing infrastructure, state,
//! several stacks) or by reference (new infrastructure in a plan, HCL).
//!
//! Built once per run: an id index over every resource with a known `id`, and the model's own
//! address index. Each lookup is a hash probe, so joining N references costs O(N).

use crate::hash::FastMap;

use crate::model::{JoinTo, Model, Resource, Value};

/// How deep a chain of attribute references is followed (`aws_subnet.a.vpc_id` -> `aws_vpc.b.id`).
const MAX_HOPS: usize = 8;

pub struct Index<'m> {
    pub model: &'m Model,
    by_id: FastMap<&'m str, Vec<usize>>,
    by_arn: FastMap<&'m str, Vec<usize>>,
    /// Resources by mode (data or not), then type.
    by_type: [FastMap<&'m str, Vec<usize>>; 2],
    /// Data sources joined across roots ([`crate::roots`]) to the one resource they read.
    joined: FastMap<usize, usize>,
    /// `aws_subnets` data sources joined across roots: the subnets they read, or why that is
    /// not decided.
    subnet_sets: FastMap<usize, Result<Vec<usize>, String>>,
}

/// What a value points at, sorted by kind.
#[derive(Debug, Default)]
pub struct Found {
    /// Resources of the wanted types (model indices, canonical: a data source that reads a
    /// resource also in the input is replaced by that resource).
    pub resources: Vec<usize>,
    /// Ids that no resource of the input has.
    pub ids: Vec<String>,
    /// References to other resources' attributes that are not decided (e.g.
    /// `aws_vpc.main.default_route_table_id` before apply), for the caller to interpret.
    pub others: Vec<(usize, Option<String>)>,
    /// Why some part could not be followed.
    pub gaps: Vec<String>,
    /// Known values that are not ids of anything (strings the caller may interpret).
    pub literals: Vec<String>,
}

impl<'m> Index<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut by_id: FastMap<&str, Vec<usize>> = FastMap::default();
        let mut by_arn: FastMap<&str, Vec<usize>> = FastMap::default();
        let mut by_type: [FastMap<&str, Vec<usize>>; 2] = [FastMap::default(), FastMap::default()];
        for (i, r) in model.resources.iter().enumerate() {
            by_type[usize::from(r.is_data())]
                .entry(r.rtype())
                .or_default()
                .push(i);
            if let Some(id) = r.id() {
                by_id.entry(id).or_default().push(i);
            }
            if let Some(arn) = r
                .get("arn")
                .and_then(Value::as_str)
                .filter(|a| !a.is_empty())
            {
                by_arn.entry(arn).or_default().push(i);
            }
        }
        // Managed resources before data sources, each in the input's order: sorted once here,
        // not at each lookup.
        for v in by_id.values_mut().chain(by_arn.values_mut()) {
            v.sort_by_key(|&i| (model.resources[i].is_data(), i));
        }
        let (joined, subnet_sets) = joins(model);
        Index {
            model,
            by_id,
            by_arn,
            by_type,
            joined,
            subnet_sets,
        }
    }

    /// The data sources joined to one resource each, with how (see [`crate::roots`]), in the
    /// order the joins were made.
    pub fn joins(&self) -> impl Iterator<Item = (usize, usize, &'m str)> + '_ {
        self.model.joins.iter().filter_map(|j| {
            let d = self.model.lookup_index(j.data.0, &j.data.1)?;
            Some((d, *self.joined.get(&d)?, j.how.as_str()))
        })
    }

    /// The managed resources (or data sources) of one type, in model order.
    pub fn of_type(&self, data: bool, rtype: &str) -> &[usize] {
        self.by_type[usize::from(data)]
            .get(rtype)
            .map_or(&[], Vec::as_slice)
    }

    pub fn res(&self, i: usize) -> &'m Resource {
        &self.model.resources[i]
    }

    /// Resources with this id (managed ones first).
    pub fn with_id(&self, id: &str) -> &[usize] {
        self.by_id.get(id).map_or(&[], Vec::as_slice)
    }

    pub fn with_arn(&self, arn: &str) -> &[usize] {
        self.by_arn.get(arn).map_or(&[], Vec::as_slice)
    }

    /// The representative of resource `i`: a data source whose id matches a managed resource
    /// accepted by `want` stands for that resource.
    /// A data source joined across roots stands for what it reads.
    pub fn canonical(&self, i: usize, want: &dyn Fn(&Resource) -> bool) -> usize {
        let r = &self.model.resources[i];
        if !r.is_data() {
            return i;
        }
        if let Some(&t) = self.joined.get(&i) {
            if want(&self.model.resources[t]) {
                return t;
            }
        }
        if let Some(id) = r.id() {
            if let Some(&m) = self
                .with_id(id)
                .iter()
                .find(|&&j| !self.model.resources[j].is_data() && want(&self.model.resources[j]))
            {
                return m;
            }
        }
        // `data "aws_vpc_endpoint" "x" { id = aws_vpc_endpoint.x.id }`: a data source that
        // reads back a resource of the input by reference (cloudposse's vpc-endpoints module
        // does so for every endpoint it creates) is that resource.
        if let Some(v @ Value::Ref(_)) = r.get("id") {
            let f = self.find(r.input, v, want);
            if let ([m], true, true) = (
                f.resources.as_slice(),
                f.ids.is_empty() && f.gaps.is_empty(),
                f.others.is_empty() && f.literals.is_empty(),
            ) {
                if !self.model.resources[*m].is_data() {
                    return *m;
                }
            }
        }
        i
    }

    /// Finds what `v` (an attribute of a resource in input `input`) points at, keeping the
    /// resources accepted by `want`.
    pub fn find(&self, input: usize, v: &Value, want: &dyn Fn(&Resource) -> bool) -> Found {
        let mut found = Found::default();
        self.walk(input, v, want, &mut found, 0);
        found.resources.sort_unstable();
        found.resources.dedup();
        found.ids.sort();
        found.ids.dedup();
        found.others.sort();
        found.others.dedup();
        found
    }

    fn walk(
        &self,
        input: usize,
        v: &Value,
        want: &dyn Fn(&Resource) -> bool,
        found: &mut Found,
        hops: usize,
    ) {
        match v {
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            Value::String(s) => self.by_string(s, want, found),
            Value::Bool(_) | Value::Number(_) | Value::Object(_) => {
                if let Some(t) = v.as_text() {
                    found.literals.push(t);
                }
            }
            Value::List(items) => {
                for item in items {
                    self.walk(input, item, want, found, hops);
                }
            }
            Value::Unknown(u) => {
                if !u.not_configured {
                    found.gaps.push(u.reason.to_string());
                }
            }
            Value::Ref(r) => {
                if !r.complete {
                    found.gaps.push(
                        r.note
                            .clone()
                            .unwrap_or_else(|| "a reference could not be followed".to_string()),
                    );
                }
                for t in &r.targets {
                    let Some(i) = self.model.lookup_index(input, &t.address) else {
                        found.gaps.push(format!(
                            "refers to {}, whose type pullpath does not read or which is not in the input",
                            t.address
                        ));
                        continue;
                    };
                    self.by_resource(i, t.attr.as_deref(), want, found, hops);
                }
            }
        }
    }

    fn by_string(&self, s: &str, want: &dyn Fn(&Resource) -> bool, found: &mut Found) {
        let hit = self
            .with_id(s)
            .iter()
            .chain(self.with_arn(s))
            .copied()
            .find(|&i| want(&self.model.resources[i]));
        match hit {
            Some(i) => found.resources.push(self.canonical(i, want)),
            None if looks_like_id(s) => found.ids.push(s.to_string()),
            None => found.literals.push(s.to_string()),
        }
    }

    fn by_resource(
        &self,
        i: usize,
        attr: Option<&str>,
        want: &dyn Fn(&Resource) -> bool,
        found: &mut Found,
        hops: usize,
    ) {
        let r = &self.model.resources[i];
        let identity = matches!(attr, None | Some("id" | "arn" | "name"));
        if want(r) && identity {
            found.resources.push(self.canonical(i, want));
            return;
        }
        // A data source joined across roots: its attributes are those of what it reads.
        if let Some(&t) = self.joined.get(&i) {
            if hops < MAX_HOPS {
                self.by_resource(t, attr, want, found, hops + 1);
                return;
            }
        }
        if let (Some(set), None | Some("ids")) = (self.subnet_sets.get(&i), attr) {
            match set {
                Ok(subnets) => {
                    for &s in subnets {
                        self.by_resource(s, None, want, found, hops + 1);
                    }
                }
                Err(why) => found.gaps.push(why.clone()),
            }
            return;
        }
        // Follow `aws_subnet.a.vpc_id` to what that attribute holds.
        if let Some(a) = attr {
            if hops < MAX_HOPS {
                if let Some(inner) = r.get(a) {
                    if !matches!(inner, Value::Unknown(_)) {
                        self.walk(r.input, inner, want, found, hops + 1);
                        return;
                    }
                }
            }
        }
        if want(r) {
            found.resources.push(self.canonical(i, want));
            return;
        }
        found.others.push((i, attr.map(str::to_string)));
    }
}

/// The joins of the model ([`crate::roots`]) by resource index: data sources joined to one
/// resource, and `aws_subnets` data sources to their subnets. A join whose resources are not in
/// this model (a world where they do not exist) does not apply.
type Joins = (
    FastMap<usize, usize>,
    FastMap<usize, Result<Vec<usize>, String>>,
);

fn joins(model: &Model) -> Joins {
    let mut joined = FastMap::default();
    let mut subnet_sets = FastMap::default();
    for j in &model.joins {
        let Some(d) = model.lookup_index(j.data.0, &j.data.1) else {
            continue;
        };
        match &j.to {
            JoinTo::One(input, address) => {
                if let Some(t) = model.lookup_index(*input, address) {
                    joined.insert(d, t);
                }
            }
            JoinTo::Set(list) => {
                let set: Option<Vec<usize>> = list
                    .iter()
                    .map(|(input, address)| model.lookup_index(*input, address))
                    .collect();
                if let Some(set) = set {
                    subnet_sets.insert(d, Ok(set));
                }
            }
            JoinTo::Undecided(why) => {
                subnet_sets.insert(d, Err(why.clone()));
            }
        }
    }
    (joined, subnet_sets)
}

/// AWS resource ids have a prefix and a hex suffix: `vpc-0f32…`, `subnet-…`, `sg-…`, `rtb-…`.
pub fn looks_like_id(s: &str) -> bool {
    match s.split_once('-') {
        Some((prefix, rest)) => {
            !prefix.is_empty()
                && prefix.chars().all(|c| c.is_ascii_lowercase())
                && !rest.is_empty()
                && rest.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
    }
}
