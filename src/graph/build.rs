//! Builds the [`Network`] from the [`Model`].
//!
//! One pass per resource kind, in dependency order (VPCs, subnets, route tables, routes,
//! associations, security groups, rules, endpoints, roles, workloads). Every join goes through
//! the [`Index`] (hash lookups), so the whole build is linear in the number of resources and
//! references.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::index::{Found, Index};
use super::workload;
use super::*;
use crate::model::{Model, Resource, Value};

/// What the command line adds to the input.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// `--region`: the region where the input does not say.
    pub region: Option<String>,
    /// `--workload VPC=PLATFORM` declarations.
    pub declared: Vec<DeclaredWorkload>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DeclaredWorkload {
    /// A VPC address, a VPC id, or `*`.
    pub vpc: String,
    pub platform: Platform,
}

/// Builds the graph of every VPC in the model.
pub fn build(model: &Model, opts: &BuildOptions) -> Network {
    let mut b = Builder {
        ix: Index::new(model),
        net: Network::default(),
        opts,
        vpcs: Registry::default(),
        subnets: Registry::default(),
        route_tables: Registry::default(),
        sgs: Registry::default(),
        endpoints: Registry::default(),
        principals: Registry::default(),
        implicit_main: HashMap::new(),
        implicit_default_sg: HashMap::new(),
        vpcs_in_module: HashMap::new(),
        cluster_strategies: HashMap::new(),
        containers: HashMap::new(),
        policies: HashMap::new(),
    };
    b.net.resources_read = model.resource_count();
    b.net.inputs_read = model.inputs.len();
    b.vpcs();
    b.subnets();
    b.route_tables();
    b.routes();
    b.associations();
    b.security_groups();
    b.security_group_rules();
    b.endpoints();
    b.principals();
    workload::workloads(&mut b);
    b.declared();
    b.attach();
    b.regions();
    b.net
}

/// Nodes of one kind, by model resource index and by id.
#[derive(Default)]
pub(super) struct Registry {
    by_res: HashMap<usize, usize>,
    by_id: HashMap<String, usize>,
}

pub(super) struct Builder<'m> {
    pub(super) ix: Index<'m>,
    pub(super) net: Network,
    opts: &'m BuildOptions,
    vpcs: Registry,
    subnets: Registry,
    route_tables: Registry,
    sgs: Registry,
    endpoints: Registry,
    pub(super) principals: Registry,
    implicit_main: HashMap<VpcIdx, RouteTableIdx>,
    implicit_default_sg: HashMap<VpcIdx, SgIdx>,
    /// Each ECS cluster's `aws_ecs_cluster_capacity_providers` (model indices).
    pub(super) cluster_strategies: HashMap<usize, usize>,
    /// The containers of each task and job definition (model index), read beforehand on all
    /// cores: parsing container definitions is most of the cost of finding workloads.
    pub(super) containers: HashMap<usize, (Vec<super::Container>, Option<String>)>,
    /// Each endpoint's policy (model index), read beforehand on all cores.
    policies: HashMap<usize, EndpointPolicy>,
    /// Managed `aws_vpc` resources by (input, module instance), for the "a module with exactly
    /// one VPC owns its subnets" inference when a reference goes through `local.*`.
    vpcs_in_module: HashMap<(usize, String), Vec<usize>>,
}

/// Whether a document holds a marker for a part known only after apply (see
/// `policy::unknown_text`), in a key or a value.
fn has_marker(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => crate::policy::is_unknown(s),
        serde_json::Value::Array(items) => items.iter().any(has_marker),
        serde_json::Value::Object(o) => o
            .iter()
            .any(|(k, x)| crate::policy::is_unknown(k) || has_marker(x)),
        _ => false,
    }
}

pub(super) fn node_of(r: &Resource, i: usize) -> Node {
    Node {
        address: Some(r.address.clone()),
        id: r.id().map(str::to_string),
        input: Some(r.input),
        resource: Some(i),
        location: r.location.clone(),
        data: r.is_data(),
    }
}

pub(super) fn id_node(id: &str) -> Node {
    Node {
        id: Some(id.to_string()),
        ..Node::default()
    }
}

fn is_vpc(r: &Resource) -> bool {
    matches!(r.rtype(), "aws_vpc" | "aws_default_vpc")
}
fn is_subnet(r: &Resource) -> bool {
    matches!(r.rtype(), "aws_subnet" | "aws_default_subnet")
}
fn is_route_table(r: &Resource) -> bool {
    matches!(r.rtype(), "aws_route_table" | "aws_default_route_table")
}
pub(super) fn is_sg(r: &Resource) -> bool {
    matches!(
        r.rtype(),
        "aws_security_group" | "aws_default_security_group"
    )
}
fn is_endpoint(r: &Resource) -> bool {
    r.rtype() == "aws_vpc_endpoint"
}

/// A string attribute: `None` when null, absent or empty.
pub(super) fn text(r: &Resource, key: &str) -> Option<String> {
    r.get(key)
        .and_then(Value::as_text)
        .filter(|s| !s.is_empty())
}

/// A boolean attribute with the provider's default when the configuration leaves it unset.
pub(super) fn flag(r: &Resource, key: &str, default: Option<bool>) -> Fact<bool> {
    match r.get(key) {
        None | Some(Value::Null) => match default {
            Some(d) => Fact::Known(d),
            None => Fact::Unknown(format!("{}.{key} is not in the input", r.address)),
        },
        Some(v) if v.is_not_configured() => match default {
            Some(d) => Fact::Known(d),
            None => Fact::Unknown(format!("{}.{key} is known only after apply", r.address)),
        },
        Some(v) => match v.as_bool() {
            Some(b) => Fact::Known(b),
            None => Fact::Unknown(format!(
                "{}.{key} is not known before apply ({})",
                r.address,
                v.undecided_reason()
                    .unwrap_or_else(|| "not a boolean".to_string())
            )),
        },
    }
}

fn join_reasons(gaps: &[String]) -> String {
    let mut seen = BTreeSet::new();
    gaps.iter()
        .filter(|g| seen.insert(g.as_str()))
        .cloned()
        .collect::<Vec<_>>()
        .join("; ")
}

impl<'m> Builder<'m> {
    pub(super) fn model(&self) -> &'m Model {
        self.ix.model
    }

    // ---- VPCs ----

    fn vpcs(&mut self) {
        let model = self.model();
        for (i, r) in model.resources.iter().enumerate() {
            if !is_vpc(r) || self.vpcs.by_res.contains_key(&i) {
                continue;
            }
            // A data source reading a VPC that the input also manages is that VPC.
            let c = self.ix.canonical(i, &is_vpc);
            if let Some(&v) = self.vpcs.by_res.get(&c) {
                self.vpcs.by_res.insert(i, v);
                continue;
            }
            let v = self.new_vpc(node_of(self.ix.res(c), c));
            self.vpcs.by_res.insert(i, v);
            self.vpcs.by_res.insert(c, v);
            let cr = self.ix.res(c);
            if !cr.is_data() && cr.rtype() == "aws_vpc" {
                self.vpcs_in_module
                    .entry((cr.input, cr.addr.module_instance().to_string()))
                    .or_default()
                    .push(c);
            }
        }
        // Attributes, once every node exists.
        for v in 0..self.net.vpcs.len() {
            let Some(i) = self.net.vpcs[v].node.resource else {
                continue;
            };
            let r = &model.resources[i];
            let default_vpc = r.rtype() == "aws_default_vpc";
            let managed = !r.is_data();
            // Terraform's defaults: dns_support true, dns_hostnames false (true for the
            // default VPC). A data source reports the real values.
            let dns_support = flag(r, "enable_dns_support", managed.then_some(true));
            let dns_hostnames = flag(r, "enable_dns_hostnames", managed.then_some(default_vpc));
            let (cidrs, cidr_unknown) =
                match r.get("cidr_block") {
                    Some(v) => match v.as_str().and_then(Ipv4Net::parse) {
                        Some(n) => (vec![n], None),
                        None => (
                            Vec::new(),
                            Some(v.undecided_reason().unwrap_or_else(|| {
                                "the CIDR block is not a valid IPv4 block".into()
                            })),
                        ),
                    },
                    None => (
                        Vec::new(),
                        Some(format!("{} has no cidr_block in the input", r.address)),
                    ),
                };
            let vpc = &mut self.net.vpcs[v];
            vpc.dns_support = dns_support;
            vpc.dns_hostnames = dns_hostnames;
            vpc.cidrs = cidrs;
            vpc.cidr_unknown = cidr_unknown;
        }
    }

    fn new_vpc(&mut self, node: Node) -> VpcIdx {
        let v = self.net.vpcs.len();
        if let Some(id) = &node.id {
            self.vpcs.by_id.entry(id.clone()).or_insert(v);
        }
        let unknown = |what: &str| {
            Fact::Unknown(format!(
                "the VPC {} is not in the input ({what})",
                node.name()
            ))
        };
        let ext = node.is_external();
        self.net.vpcs.push(Vpc {
            region: Fact::Unknown("not decided yet".into()),
            region_source: String::new(),
            partition: "aws".into(),
            cidrs: Vec::new(),
            cidr_unknown: ext.then(|| format!("the VPC {} is not in the input", node.name())),
            dns_support: if ext {
                unknown("DNS support")
            } else {
                Fact::Known(true)
            },
            dns_hostnames: if ext {
                unknown("DNS hostnames")
            } else {
                Fact::Known(false)
            },
            main_route_table: Fact::Unknown("not decided yet".into()),
            default_security_group: None,
            subnets: Vec::new(),
            route_tables: Vec::new(),
            endpoints: Vec::new(),
            security_groups: Vec::new(),
            workloads: Vec::new(),
            node,
        });
        v
    }

    /// The single VPC a value (`vpc_id`) points at.
    pub(super) fn vpc_of(&mut self, r: &Resource, key: &str) -> Fact<VpcIdx> {
        let Some(v) = r.get(key) else {
            return self.vpc_by_module(r).unwrap_or_else(|| {
                Fact::Unknown(format!("{} has no {key} in the input", r.address))
            });
        };
        let found = self.ix.find(r.input, v, &is_vpc);
        let mut vpcs = BTreeSet::new();
        for &i in &found.resources {
            if let Some(&n) = self.vpcs.by_res.get(&i) {
                vpcs.insert(n);
            }
        }
        for id in &found.ids {
            vpcs.insert(self.vpc_by_id(id));
        }
        if !found.gaps.is_empty() {
            if let Some(f) = self.vpc_by_module(r) {
                return f;
            }
            return Fact::Unknown(format!(
                "{}.{key}: {}",
                r.address,
                join_reasons(&found.gaps)
            ));
        }
        match vpcs.len() {
            1 => Fact::Known(*vpcs.iter().next().unwrap_or(&0)),
            0 => Fact::Unknown(format!(
                "{}.{key} does not name a VPC of the input",
                r.address
            )),
            _ => Fact::Unknown(format!(
                "{}.{key} may be any of {}",
                r.address,
                vpcs.iter()
                    .map(|&v| self.net.vpcs[v].node.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// The inference for references through `local.*`: a module instance that contains
    /// exactly one `aws_vpc` owns its subnets, route tables, groups and endpoints.
    fn vpc_by_module(&self, r: &Resource) -> Option<Fact<VpcIdx>> {
        let list = self
            .vpcs_in_module
            .get(&(r.input, r.addr.module_instance().to_string()))?;
        if list.len() != 1 {
            return None;
        }
        self.vpcs.by_res.get(&list[0]).map(|&v| Fact::Known(v))
    }

    fn vpc_by_id(&mut self, id: &str) -> VpcIdx {
        if let Some(&v) = self.vpcs.by_id.get(id) {
            return v;
        }
        self.new_vpc(id_node(id))
    }

    // ---- subnets ----

    fn subnets(&mut self) {
        let model = self.model();
        for (i, r) in model.resources.iter().enumerate() {
            if is_subnet(r) || (r.is_data() && r.rtype() == "aws_subnet") {
                self.subnet_node(i);
            }
        }
        for s in 0..self.net.subnets.len() {
            let Some(i) = self.net.subnets[s].node.resource else {
                continue;
            };
            let r = &model.resources[i];
            let vpc = if r.rtype() == "aws_default_subnet"
                && r.get("vpc_id").is_none_or(Value::is_undecided)
            {
                self.default_vpc_of(r.input)
            } else {
                self.vpc_of(r, "vpc_id")
            };
            let cidr = match r.get("cidr_block") {
                Some(v) => match v.as_str().and_then(Ipv4Net::parse) {
                    Some(n) => Fact::Known(n),
                    None => Fact::Unknown(v.undecided_reason().unwrap_or_else(|| {
                        format!("{}.cidr_block is not an IPv4 block", r.address)
                    })),
                },
                None => Fact::Unknown(format!("{} has no cidr_block in the input", r.address)),
            };
            let az = match text(r, "availability_zone") {
                Some(az) => Fact::Known(az),
                None => Fact::Unknown(format!(
                    "{}.availability_zone is not known before apply",
                    r.address
                )),
            };
            let default_subnet = r.rtype() == "aws_default_subnet";
            let map_public_ip = flag(
                r,
                "map_public_ip_on_launch",
                (!r.is_data()).then_some(default_subnet),
            );
            let sub = &mut self.net.subnets[s];
            sub.vpc = vpc;
            sub.cidr = cidr;
            sub.az = az;
            sub.map_public_ip = map_public_ip;
        }
    }

    fn default_vpc_of(&mut self, input: usize) -> Fact<VpcIdx> {
        let model = self.model();
        let found: Vec<usize> = self
            .ix
            .of_type(false, "aws_default_vpc")
            .iter()
            .copied()
            .filter(|&i| model.resources[i].input == input)
            .collect();
        match found.as_slice() {
            [one] => self.vpcs.by_res.get(one).map_or_else(
                || Fact::Unknown("the default VPC is not in the input".into()),
                |&v| Fact::Known(v),
            ),
            _ => Fact::Unknown("an aws_default_subnet belongs to the account's default VPC, which is not in the input".into()),
        }
    }

    fn subnet_node(&mut self, i: usize) -> SubnetIdx {
        if let Some(&s) = self.subnets.by_res.get(&i) {
            return s;
        }
        let c = self.ix.canonical(i, &is_subnet);
        if let Some(&s) = self.subnets.by_res.get(&c) {
            self.subnets.by_res.insert(i, s);
            return s;
        }
        let r = self.ix.res(c);
        let s = self.new_subnet(node_of(r, c));
        self.subnets.by_res.insert(c, s);
        self.subnets.by_res.insert(i, s);
        s
    }

    fn new_subnet(&mut self, node: Node) -> SubnetIdx {
        let s = self.net.subnets.len();
        if let Some(id) = &node.id {
            self.subnets.by_id.entry(id.clone()).or_insert(s);
        }
        let why = format!("the subnet {} is not in the input", node.name());
        self.net.subnets.push(Subnet {
            vpc: Fact::Unknown(why.clone()),
            cidr: Fact::Unknown(why.clone()),
            az: Fact::Unknown(why.clone()),
            map_public_ip: Fact::Unknown(why.clone()),
            route_table: Fact::Unknown(why),
            association: None,
            node,
        });
        s
    }

    /// The subnets a value (`subnets`, `subnet_ids`) points at, and why the list may be
    /// incomplete.
    pub(super) fn subnets_of(
        &mut self,
        r: &Resource,
        v: Option<&Value>,
        what: &str,
    ) -> (Vec<SubnetIdx>, Option<String>) {
        let Some(v) = v else {
            return (
                Vec::new(),
                Some(format!("{} has no {what} in the input", r.address)),
            );
        };
        let want = |x: &Resource| is_subnet(x) || (x.is_data() && x.rtype() == "aws_subnet");
        let found = self.ix.find(r.input, v, &want);
        let mut out = BTreeSet::new();
        for &i in &found.resources {
            out.insert(self.subnet_node(i));
        }
        for id in &found.ids {
            let s = match self.subnets.by_id.get(id) {
                Some(&s) => s,
                None => self.new_subnet(id_node(id)),
            };
            out.insert(s);
        }
        let mut gaps = found.gaps.clone();
        for (i, attr) in &found.others {
            gaps.push(format!(
                "{} refers to {}{} for subnets",
                r.address,
                self.ix.res(*i).address,
                attr.as_ref().map(|a| format!(".{a}")).unwrap_or_default()
            ));
        }
        let gap =
            (!gaps.is_empty()).then(|| format!("{}.{what}: {}", r.address, join_reasons(&gaps)));
        (out.into_iter().collect(), gap)
    }

    // ---- route tables ----

    fn route_tables(&mut self) {
        let model = self.model();
        for (i, r) in model.resources.iter().enumerate() {
            if is_route_table(r) || (r.is_data() && r.rtype() == "aws_route_table") {
                self.rt_node(i);
            }
        }
        for t in 0..self.net.route_tables.len() {
            let Some(i) = self.net.route_tables[t].node.resource else {
                continue;
            };
            let r = &model.resources[i];
            let vpc = if r.rtype() == "aws_default_route_table" {
                self.vpc_of_default_table(r)
            } else {
                self.vpc_of(r, "vpc_id")
            };
            let key = if r.is_data() { "routes" } else { "route" };
            let mut routes = Vec::new();
            let mut unknown = None;
            match r.get(key) {
                Some(Value::List(items)) => {
                    for item in items {
                        routes.push(self.route_from(r, i, item, true));
                    }
                }
                None | Some(Value::Null) => {
                    if r.is_data() {
                        unknown = Some(format!("{} does not list its routes", r.address));
                    }
                }
                Some(v) if v.is_not_configured() => {}
                Some(v) => {
                    unknown = Some(format!(
                        "{}.{key} is not known before apply ({})",
                        r.address,
                        v.undecided_reason().unwrap_or_default()
                    ))
                }
            }
            let rt = &mut self.net.route_tables[t];
            rt.vpc = vpc;
            rt.routes = routes;
            rt.routes_unknown = unknown;
            if let (Fact::Known(v), Some(true)) = (
                &rt.vpc,
                (r.rtype() == "aws_default_route_table").then_some(true),
            ) {
                let v = *v;
                if matches!(self.net.vpcs[v].main_route_table, Fact::Unknown(_)) {
                    self.net.vpcs[v].main_route_table = Fact::Known(t);
                }
            }
        }
    }

    /// `aws_default_route_table.default_route_table_id = aws_vpc.x.default_route_table_id`.
    fn vpc_of_default_table(&mut self, r: &Resource) -> Fact<VpcIdx> {
        if let Some(Value::String(_)) = r.get("vpc_id") {
            return self.vpc_of(r, "vpc_id");
        }
        if let Some(v) = r.get("default_route_table_id") {
            let found = self.ix.find(r.input, v, &is_vpc);
            for (i, _) in &found.others {
                if is_vpc(self.ix.res(*i)) {
                    if let Some(&n) = self.vpcs.by_res.get(i) {
                        return Fact::Known(n);
                    }
                }
            }
            if let Some(id) = v.as_str() {
                let model = self.model();
                let vpcs = self.ix.of_type(false, "aws_vpc").iter();
                for &j in vpcs.chain(self.ix.of_type(false, "aws_default_vpc")) {
                    let x = &model.resources[j];
                    if x.get("default_route_table_id").and_then(Value::as_str) == Some(id) {
                        if let Some(&n) = self.vpcs.by_res.get(&j) {
                            return Fact::Known(n);
                        }
                    }
                }
            }
        }
        self.vpc_by_module(r).unwrap_or_else(|| {
            Fact::Unknown(format!("the VPC of {} cannot be determined", r.address))
        })
    }

    fn rt_node(&mut self, i: usize) -> RouteTableIdx {
        if let Some(&t) = self.route_tables.by_res.get(&i) {
            return t;
        }
        let want =
            |x: &Resource| is_route_table(x) || (x.is_data() && x.rtype() == "aws_route_table");
        let c = self.ix.canonical(i, &want);
        if let Some(&t) = self.route_tables.by_res.get(&c) {
            self.route_tables.by_res.insert(i, t);
            return t;
        }
        let r = self.ix.res(c);
        let t = self.new_rt(node_of(r, c), false);
        self.route_tables.by_res.insert(c, t);
        self.route_tables.by_res.insert(i, t);
        t
    }

    fn new_rt(&mut self, node: Node, implicit_main: bool) -> RouteTableIdx {
        let t = self.net.route_tables.len();
        if let Some(id) = &node.id {
            self.route_tables.by_id.entry(id.clone()).or_insert(t);
        }
        let ext = node.is_external() && !implicit_main;
        let why = format!("the route table {} is not in the input", node.name());
        self.net.route_tables.push(RouteTable {
            vpc: Fact::Unknown(why.clone()),
            routes: Vec::new(),
            routes_unknown: ext.then_some(why),
            implicit_main,
            node,
        });
        t
    }

    /// The route tables a value points at; `aws_vpc.x.main_route_table_id` /
    /// `default_route_table_id` before apply means the VPC's main table.
    fn route_tables_of(&mut self, r: &Resource, v: &Value) -> (Vec<RouteTableIdx>, Option<String>) {
        let want =
            |x: &Resource| is_route_table(x) || (x.is_data() && x.rtype() == "aws_route_table");
        let found = self.ix.find(r.input, v, &want);
        let mut out = BTreeSet::new();
        for &i in &found.resources {
            out.insert(self.rt_node(i));
        }
        for id in &found.ids {
            out.insert(self.rt_by_id(id));
        }
        let mut gaps = found.gaps.clone();
        for (i, attr) in &found.others {
            let x = self.ix.res(*i);
            if is_vpc(x)
                && matches!(
                    attr.as_deref(),
                    Some("main_route_table_id" | "default_route_table_id")
                )
            {
                if let Some(&vpc) = self.vpcs.by_res.get(i) {
                    out.insert(self.main_table_of(vpc));
                    continue;
                }
            }
            gaps.push(format!("refers to {} for a route table", x.address));
        }
        let gap = (!gaps.is_empty()).then(|| join_reasons(&gaps));
        (out.into_iter().collect(), gap)
    }

    fn rt_by_id(&mut self, id: &str) -> RouteTableIdx {
        if let Some(&t) = self.route_tables.by_id.get(id) {
            return t;
        }
        self.new_rt(id_node(id), false)
    }

    /// The VPC's main route table, creating the implicit one Terraform does not manage.
    fn main_table_of(&mut self, vpc: VpcIdx) -> RouteTableIdx {
        if let Fact::Known(t) = self.net.vpcs[vpc].main_route_table {
            return t;
        }
        if let Some(&t) = self.implicit_main.get(&vpc) {
            return t;
        }
        let name = format!("{} (main route table)", self.net.vpcs[vpc].node.name());
        let t = self.new_rt(
            Node {
                address: Some(name),
                ..Node::default()
            },
            true,
        );
        self.net.route_tables[t].vpc = Fact::Known(vpc);
        self.implicit_main.insert(vpc, t);
        t
    }

    fn route_from(&mut self, r: &Resource, i: usize, obj: &Value, inline: bool) -> Route {
        let node = node_of(r, i);
        let get = |k: &str| {
            obj.get(k).filter(|v| {
                !matches!(v, Value::Null) && v.as_str() != Some("") && !v.is_not_configured()
            })
        };
        let dest_key = if inline {
            [
                "cidr_block",
                "ipv6_cidr_block",
                "destination_prefix_list_id",
            ]
        } else {
            [
                "destination_cidr_block",
                "destination_ipv6_cidr_block",
                "destination_prefix_list_id",
            ]
        };
        let destination = match dest_key.iter().find_map(|k| get(k)) {
            Some(v) => match v.as_text() {
                Some(s) => Fact::Known(s),
                None => Fact::Unknown(v.undecided_reason().unwrap_or_default()),
            },
            None => Fact::Unknown(format!("{} has no destination", r.address)),
        };
        let target = self.route_target(r, obj);
        Route {
            node,
            destination,
            target,
        }
    }

    fn route_target(&mut self, r: &Resource, obj: &Value) -> RouteTarget {
        let get = |k: &str| {
            obj.get(k).filter(|v| {
                !matches!(v, Value::Null) && v.as_str() != Some("") && !v.is_not_configured()
            })
        };
        let nat = |gw: &Resource, g: usize| {
            let node = node_of(gw, g);
            if gw.get("connectivity_type").and_then(Value::as_str) == Some("private") {
                RouteTarget::PrivateNat(node)
            } else {
                RouteTarget::NatGateway(node)
            }
        };
        if let Some(v) = get("nat_gateway_id") {
            let want = |x: &Resource| x.rtype() == "aws_nat_gateway";
            let found = self.ix.find(r.input, v, &want);
            if let Some(&g) = found.resources.first() {
                return nat(self.ix.res(g), g);
            }
            if let Some(id) = found.ids.first().or(found.literals.first()) {
                return RouteTarget::NatGateway(id_node(id));
            }
            return RouteTarget::Unknown(format!(
                "the NAT gateway of a route in {} cannot be determined: {}",
                r.address,
                join_reasons(&found.gaps)
            ));
        }
        if let Some(v) = get("gateway_id") {
            if v.as_str() == Some("local") {
                return RouteTarget::Local;
            }
            // AWS accepts a NAT gateway's id in `gateway_id` too (the provider's aws_route
            // documentation: "The AWS API is very forgiving with the resource ID passed in the
            // gateway_id attribute"), and routes to it as to any NAT gateway.
            let want = |x: &Resource| {
                matches!(
                    x.rtype(),
                    "aws_internet_gateway"
                        | "aws_vpn_gateway"
                        | "aws_vpc_endpoint"
                        | "aws_nat_gateway"
                )
            };
            let found = self.ix.find(r.input, v, &want);
            if let Some(&g) = found.resources.first() {
                let gw = self.ix.res(g);
                return match gw.rtype() {
                    "aws_internet_gateway" => RouteTarget::InternetGateway(node_of(gw, g)),
                    "aws_nat_gateway" => nat(gw, g),
                    "aws_vpn_gateway" => {
                        RouteTarget::Other(format!("the VPN gateway {}", gw.address))
                    }
                    _ => RouteTarget::Other(format!("the endpoint {}", gw.address)),
                };
            }
            if let Some(id) = found.ids.first().or(found.literals.first()) {
                return match id.split('-').next() {
                    Some("igw") => RouteTarget::InternetGateway(id_node(id)),
                    Some("nat") => RouteTarget::NatGateway(id_node(id)),
                    Some("vgw") => RouteTarget::Other(format!("the VPN gateway {id}")),
                    Some("vpce") => RouteTarget::Other(format!("the endpoint {id}")),
                    _ => RouteTarget::Unknown(format!("gateway {id} is not in the input")),
                };
            }
            return RouteTarget::Unknown(format!(
                "the gateway of a route in {} cannot be determined: {}",
                r.address,
                join_reasons(&found.gaps)
            ));
        }
        // `instance_id` is gone from aws_route in provider 5 but still in older configurations
        // and states.
        for key in ["network_interface_id", "instance_id"] {
            if let Some(v) = get(key) {
                // A NAT instance (fck-nat and similar modules) is reached through its instance
                // or through a network interface of its own.
                let want =
                    |x: &Resource| matches!(x.rtype(), "aws_instance" | "aws_network_interface");
                let found = self.ix.find(r.input, v, &want);
                if let Some(&g) = found.resources.first() {
                    let inst = self.ix.res(g);
                    // A NAT instance forwards traffic, so AWS's source/destination check must be
                    // off (it is on by default, on instances and network interfaces alike).
                    return match inst.get("source_dest_check") {
                        Some(v) if v.as_bool() == Some(false) => {
                            RouteTarget::NatInstance(node_of(inst, g))
                        }
                        Some(v) if v.is_undecided() && !v.is_not_configured() => {
                            RouteTarget::Unknown(format!(
                                "whether {} forwards traffic (source_dest_check) is not known: {}",
                                inst.address,
                                v.undecided_reason().unwrap_or_default()
                            ))
                        }
                        _ => RouteTarget::Other(format!(
                            "{} (source/destination check on: not a NAT instance)",
                            inst.address
                        )),
                    };
                }
                if let Some(what) = found.ids.first().or(found.literals.first()) {
                    return RouteTarget::Other(format!("the network interface {what}"));
                }
                return RouteTarget::Unknown(format!(
                    "the target of a route in {} ({key}) cannot be determined: {}",
                    r.address,
                    join_reasons(&found.gaps)
                ));
            }
        }
        for (key, what) in [
            ("transit_gateway_id", "the transit gateway"),
            ("vpc_peering_connection_id", "the peering connection"),
            ("egress_only_gateway_id", "the egress-only gateway"),
            ("vpc_endpoint_id", "the endpoint"),
            ("carrier_gateway_id", "the carrier gateway"),
            ("local_gateway_id", "the local gateway"),
            ("core_network_arn", "the core network"),
        ] {
            if let Some(v) = get(key) {
                let shown = v.as_text().or_else(|| match v {
                    Value::Ref(rf) => rf.targets.first().map(|t| t.address.clone()),
                    _ => None,
                });
                return RouteTarget::Other(
                    format!("{what} {}", shown.unwrap_or_default())
                        .trim_end()
                        .to_string(),
                );
            }
        }
        RouteTarget::Unknown(format!(
            "a route in {} has no target that pullpath can read",
            r.address
        ))
    }

    fn routes(&mut self) {
        let model = self.model();
        for (i, r) in model.resources.iter().enumerate() {
            if r.rtype() != "aws_route" || r.is_data() {
                continue;
            }
            let Some(v) = r.get("route_table_id") else {
                continue;
            };
            let route = self.route_from(r, i, &r.values, false);
            let (tables, gap) = self.route_tables_of(r, v);
            if tables.len() == 1 && gap.is_none() {
                self.net.route_tables[tables[0]].routes.push(route);
                continue;
            }
            // The route's table is not decided: every candidate table may or may not have it.
            let why = format!(
                "{} may add a route here: {}",
                r.address,
                gap.unwrap_or_else(|| "its route_table_id has several candidates".into())
            );
            let candidates = if tables.is_empty() {
                self.tables_in_module(r)
            } else {
                tables
            };
            for t in candidates {
                self.net.route_tables[t]
                    .routes_unknown
                    .get_or_insert(why.clone());
            }
        }
    }

    /// Route tables defined in the same input and module instance as `r`.
    fn tables_in_module(&self, r: &Resource) -> Vec<RouteTableIdx> {
        let module = r.addr.module_instance();
        self.net
            .route_tables
            .iter()
            .enumerate()
            .filter(|(_, t)| {
                t.node.resource.is_some_and(|i| {
                    let x = self.ix.res(i);
                    x.input == r.input && x.addr.module_instance() == module
                })
            })
            .map(|(t, _)| t)
            .collect()
    }

    // ---- associations ----

    fn associations(&mut self) {
        let model = self.model();
        // Explicit main-table associations first: they decide what "main" means.
        for r in &model.resources {
            if r.rtype() != "aws_main_route_table_association" {
                continue;
            }
            let vpc = self.vpc_of(r, "vpc_id");
            let Some(v) = r.get("route_table_id") else {
                continue;
            };
            let (tables, gap) = self.route_tables_of(r, v);
            if let Fact::Known(vpc) = vpc {
                self.net.vpcs[vpc].main_route_table = match (tables.as_slice(), gap) {
                    ([t], None) => Fact::Known(*t),
                    (_, g) => Fact::Unknown(format!(
                        "{}: the main route table cannot be determined: {}",
                        r.address,
                        g.unwrap_or_default()
                    )),
                };
            }
        }
        // The VPC's own known main table id (existing VPCs, data sources).
        for v in 0..self.net.vpcs.len() {
            if !matches!(self.net.vpcs[v].main_route_table, Fact::Unknown(_)) {
                continue;
            }
            let Some(i) = self.net.vpcs[v].node.resource else {
                self.net.vpcs[v].main_route_table = Fact::Unknown(format!(
                    "the VPC {} is not in the input",
                    self.net.vpcs[v].node.name()
                ));
                continue;
            };
            let r = &model.resources[i];
            let known = ["main_route_table_id", "default_route_table_id"]
                .iter()
                .find_map(|k| {
                    r.get(k)
                        .and_then(Value::as_str)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                });
            match known {
                Some(id) => {
                    let t = self.rt_by_id(&id);
                    if matches!(self.net.route_tables[t].vpc, Fact::Unknown(_)) {
                        self.net.route_tables[t].vpc = Fact::Known(v);
                    }
                    self.net.vpcs[v].main_route_table = Fact::Known(t);
                }
                None if r.is_data() => {
                    self.net.vpcs[v].main_route_table = Fact::Unknown(format!(
                        "the main route table of {} is not in the input",
                        r.address
                    ));
                }
                None => {
                    let t = self.main_table_of(v);
                    self.net.vpcs[v].main_route_table = Fact::Known(t);
                }
            }
        }
        // Explicit subnet associations.
        let mut explicit: HashMap<SubnetIdx, Fact<RouteTableIdx>> = HashMap::new();
        let mut floating: Vec<(Option<VpcIdx>, String)> = Vec::new();
        for (i, r) in model.resources.iter().enumerate() {
            if r.rtype() != "aws_route_table_association" {
                continue;
            }
            // Edge associations (gateway_id) carry no subnet.
            if r.get("subnet_id")
                .is_none_or(|v| v.is_null() || v.as_str() == Some(""))
            {
                continue;
            }
            let (subnets, sgap) = self.subnets_of(r, r.get("subnet_id"), "subnet_id");
            let (tables, tgap) = match r.get("route_table_id") {
                Some(v) => self.route_tables_of(r, v),
                None => (Vec::new(), Some("no route_table_id".into())),
            };
            let rt = match (tables.as_slice(), &tgap) {
                ([t], None) => Fact::Known(*t),
                _ => Fact::Unknown(format!(
                    "{}: the route table cannot be determined: {}",
                    r.address,
                    tgap.clone().unwrap_or_else(|| "several candidates".into())
                )),
            };
            if subnets.len() == 1 && sgap.is_none() {
                let s = subnets[0];
                self.net.subnets[s].association = Some(node_of(r, i));
                explicit.insert(s, rt);
            } else {
                let vpc = tables
                    .first()
                    .and_then(|&t| self.net.route_tables[t].vpc.known().copied());
                floating.push((
                    vpc,
                    format!(
                        "{} associates a route table with a subnet that cannot be determined ({})",
                        r.address,
                        sgap.unwrap_or_else(|| "several candidates".into())
                    ),
                ));
            }
        }
        for s in 0..self.net.subnets.len() {
            if self.net.subnets[s].node.is_external() {
                continue;
            }
            if let Some(rt) = explicit.remove(&s) {
                self.net.subnets[s].route_table = rt;
                continue;
            }
            let vpc = self.net.subnets[s].vpc.clone();
            if let Some((_, why)) = floating
                .iter()
                .find(|(fv, _)| fv.is_none() || fv.as_ref() == vpc.known())
            {
                self.net.subnets[s].route_table = Fact::Unknown(why.clone());
                continue;
            }
            self.net.subnets[s].route_table = match vpc {
                Fact::Known(v) => self.net.vpcs[v].main_route_table.clone(),
                Fact::Unknown(why) => Fact::Unknown(why),
            };
        }
    }

    // ---- security groups ----

    fn security_groups(&mut self) {
        let model = self.model();
        let want = |x: &Resource| is_sg(x) || (x.is_data() && x.rtype() == "aws_security_group");
        for (i, r) in model.resources.iter().enumerate() {
            if want(r) {
                self.sg_node(i);
            }
        }
        for g in 0..self.net.security_groups.len() {
            let Some(i) = self.net.security_groups[g].node.resource else {
                continue;
            };
            let r = &model.resources[i];
            let is_default = r.rtype() == "aws_default_security_group";
            let vpc = if r
                .get("vpc_id")
                .is_none_or(|v| v.is_null() || v.is_not_configured())
                && !r.is_data()
            {
                Fact::Unknown(format!(
                    "{} sets no vpc_id (the account's default VPC)",
                    r.address
                ))
            } else {
                self.vpc_of(r, "vpc_id")
            };
            let mut ingress = Vec::new();
            let mut egress = Vec::new();
            let mut unknown = None;
            if r.is_data() {
                unknown = Some(format!(
                    "the rules of {} are not in the input (a data source)",
                    r.address
                ));
            } else {
                for (key, out) in [("ingress", &mut ingress), ("egress", &mut egress)] {
                    match r.get(key) {
                        Some(Value::List(items)) => {
                            for item in items {
                                out.extend(self.inline_rules(r, i, g, item));
                            }
                        }
                        None | Some(Value::Null) => {}
                        Some(v) if v.is_not_configured() => {}
                        Some(v) => {
                            unknown.get_or_insert(format!(
                                "{}.{key} is not known before apply ({})",
                                r.address,
                                v.undecided_reason().unwrap_or_default()
                            ));
                        }
                    }
                }
            }
            if let (true, Fact::Known(v)) = (is_default, &vpc) {
                self.net.vpcs[*v].default_security_group = Some(g);
            }
            let sg = &mut self.net.security_groups[g];
            sg.vpc = vpc;
            sg.is_default = is_default;
            sg.ingress = ingress;
            sg.egress = egress;
            sg.rules_unknown = unknown;
        }
    }

    fn sg_node(&mut self, i: usize) -> SgIdx {
        if let Some(&g) = self.sgs.by_res.get(&i) {
            return g;
        }
        let c = self.ix.canonical(i, &is_sg);
        if let Some(&g) = self.sgs.by_res.get(&c) {
            self.sgs.by_res.insert(i, g);
            return g;
        }
        let r = self.ix.res(c);
        let g = self.new_sg(node_of(r, c));
        self.sgs.by_res.insert(c, g);
        self.sgs.by_res.insert(i, g);
        g
    }

    fn new_sg(&mut self, node: Node) -> SgIdx {
        let g = self.net.security_groups.len();
        if let Some(id) = &node.id {
            self.sgs.by_id.entry(id.clone()).or_insert(g);
        }
        let why = format!("the security group {} is not in the input", node.name());
        self.net.security_groups.push(SecurityGroup {
            vpc: Fact::Unknown(why.clone()),
            is_default: false,
            implicit: false,
            ingress: Vec::new(),
            egress: Vec::new(),
            rules_unknown: node.is_external().then_some(why),
            node,
        });
        g
    }

    fn sg_by_id(&mut self, id: &str) -> SgIdx {
        match self.sgs.by_id.get(id) {
            Some(&g) => g,
            None => self.new_sg(id_node(id)),
        }
    }

    /// The VPC's default security group: the managed `aws_default_security_group`, or an
    /// implicit node with AWS's stock rules (all traffic from members; all traffic out).
    pub(super) fn default_sg_of(&mut self, vpc: VpcIdx) -> SgIdx {
        if let Some(g) = self.net.vpcs[vpc].default_security_group {
            return g;
        }
        if let Some(&g) = self.implicit_default_sg.get(&vpc) {
            return g;
        }
        let vpc_node = self.net.vpcs[vpc].node.clone();
        let g = self.new_sg(Node {
            address: Some(format!("{} (default security group)", vpc_node.name())),
            ..Node::default()
        });
        let sg = &mut self.net.security_groups[g];
        sg.vpc = Fact::Known(vpc);
        sg.is_default = true;
        sg.implicit = true;
        if vpc_node.resource.is_some() && !vpc_node.data {
            sg.rules_unknown = None;
            let node = sg.node.clone();
            sg.ingress.push(SgRule {
                node: node.clone(),
                protocol: Fact::Known(Protocol::All),
                from_port: None,
                to_port: None,
                peer: Peer::SecurityGroup(g),
            });
            sg.egress.push(SgRule {
                node,
                protocol: Fact::Known(Protocol::All),
                from_port: None,
                to_port: None,
                peer: Peer::Cidr(Ipv4Net { addr: 0, prefix: 0 }),
            });
        } else {
            sg.rules_unknown = Some(format!(
                "the default security group of {} is not in the input",
                vpc_node.name()
            ));
        }
        self.implicit_default_sg.insert(vpc, g);
        self.net.vpcs[vpc].default_security_group = Some(g);
        g
    }

    /// The security groups a value points at. `aws_vpc.x.default_security_group_id` means the
    /// VPC's default group.
    pub(super) fn sgs_of(
        &mut self,
        r: &Resource,
        v: Option<&Value>,
        what: &str,
    ) -> (Vec<SgIdx>, Option<String>) {
        let Some(v) = v else {
            return (Vec::new(), None);
        };
        let want = |x: &Resource| is_sg(x) || (x.is_data() && x.rtype() == "aws_security_group");
        let found = self.ix.find(r.input, v, &want);
        let mut out = BTreeSet::new();
        for &i in &found.resources {
            out.insert(self.sg_node(i));
        }
        for id in &found.ids {
            out.insert(self.sg_by_id(id));
        }
        let mut gaps = found.gaps.clone();
        for (i, attr) in &found.others {
            let x = self.ix.res(*i);
            if is_vpc(x) && attr.as_deref() == Some("default_security_group_id") {
                if let Some(&vpc) = self.vpcs.by_res.get(i) {
                    out.insert(self.default_sg_of(vpc));
                    continue;
                }
            }
            gaps.push(format!("refers to {} for a security group", x.address));
        }
        for l in &found.literals {
            gaps.push(format!("{l:?} is not a security group id"));
        }
        let gap =
            (!gaps.is_empty()).then(|| format!("{}.{what}: {}", r.address, join_reasons(&gaps)));
        (out.into_iter().collect(), gap)
    }

    /// Rules of an inline `ingress`/`egress` block: one per peer.
    fn inline_rules(&mut self, r: &Resource, i: usize, own: SgIdx, block: &Value) -> Vec<SgRule> {
        let node = node_of(r, i);
        let protocol = protocol_of(block.get("protocol"));
        let from_port = block
            .get("from_port")
            .and_then(Value::as_f64)
            .map(|n| n as i64);
        let to_port = block
            .get("to_port")
            .and_then(Value::as_f64)
            .map(|n| n as i64);
        let mut peers = Vec::new();
        peers.extend(self.cidr_peers(r, block.get("cidr_blocks")));
        if let Some(Value::List(v6)) = block.get("ipv6_cidr_blocks") {
            peers.extend(v6.iter().filter_map(Value::as_text).map(Peer::Cidr6));
        }
        peers.extend(self.prefix_list_peers(r, block.get("prefix_list_ids")));
        if block.get("security_groups").is_some() {
            let (groups, gap) = self.sgs_of(r, block.get("security_groups"), "security_groups");
            peers.extend(groups.into_iter().map(Peer::SecurityGroup));
            if let Some(g) = gap {
                peers.push(Peer::Unknown(g));
            }
        }
        match block.get("self") {
            Some(v) if v.as_bool() == Some(true) => peers.push(Peer::SecurityGroup(own)),
            Some(v) if v.is_undecided() && !v.is_not_configured() => peers.push(Peer::Unknown(
                format!("{}: `self` is not known before apply", r.address),
            )),
            _ => {}
        }
        peers
            .into_iter()
            .map(|peer| SgRule {
                node: node.clone(),
                protocol: protocol.clone(),
                from_port,
                to_port,
                peer,
            })
            .collect()
    }

    fn cidr_peers(&mut self, r: &Resource, v: Option<&Value>) -> Vec<Peer> {
        let mut out = Vec::new();
        let Some(v) = v else { return out };
        let mut stack = vec![v];
        let mut hops = 0;
        while let Some(v) = stack.pop() {
            hops += 1;
            if hops > 10_000 {
                break;
            }
            match v {
                Value::Null => {}
                Value::String(s) if s.is_empty() => {}
                Value::String(s) => out.push(match Ipv4Net::parse(s) {
                    Some(n) => Peer::Cidr(n),
                    None => {
                        Peer::Unknown(format!("{}: {s:?} is not an IPv4 CIDR block", r.address))
                    }
                }),
                Value::List(items) => stack.extend(items.iter()),
                Value::Ref(rf) => {
                    for t in &rf.targets {
                        let Some(x) = self.model().lookup(r.input, &t.address) else {
                            out.push(Peer::Unknown(format!(
                                "{}: refers to {}, which is not in the input",
                                r.address, t.address
                            )));
                            continue;
                        };
                        match t.attr.as_deref().and_then(|a| x.get(a)) {
                            Some(inner) if !inner.is_undecided() => stack.push(inner),
                            _ => out.push(Peer::Unknown(format!(
                                "{}: the CIDR block {} is not known before apply",
                                r.address, t
                            ))),
                        }
                    }
                    if !rf.complete {
                        out.push(Peer::Unknown(format!(
                            "{}: {}",
                            r.address,
                            rf.note.clone().unwrap_or_default()
                        )));
                    }
                }
                other => out.push(Peer::Unknown(format!(
                    "{}: a CIDR block is not known before apply ({})",
                    r.address,
                    other.undecided_reason().unwrap_or_default()
                ))),
            }
        }
        out
    }

    fn prefix_list_peers(&mut self, r: &Resource, v: Option<&Value>) -> Vec<Peer> {
        let Some(v) = v else { return Vec::new() };
        let want = |x: &Resource| {
            matches!(
                x.rtype(),
                "aws_prefix_list" | "aws_ec2_managed_prefix_list" | "aws_vpc_endpoint"
            )
        };
        let found = self.ix.find(r.input, v, &want);
        let mut out = Vec::new();
        for &i in &found.resources {
            out.push(Peer::PrefixList(self.prefix_list_of(i)));
        }
        for (i, attr) in &found.others {
            let x = self.ix.res(*i);
            if is_endpoint(x) && attr.as_deref() == Some("prefix_list_id") {
                out.push(Peer::PrefixList(self.prefix_list_of(*i)));
            } else {
                out.push(Peer::Unknown(format!(
                    "{}: refers to {} for a prefix list",
                    r.address, x.address
                )));
            }
        }
        for id in found.ids.iter().chain(found.literals.iter()) {
            // A known `pl-…` id: S3's if an S3 gateway endpoint of the input reports it.
            let s3 = self.ix.with_id(id).iter().any(|&i| {
                let x = self.ix.res(i);
                matches!(x.rtype(), "aws_prefix_list" | "aws_ec2_managed_prefix_list")
                    && x.get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.ends_with(".s3"))
            }) || self.s3_prefix_lists().contains(id.as_str());
            out.push(Peer::PrefixList(PrefixList {
                name: id.clone(),
                is_s3: if s3 {
                    Fact::Known(true)
                } else {
                    Fact::Unknown(format!(
                        "the prefix list {id} is not described in the input"
                    ))
                },
            }));
        }
        for g in found.gaps {
            out.push(Peer::Unknown(format!("{}: {g}", r.address)));
        }
        out
    }

    /// The prefix list ids that S3 gateway endpoints of the input report.
    fn s3_prefix_lists(&self) -> BTreeSet<&'m str> {
        self.ix
            .of_type(false, "aws_vpc_endpoint")
            .iter()
            .map(|&i| self.ix.res(i))
            .filter(|x| service_short(x).as_deref() == Some("s3"))
            .filter_map(|x| x.get("prefix_list_id").and_then(Value::as_str))
            .collect()
    }

    fn prefix_list_of(&self, i: usize) -> PrefixList {
        let x = self.ix.res(i);
        let is_s3 = match x.rtype() {
            "aws_vpc_endpoint" => match service_short(x) {
                Some(s) => Fact::Known(s == "s3"),
                None => Fact::Unknown(format!("the service of {} is not known", x.address)),
            },
            _ => match x.get("name").and_then(Value::as_str) {
                Some(n) => Fact::Known(n.ends_with(".s3") && n.contains("amazonaws")),
                None => Fact::Unknown(format!("the name of {} is not known", x.address)),
            },
        };
        PrefixList {
            name: x.address.clone(),
            is_s3,
        }
    }

    fn security_group_rules(&mut self) {
        let model = self.model();
        let mut floating: Vec<(usize, String)> = Vec::new();
        for (i, r) in model.resources.iter().enumerate() {
            let (ingress, new_style) = match r.rtype() {
                "aws_security_group_rule" => match r.get("type").and_then(Value::as_str) {
                    Some("ingress") => (true, false),
                    Some("egress") => (false, false),
                    _ => {
                        floating.push((
                            r.input,
                            format!("{}: the rule type is not known", r.address),
                        ));
                        continue;
                    }
                },
                "aws_vpc_security_group_ingress_rule" => (true, true),
                "aws_vpc_security_group_egress_rule" => (false, true),
                _ => continue,
            };
            let (groups, gap) = self.sgs_of(r, r.get("security_group_id"), "security_group_id");
            let rules = if new_style {
                self.new_style_rule(r, i)
            } else {
                self.old_style_rule(r, i, groups.first().copied())
            };
            if groups.len() != 1 || gap.is_some() {
                if rules.iter().any(could_carry_443) {
                    floating.push((
                        r.input,
                        format!(
                            "{} adds a rule to a security group that cannot be determined ({})",
                            r.address,
                            gap.unwrap_or_else(|| "several candidates".into())
                        ),
                    ));
                }
                continue;
            }
            let sg = &mut self.net.security_groups[groups[0]];
            if ingress {
                sg.ingress.extend(rules)
            } else {
                sg.egress.extend(rules)
            }
        }
        // One pass over the groups, whatever the number of such rules.
        let mut first: HashMap<usize, String> = HashMap::new();
        for (input, why) in floating {
            first.entry(input).or_insert(why);
        }
        if !first.is_empty() {
            for sg in &mut self.net.security_groups {
                if let Some(why) = sg.node.input.and_then(|i| first.get(&i)) {
                    sg.rules_unknown.get_or_insert(why.clone());
                }
            }
        }
    }

    fn old_style_rule(&mut self, r: &Resource, i: usize, own: Option<SgIdx>) -> Vec<SgRule> {
        let node = node_of(r, i);
        let protocol = protocol_of(r.get("protocol"));
        let from_port = r.get("from_port").and_then(Value::as_f64).map(|n| n as i64);
        let to_port = r.get("to_port").and_then(Value::as_f64).map(|n| n as i64);
        let mut peers = self.cidr_peers(r, r.get("cidr_blocks"));
        if let Some(Value::List(v6)) = r.get("ipv6_cidr_blocks") {
            peers.extend(v6.iter().filter_map(Value::as_text).map(Peer::Cidr6));
        }
        peers.extend(self.prefix_list_peers(r, r.get("prefix_list_ids")));
        if let Some(v) = r
            .get("source_security_group_id")
            .filter(|v| !v.is_null() && v.as_str() != Some("") && !v.is_not_configured())
        {
            let (groups, gap) = self.sgs_of(r, Some(v), "source_security_group_id");
            peers.extend(groups.into_iter().map(Peer::SecurityGroup));
            if let Some(g) = gap {
                peers.push(Peer::Unknown(g));
            }
        }
        if r.get("self").and_then(Value::as_bool) == Some(true) {
            match own {
                Some(g) => peers.push(Peer::SecurityGroup(g)),
                None => peers.push(Peer::Unknown(format!(
                    "{}: `self` of an undetermined group",
                    r.address
                ))),
            }
        }
        peers
            .into_iter()
            .map(|peer| SgRule {
                node: node.clone(),
                protocol: protocol.clone(),
                from_port,
                to_port,
                peer,
            })
            .collect()
    }

    fn new_style_rule(&mut self, r: &Resource, i: usize) -> Vec<SgRule> {
        let node = node_of(r, i);
        let protocol = protocol_of(r.get("ip_protocol"));
        let from_port = r.get("from_port").and_then(Value::as_f64).map(|n| n as i64);
        let to_port = r.get("to_port").and_then(Value::as_f64).map(|n| n as i64);
        let mut peers = Vec::new();
        if let Some(v) = r.get("cidr_ipv4").filter(|v| !v.is_null()) {
            peers.extend(self.cidr_peers(r, Some(v)));
        }
        if let Some(s) = r
            .get("cidr_ipv6")
            .and_then(Value::as_text)
            .filter(|s| !s.is_empty())
        {
            peers.push(Peer::Cidr6(s));
        }
        if let Some(v) = r
            .get("prefix_list_id")
            .filter(|v| !v.is_null() && v.as_str() != Some(""))
        {
            peers.extend(self.prefix_list_peers(r, Some(v)));
        }
        if let Some(v) = r
            .get("referenced_security_group_id")
            .filter(|v| !v.is_null() && v.as_str() != Some(""))
        {
            let (groups, gap) = self.sgs_of(r, Some(v), "referenced_security_group_id");
            peers.extend(groups.into_iter().map(Peer::SecurityGroup));
            if let Some(g) = gap {
                peers.push(Peer::Unknown(g));
            }
        }
        if peers.is_empty() {
            peers.push(Peer::Unknown(format!(
                "{} names no peer that pullpath can read",
                r.address
            )));
        }
        peers
            .into_iter()
            .map(|peer| SgRule {
                node: node.clone(),
                protocol: protocol.clone(),
                from_port,
                to_port,
                peer,
            })
            .collect()
    }

    // ---- endpoints ----

    fn endpoints(&mut self) {
        let model = self.model();
        let want = |x: &Resource| is_endpoint(x);
        let all: Vec<usize> = (0..model.resources.len())
            .filter(|&i| want(&model.resources[i]))
            .collect();
        let this = &*self;
        let read = crate::parallel::map(all.clone(), 256, &|i| {
            let r = &model.resources[i];
            this.policy_of(r, i, r.get("policy"))
        });
        self.policies = all.into_iter().zip(read).collect();
        for (i, r) in model.resources.iter().enumerate() {
            if !want(r) {
                continue;
            }
            let c = self.ix.canonical(i, &want);
            if let Some(&e) = self.endpoints.by_res.get(&c) {
                self.endpoints.by_res.insert(i, e);
                continue;
            }
            let e = self.endpoint_from(self.ix.res(c), c);
            self.endpoints.by_res.insert(c, e);
            self.endpoints.by_res.insert(i, e);
        }
        // Association resources add to the endpoint's own lists. Those whose endpoint is not
        // decided may apply to any endpoint of their input: each such endpoint says so.
        let mut floating: HashMap<(usize, u8), String> = HashMap::new();
        for (i, r) in model.resources.iter().enumerate() {
            let kind = match r.rtype() {
                "aws_vpc_endpoint_route_table_association" => 0,
                "aws_vpc_endpoint_subnet_association" => 1,
                "aws_vpc_endpoint_security_group_association" => 2,
                "aws_vpc_endpoint_policy" => 3,
                _ => continue,
            };
            let eps = self.endpoints_of(r);
            let ep = match eps {
                Ok(e) => e,
                Err(why) => {
                    // An association whose endpoint is not decided may apply to any endpoint
                    // of the input: say so on each.
                    floating.entry((r.input, kind)).or_insert(why);
                    continue;
                }
            };
            match kind {
                0 => {
                    let (tables, gap) = match r.get("route_table_id") {
                        Some(v) => self.route_tables_of(r, v),
                        None => (
                            Vec::new(),
                            Some(format!("{} has no route_table_id", r.address)),
                        ),
                    };
                    let ep = &mut self.net.endpoints[ep];
                    ep.route_tables.extend(tables);
                    if let Some(g) = gap {
                        ep.route_tables_unknown.get_or_insert(g);
                    }
                }
                1 => {
                    let (subnets, gap) = self.subnets_of(r, r.get("subnet_id"), "subnet_id");
                    let ep = &mut self.net.endpoints[ep];
                    ep.subnets.extend(subnets);
                    if let Some(g) = gap {
                        ep.subnets_unknown.get_or_insert(g);
                    }
                }
                2 => {
                    let (groups, gap) =
                        self.sgs_of(r, r.get("security_group_id"), "security_group_id");
                    let replace = r
                        .get("replace_default_association")
                        .and_then(Value::as_bool)
                        == Some(true);
                    let ep = &mut self.net.endpoints[ep];
                    ep.security_groups.extend(groups);
                    ep.uses_default_security_group =
                        ep.uses_default_security_group && !replace && ep.security_groups.is_empty();
                    if let Some(g) = gap {
                        ep.security_groups_unknown.get_or_insert(g);
                    }
                }
                _ => {
                    let policy = match self.policies.remove(&i) {
                        Some(p) => p,
                        None => self.policy_of(r, i, r.get("policy")),
                    };
                    self.net.endpoints[ep].policy = policy;
                }
            }
        }
        if !floating.is_empty() {
            for ep in &mut self.net.endpoints {
                let Some(input) = ep.node.input else { continue };
                for (kind, slot) in [
                    (0u8, &mut ep.route_tables_unknown),
                    (1, &mut ep.subnets_unknown),
                    (2, &mut ep.security_groups_unknown),
                ] {
                    if let Some(why) = floating.get(&(input, kind)) {
                        slot.get_or_insert(why.clone());
                    }
                }
            }
        }
        // An Interface endpoint that names no security group gets the VPC's default group.
        for e in 0..self.net.endpoints.len() {
            let ep = &self.net.endpoints[e];
            let interface = !matches!(
                ep.kind,
                Fact::Known(EndpointKind::Gateway | EndpointKind::GatewayLoadBalancer)
            );
            if !interface {
                self.net.endpoints[e].uses_default_security_group = false;
                continue;
            }
            if let (true, Fact::Known(v)) = (ep.uses_default_security_group, ep.vpc.clone()) {
                let g = self.default_sg_of(v);
                self.net.endpoints[e].security_groups = vec![g];
            }
        }
        for ep in &mut self.net.endpoints {
            ep.subnets.sort_unstable();
            ep.subnets.dedup();
            ep.route_tables.sort_unstable();
            ep.route_tables.dedup();
            ep.security_groups.sort_unstable();
            ep.security_groups.dedup();
        }
    }

    /// The endpoint an association resource names.
    fn endpoints_of(&mut self, r: &Resource) -> Result<EndpointIdx, String> {
        let Some(v) = r.get("vpc_endpoint_id") else {
            return Err(format!("{} has no vpc_endpoint_id", r.address));
        };
        let found = self.ix.find(r.input, v, &is_endpoint);
        let mut eps = BTreeSet::new();
        for i in &found.resources {
            if let Some(&e) = self.endpoints.by_res.get(i) {
                eps.insert(e);
            }
        }
        if eps.len() == 1 && found.gaps.is_empty() && found.ids.is_empty() {
            return Ok(*eps.iter().next().unwrap_or(&0));
        }
        if let (0, [id]) = (eps.len(), found.ids.as_slice()) {
            // An endpoint known only by id (another stack): keep an external node for it.
            let e = match self.endpoints.by_id.get(id) {
                Some(&e) => e,
                None => {
                    let e = self.net.endpoints.len();
                    self.net.endpoints.push(external_endpoint(id));
                    self.endpoints.by_id.insert(id.clone(), e);
                    e
                }
            };
            return Ok(e);
        }
        Err(format!(
            "{} applies to an endpoint that cannot be determined ({})",
            r.address,
            if found.gaps.is_empty() {
                "several candidates".to_string()
            } else {
                join_reasons(&found.gaps)
            }
        ))
    }

    fn endpoint_from(&mut self, r: &Resource, i: usize) -> EndpointIdx {
        let node = node_of(r, i);
        let vpc = self.vpc_of(r, "vpc_id");
        let service = self.service_of(r);
        let kind = match r.get("vpc_endpoint_type") {
            // The provider's default is Gateway.
            None | Some(Value::Null) => Fact::Known(EndpointKind::Gateway),
            Some(v) if v.is_not_configured() => Fact::Known(EndpointKind::Gateway),
            Some(v) => match v.as_str() {
                Some("Interface") => Fact::Known(EndpointKind::Interface),
                Some("Gateway") => Fact::Known(EndpointKind::Gateway),
                Some("GatewayLoadBalancer") => Fact::Known(EndpointKind::GatewayLoadBalancer),
                Some(_) => Fact::Known(EndpointKind::Other),
                None => Fact::Unknown(format!(
                    "{}.vpc_endpoint_type is not known before apply ({})",
                    r.address,
                    v.undecided_reason().unwrap_or_default()
                )),
            },
        };
        let private_dns = flag(r, "private_dns_enabled", (!r.is_data()).then_some(false));
        let (subnets, subnets_unknown) = match r.get("subnet_ids") {
            Some(v) if !v.is_not_configured() => self.subnets_of(r, Some(v), "subnet_ids"),
            _ => (Vec::new(), None),
        };
        let (security_groups, security_groups_unknown) = match r.get("security_group_ids") {
            Some(v) if !v.is_not_configured() => self.sgs_of(r, Some(v), "security_group_ids"),
            _ => (Vec::new(), None),
        };
        let (route_tables, route_tables_unknown) = match r.get("route_table_ids") {
            Some(v) if !v.is_not_configured() && !v.is_null() => self.route_tables_of(r, v),
            _ => (Vec::new(), None),
        };
        let policy = match self.policies.remove(&i) {
            Some(p) => p,
            None => self.policy_of(r, i, r.get("policy")),
        };
        let prefix_list_id = text(r, "prefix_list_id");
        let uses_default = security_groups.is_empty() && security_groups_unknown.is_none();
        let e = self.net.endpoints.len();
        if let Some(id) = &node.id {
            self.endpoints.by_id.entry(id.clone()).or_insert(e);
        }
        self.net.endpoints.push(Endpoint {
            node,
            vpc,
            service,
            kind,
            private_dns,
            subnets,
            subnets_unknown: subnets_unknown.map(|g| g.to_string()),
            security_groups,
            security_groups_unknown,
            uses_default_security_group: uses_default,
            route_tables,
            route_tables_unknown,
            policy,
            prefix_list_id,
        });
        e
    }

    fn service_of(&self, r: &Resource) -> Fact<ServiceName> {
        match self.string_of(r.input, r.get("service_name"), 0) {
            Ok(s) => Fact::Known(parse_service(&s)),
            Err(why) => Fact::Unknown(format!("{}.service_name: {why}", r.address)),
        }
    }

    /// A string attribute, following references to other resources' known attributes; for
    /// `data.aws_vpc_endpoint_service` whose `service_name` is unknown, its `service` argument.
    pub(super) fn string_of(
        &self,
        input: usize,
        v: Option<&Value>,
        depth: usize,
    ) -> Result<String, String> {
        let Some(v) = v else {
            return Err("not in the input".into());
        };
        match v {
            Value::String(s) if !s.is_empty() => Ok(s.clone()),
            Value::Ref(rf) if rf.complete && rf.targets.len() == 1 && depth < 8 => {
                let t = &rf.targets[0];
                let Some(x) = self.model().lookup(input, &t.address) else {
                    return Err(format!(
                        "refers to {}, which is not in the input",
                        t.address
                    ));
                };
                let attr = t.attr.as_deref().unwrap_or("id");
                match self.string_of(x.input, x.get(attr), depth + 1) {
                    Ok(s) => Ok(s),
                    Err(_) if x.rtype() == "aws_vpc_endpoint_service" && x.is_data() => {
                        let svc = x.get("service").and_then(Value::as_str).ok_or_else(|| {
                            format!("{} has neither service_name nor service known", x.address)
                        })?;
                        let region = x
                            .get("region")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .or_else(|| x.region.clone())
                            .or_else(|| self.opts.region.clone());
                        match region {
                            Some(reg) => Ok(format!("com.amazonaws.{reg}.{svc}")),
                            None => Err(format!(
                                "{} names service {svc:?} but its region is not known",
                                x.address
                            )),
                        }
                    }
                    Err(e) => Err(format!("{t}: {e}")),
                }
            }
            other => Err(other
                .undecided_reason()
                .unwrap_or_else(|| "not a string".to_string())),
        }
    }

    /// The effective policy of an endpoint or `aws_vpc_endpoint_policy`.
    fn policy_of(&self, r: &Resource, i: usize, v: Option<&Value>) -> EndpointPolicy {
        let source = node_of(r, i);
        match v {
            None | Some(Value::Null) => EndpointPolicy::Default,
            Some(Value::String(s)) if s.trim().is_empty() => EndpointPolicy::Default,
            Some(v) if v.is_not_configured() => EndpointPolicy::Default,
            Some(v) => match self.policy_document(r.input, v) {
                Ok((json, origin)) => match json {
                    // The resource the document is written in: a data source or policy the
                    // attribute refers to, else the resource itself.
                    serde_json::Value::Object(_) => EndpointPolicy::Document {
                        json,
                        source: origin.map_or(source, |o| node_of(self.ix.res(o), o)),
                    },
                    _ => EndpointPolicy::Invalid {
                        error: "the policy is not a JSON object".into(),
                        source,
                    },
                },
                Err(DocError::Invalid(error)) => EndpointPolicy::Invalid { error, source },
                Err(DocError::Unknown(why)) => EndpointPolicy::Unknown(why),
            },
        }
    }

    /// A policy document given as JSON text, a structured value (HCL `jsonencode` of partly
    /// unknown values), or a reference to another resource's attribute holding one
    /// (`data.aws_iam_policy_document.x.json`, `aws_iam_policy.x.policy`).
    pub(super) fn document_of(
        &self,
        input: usize,
        v: &Value,
        depth: usize,
    ) -> Result<(serde_json::Value, Option<usize>), DocError> {
        self.document(input, v, depth, false)
    }

    /// A policy document: like [`Builder::document_of`], but parts not known before apply
    /// become markers the policy engine evaluates as unknown values (see
    /// `policy::unknown_text`), so that what the rest of the document says still counts.
    pub(super) fn policy_document(
        &self,
        input: usize,
        v: &Value,
    ) -> Result<(serde_json::Value, Option<usize>), DocError> {
        let (json, origin) = self.document(input, v, 0, true)?;
        if has_marker(&json) {
            // A marker where the policy's grammar needs a literal (an Effect, a Version) makes
            // the document unreadable before apply, not invalid.
            if let Err(e) = crate::policy::Policy::from_value(&json) {
                return Err(DocError::Unknown(format!(
                    "parts of the policy are known only after apply ({})",
                    crate::policy::display_unknowns(&e.to_string())
                )));
            }
        }
        Ok((json, origin))
    }

    fn document(
        &self,
        input: usize,
        v: &Value,
        depth: usize,
        markers: bool,
    ) -> Result<(serde_json::Value, Option<usize>), DocError> {
        match v {
            Value::String(s) => serde_json::from_str::<serde_json::Value>(s)
                .map(|j| (j, None))
                .map_err(|e| DocError::Invalid(format!("the policy is not valid JSON: {e}"))),
            Value::Object(_) if markers => Ok((with_markers(v), None)),
            Value::Object(_) => v
                .to_json()
                .map(|j| (j, None))
                .ok_or_else(|| DocError::Unknown(v.undecided_reason().unwrap_or_default())),
            Value::Ref(rf) if rf.complete && rf.targets.len() == 1 && depth < 8 => {
                let t = &rf.targets[0];
                // Only a document attribute *is* the document; a reference to an id or ARN
                // means the document is built with it (e.g. an `aws:SourceVpce` condition).
                let document_attr = |a: &str| {
                    matches!(
                        a,
                        "json"
                            | "minified_json"
                            | "policy"
                            | "container_definitions"
                            | "container_properties"
                    )
                };
                if t.attr.as_deref().is_some_and(|a| !document_attr(a)) {
                    return Err(DocError::Unknown(format!(
                        "it uses {t}, known only after apply"
                    )));
                }
                let Some(i) = self.model().lookup_index(input, &t.address) else {
                    return Err(DocError::Unknown(format!(
                        "it refers to {}, whose attributes pullpath does not read",
                        t.address
                    )));
                };
                let x = self.ix.res(i);
                let attr = t.attr.as_deref().unwrap_or(match x.rtype() {
                    "aws_iam_policy_document" => "json",
                    _ => "policy",
                });
                match x.get(attr) {
                    Some(inner) => self
                        .document(x.input, inner, depth + 1, markers)
                        .map(|(j, o)| (j, o.or(Some(i)))),
                    None => Err(DocError::Unknown(format!("{t} is not in the input"))),
                }
            }
            other => Err(DocError::Unknown(
                other
                    .undecided_reason()
                    .unwrap_or_else(|| "not a policy document".into()),
            )),
        }
    }

    // ---- roles ----

    /// IAM roles, users and groups with their identity policies; group memberships; ECR
    /// repositories with their repository policies.
    fn principals(&mut self) {
        let model = self.model();
        for kind in [
            PrincipalKind::Role,
            PrincipalKind::User,
            PrincipalKind::Group,
        ] {
            let rtype = kind.resource_type();
            let want = |x: &Resource| x.rtype() == rtype;
            let managed = self.ix.of_type(false, rtype).iter();
            for &i in managed.chain(self.ix.of_type(true, rtype)) {
                let c = self.ix.canonical(i, &want);
                if let Some(&n) = self.principals.by_res.get(&c) {
                    self.principals.by_res.insert(i, n);
                    continue;
                }
                let x = self.ix.res(c);
                let n = self.net.principals.len();
                let source = node_of(x, c);
                let mut policies = Vec::new();
                if x.is_data() {
                    policies.push(AttachedPolicy::Unknown {
                        reason: format!(
                            "the policies of {} are not in the input (a data source)",
                            x.address
                        ),
                        source: source.clone(),
                    });
                } else {
                    if let Some(Value::List(blocks)) = x.get("inline_policy") {
                        for b in blocks {
                            if let Some(p) = b
                                .get("policy")
                                .filter(|p| !p.is_null() && p.as_str() != Some(""))
                            {
                                policies.push(self.role_policy(x.input, p, source.clone()));
                            }
                        }
                    }
                    match x.get("managed_policy_arns") {
                        Some(Value::List(arns)) => {
                            for a in arns {
                                policies.push(self.managed_policy(x.input, a, source.clone()));
                            }
                        }
                        Some(v) if v.is_undecided() && !v.is_not_configured() => {
                            policies.push(AttachedPolicy::Unknown {
                                reason: format!(
                                    "{}.managed_policy_arns is not known before apply",
                                    x.address
                                ),
                                source: source.clone(),
                            })
                        }
                        _ => {}
                    }
                }
                self.net.principals.push(Principal {
                    kind,
                    name: text(x, "name"),
                    arn: text(x, "arn"),
                    policies,
                    groups: Vec::new(),
                    node: source,
                });
                self.principals.by_res.insert(c, n);
                self.principals.by_res.insert(i, n);
                let k = rtype;
                if let Some(name) = text(x, "name") {
                    self.principals
                        .by_id
                        .entry(format!("{k}:name:{}:{name}", x.input))
                        .or_insert(n);
                    self.principals
                        .by_id
                        .entry(format!("{k}:anyname:{name}"))
                        .or_insert(n);
                }
                if let Some(arn) = text(x, "arn") {
                    self.principals
                        .by_id
                        .entry(format!("arn:{arn}"))
                        .or_insert(n);
                }
            }
        }
        for (i, r) in model.resources.iter().enumerate() {
            let node = || node_of(r, i);
            let (key, kind) = match r.rtype() {
                "aws_iam_role_policy" | "aws_iam_role_policy_attachment" => {
                    ("role", PrincipalKind::Role)
                }
                "aws_iam_user_policy" | "aws_iam_user_policy_attachment" => {
                    ("user", PrincipalKind::User)
                }
                "aws_iam_group_policy" | "aws_iam_group_policy_attachment" => {
                    ("group", PrincipalKind::Group)
                }
                "aws_iam_policy_attachment" => {
                    let Some(a) = r.get("policy_arn") else {
                        continue;
                    };
                    let policy = self.managed_policy(r.input, a, node());
                    for (key, kind) in [
                        ("roles", PrincipalKind::Role),
                        ("users", PrincipalKind::User),
                        ("groups", PrincipalKind::Group),
                    ] {
                        if let Some(v) = r.get(key) {
                            for n in self.principals_of(r.input, v, kind) {
                                self.net.principals[n].policies.push(policy.clone());
                            }
                        }
                    }
                    continue;
                }
                "aws_iam_group_membership" => {
                    let groups = r
                        .get("group")
                        .map(|v| self.principals_of(r.input, v, PrincipalKind::Group))
                        .unwrap_or_default();
                    let users = r
                        .get("users")
                        .map(|v| self.principals_of(r.input, v, PrincipalKind::User))
                        .unwrap_or_default();
                    for u in users {
                        self.net.principals[u].groups.extend(groups.iter().copied());
                    }
                    continue;
                }
                "aws_iam_user_group_membership" => {
                    let users = r
                        .get("user")
                        .map(|v| self.principals_of(r.input, v, PrincipalKind::User))
                        .unwrap_or_default();
                    let groups = r
                        .get("groups")
                        .map(|v| self.principals_of(r.input, v, PrincipalKind::Group))
                        .unwrap_or_default();
                    for u in users {
                        self.net.principals[u].groups.extend(groups.iter().copied());
                    }
                    continue;
                }
                _ => continue,
            };
            let policy = if r.rtype().ends_with("_attachment") {
                let Some(a) = r.get("policy_arn") else {
                    continue;
                };
                self.managed_policy(r.input, a, node())
            } else {
                let Some(p) = r.get("policy") else { continue };
                self.role_policy(r.input, p, node())
            };
            if let Some(v) = r.get(key) {
                for n in self.principals_of(r.input, v, kind) {
                    self.net.principals[n].policies.push(policy.clone());
                }
            }
        }
        for p in &mut self.net.principals {
            p.groups.sort_unstable();
            p.groups.dedup();
        }
        self.repositories();
    }

    fn repositories(&mut self) {
        let model = self.model();
        let mut by_res: HashMap<usize, usize> = HashMap::new();
        let mut by_name: HashMap<(bool, usize, String), usize> = HashMap::new();
        for (public, rtype) in [
            (false, "aws_ecr_repository"),
            (true, "aws_ecrpublic_repository"),
        ] {
            for &i in self.ix.of_type(false, rtype) {
                let r = &model.resources[i];
                let name = text(r, if public { "repository_name" } else { "name" });
                let n = self.net.repositories.len();
                by_res.insert(i, n);
                if let Some(name) = &name {
                    by_name.insert((public, r.input, name.clone()), n);
                }
                self.net.repositories.push(Repository {
                    node: node_of(r, i),
                    public,
                    name,
                    arn: text(r, "arn"),
                    policies: Vec::new(),
                });
            }
        }
        for (public, rtype, key) in [
            (false, "aws_ecr_repository_policy", "repository"),
            (true, "aws_ecrpublic_repository_policy", "repository_name"),
        ] {
            for &i in self.ix.of_type(false, rtype) {
                let r = &model.resources[i];
                let Some(v) = r.get(key) else { continue };
                let repo_type = if public {
                    "aws_ecrpublic_repository"
                } else {
                    "aws_ecr_repository"
                };
                let found = self
                    .ix
                    .find(r.input, v, &|x: &Resource| x.rtype() == repo_type);
                let mut repos: Vec<usize> = found
                    .resources
                    .iter()
                    .chain(found.others.iter().map(|(o, _)| o))
                    .filter_map(|o| by_res.get(o).copied())
                    .collect();
                for l in found.literals.iter().chain(found.ids.iter()) {
                    if let Some(&n) = by_name.get(&(public, r.input, l.clone())) {
                        repos.push(n);
                    }
                }
                let Some(p) = r.get("policy") else { continue };
                let policy = self.role_policy(r.input, p, node_of(r, i));
                for n in repos {
                    self.net.repositories[n].policies.push(policy.clone());
                }
            }
        }
    }

    /// The principals of one kind a value (name, ARN, or reference) names.
    pub(super) fn principals_of(
        &self,
        input: usize,
        v: &Value,
        kind: PrincipalKind,
    ) -> Vec<PrincipalIdx> {
        let rtype = kind.resource_type();
        let want = |x: &Resource| x.rtype() == rtype;
        let found = self.ix.find(input, v, &want);
        let mut out = BTreeSet::new();
        for i in found
            .resources
            .iter()
            .chain(found.others.iter().map(|(o, _)| o))
        {
            if let Some(&n) = self.principals.by_res.get(i) {
                out.insert(n);
            }
        }
        for s in found.literals.iter().chain(found.ids.iter()) {
            if let Some(n) = self.principal_by_name_or_arn(input, s, kind) {
                out.insert(n);
            }
        }
        out.into_iter().collect()
    }

    /// A principal by name, or by ARN (also a role whose own ARN is known only after apply,
    /// matched by the name in the ARN).
    pub(super) fn principal_by_name_or_arn(
        &self,
        input: usize,
        s: &str,
        kind: PrincipalKind,
    ) -> Option<PrincipalIdx> {
        let k = kind.resource_type();
        let name = s.rsplit('/').next().unwrap_or(s);
        if let Some(&n) = self
            .principals
            .by_id
            .get(&format!("{k}:name:{input}:{name}"))
        {
            return Some(n);
        }
        if let Some(&n) = self.principals.by_id.get(&format!("arn:{s}")) {
            return Some(n);
        }
        let marker = match kind {
            PrincipalKind::Role => ":role/",
            PrincipalKind::User => ":user/",
            PrincipalKind::Group => ":group/",
        };
        if s.starts_with("arn:") && s.contains(marker) {
            return self
                .principals
                .by_id
                .get(&format!("{k}:anyname:{name}"))
                .copied();
        }
        None
    }

    /// The roles a value (role name, ARN, or reference) names.
    pub(super) fn roles_of(&self, input: usize, v: &Value) -> Vec<PrincipalIdx> {
        self.principals_of(input, v, PrincipalKind::Role)
    }

    fn role_policy(&self, input: usize, v: &Value, source: Node) -> AttachedPolicy {
        match self.policy_document(input, v) {
            Ok((json, _)) => AttachedPolicy::Document { json, source },
            Err(DocError::Invalid(e)) => AttachedPolicy::Unknown {
                reason: format!("{}: {e}", source.name()),
                source,
            },
            Err(DocError::Unknown(why)) => AttachedPolicy::Unknown {
                reason: format!(
                    "{}: the policy is not known before apply ({why})",
                    source.name()
                ),
                source,
            },
        }
    }

    /// A policy attached by ARN: a policy of the input (by reference or by its ARN), or an
    /// AWS managed policy for the policy engine to look up.
    fn managed_policy(&self, input: usize, v: &Value, source: Node) -> AttachedPolicy {
        let want = |x: &Resource| x.rtype() == "aws_iam_policy";
        let found = self.ix.find(input, v, &want);
        if let Some(&i) = found.resources.first() {
            let p = self.ix.res(i);
            return match p.get("policy") {
                Some(doc) => self.role_policy(p.input, doc, node_of(p, i)),
                None => AttachedPolicy::Unknown {
                    reason: format!("the document of {} is not in the input", p.address),
                    source,
                },
            };
        }
        if let Some(arn) = found.literals.first().or(found.ids.first()) {
            return AttachedPolicy::Managed {
                arn: arn.clone(),
                source,
            };
        }
        if let Some((i, _)) = found.others.first() {
            return AttachedPolicy::Unknown {
                reason: format!(
                    "{}: the attached policy {} is not a policy of the input",
                    source.name(),
                    self.ix.res(*i).address
                ),
                source,
            };
        }
        AttachedPolicy::Unknown {
            reason: format!(
                "{}: the attached policy is not known before apply ({})",
                source.name(),
                join_reasons(&found.gaps)
            ),
            source,
        }
    }

    // ---- placement ----

    fn declared(&mut self) {
        for d in self.opts.declared.clone() {
            let vpcs: Vec<VpcIdx> = if d.vpc == "*" {
                (0..self.net.vpcs.len())
                    .filter(|&v| !self.net.vpcs[v].node.is_external())
                    .collect()
            } else {
                let hit: Vec<VpcIdx> = (0..self.net.vpcs.len())
                    .filter(|&v| {
                        let n = &self.net.vpcs[v].node;
                        n.address.as_deref() == Some(d.vpc.as_str())
                            || n.id.as_deref() == Some(d.vpc.as_str())
                    })
                    .collect();
                match self.vpcs.by_id.get(d.vpc.as_str()) {
                    // A VPC the input names only by id (subnets of an existing VPC).
                    Some(&v) if hit.is_empty() => vec![v],
                    _ => hit,
                }
            };
            if vpcs.is_empty() {
                let mut names: Vec<String> = self
                    .net
                    .vpcs
                    .iter()
                    .filter(|v| !v.node.is_external() || d.vpc != "*")
                    .map(|v| v.node.name())
                    .collect();
                names.sort();
                names.dedup();
                let read = match names.len() {
                    0 => "the input defines no VPC".to_string(),
                    n if n <= 5 => format!("the VPCs read are {}", names.join(", ")),
                    n => format!(
                        "the VPCs read are {} and {} more",
                        names[..5].join(", "),
                        n - 5
                    ),
                };
                self.net.unmatched_declarations.push(format!(
                    "--workload {}={}: no VPC of the input matches {:?} ({read})",
                    d.vpc,
                    d.platform.as_str(),
                    d.vpc
                ));
            }
            for v in vpcs {
                workload::declare(self, v, d.platform);
            }
        }
    }

    /// Fills the per-VPC lists.
    fn attach(&mut self) {
        let net = &mut self.net;
        for (s, x) in net.subnets.iter().enumerate() {
            if let Fact::Known(v) = x.vpc {
                net.vpcs[v].subnets.push(s);
            }
        }
        for (t, x) in net.route_tables.iter().enumerate() {
            if let Fact::Known(v) = x.vpc {
                net.vpcs[v].route_tables.push(t);
            }
        }
        for (e, x) in net.endpoints.iter().enumerate() {
            match x.vpc {
                Fact::Known(v) => net.vpcs[v].endpoints.push(e),
                Fact::Unknown(_) => net.unplaced_endpoints.push(e),
            }
        }
        for (g, x) in net.security_groups.iter().enumerate() {
            if let Fact::Known(v) = x.vpc {
                net.vpcs[v].security_groups.push(g);
            }
        }
        for (w, x) in net.workloads.iter().enumerate() {
            match x.vpc {
                Fact::Known(v) => net.vpcs[v].workloads.push(w),
                Fact::Unknown(_) => net.unplaced.push(w),
            }
        }
    }

    /// Decides each VPC's region and partition, from the most to the least direct evidence.
    fn regions(&mut self) {
        let model = self.model();
        for v in 0..self.net.vpcs.len() {
            let vpc = &self.net.vpcs[v];
            let res = vpc.node.resource.map(|i| &model.resources[i]);
            let mut found: Option<(String, String)> = None;
            if let Some(r) = res {
                if let Some(reg) = text(r, "region") {
                    found = Some((reg, "the VPC's region attribute".into()));
                } else if let Some(reg) = text(r, "arn").and_then(|a| arn_region(&a)) {
                    found = Some((reg, "the VPC's ARN".into()));
                } else if let Some(reg) = r.region.clone() {
                    found = Some((reg, "the provider configuration".into()));
                }
            }
            if found.is_none() {
                found = vpc.subnets.iter().find_map(|&s| {
                    let az = self.net.subnets[s].az.known()?;
                    region_of_az(az).map(|r| (r, "subnet availability zones".to_string()))
                });
            }
            if found.is_none() {
                found = vpc.endpoints.iter().find_map(|&e| {
                    let svc = self.net.endpoints[e].service.known()?;
                    svc.region
                        .clone()
                        .map(|r| (r, "endpoint service names".to_string()))
                });
            }
            if found.is_none() {
                if let Some(input) = vpc.node.input {
                    if let Some(reg) = model.inputs.get(input).and_then(|i| i.region.clone()) {
                        found = Some((reg, "the provider configuration".into()));
                    }
                }
            }
            if found.is_none() {
                // A VPC known only by id: the provider region of the resources placed in it.
                let inputs = vpc
                    .workloads
                    .iter()
                    .filter_map(|&w| self.net.workloads[w].node.resource)
                    .chain(
                        vpc.subnets
                            .iter()
                            .filter_map(|&s| self.net.subnets[s].node.resource),
                    );
                for i in inputs {
                    let r = &model.resources[i];
                    if let Some(reg) = r
                        .region
                        .clone()
                        .or_else(|| model.inputs.get(r.input).and_then(|x| x.region.clone()))
                    {
                        found = Some((
                            reg,
                            "the provider configuration of the resources in it".into(),
                        ));
                        break;
                    }
                }
            }
            if found.is_none() {
                if let Some(reg) = self.opts.region.clone() {
                    found = Some((reg, "--region".into()));
                }
            }
            let partition = res
                .and_then(|r| text(r, "arn"))
                .and_then(|a| a.split(':').nth(1).map(str::to_string))
                .or_else(|| {
                    found
                        .as_ref()
                        .map(|(r, _)| partition_of_region(r).to_string())
                })
                .unwrap_or_else(|| "aws".to_string());
            let vpc = &mut self.net.vpcs[v];
            vpc.partition = partition;
            match found {
                Some((reg, src)) => {
                    vpc.region = Fact::Known(reg);
                    vpc.region_source = src;
                }
                None => {
                    vpc.region = Fact::Unknown(format!(
                        "the region of {} is not in the input (set it with --region)",
                        vpc.node.name()
                    ));
                }
            }
        }
    }
}

/// JSON of a partly known value, with a marker for each part not known before apply.
fn with_markers(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::Number::from_f64(*n)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(with_markers).collect()),
        Value::Object(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, x)| (k.to_string(), with_markers(x)))
                .collect(),
        ),
        Value::Ref(r) => {
            let what: Vec<String> = r.targets.iter().map(ToString::to_string).collect();
            serde_json::Value::String(crate::policy::unknown_text(&what.join(" or ")))
        }
        Value::Unknown(u) => serde_json::Value::String(crate::policy::unknown_text(&u.reason)),
    }
}

pub(super) enum DocError {
    Invalid(String),
    Unknown(String),
}

fn external_endpoint(id: &str) -> Endpoint {
    let why = format!("the endpoint {id} is not in the input");
    Endpoint {
        node: id_node(id),
        vpc: Fact::Unknown(why.clone()),
        service: Fact::Unknown(why.clone()),
        kind: Fact::Unknown(why.clone()),
        private_dns: Fact::Unknown(why.clone()),
        subnets: Vec::new(),
        subnets_unknown: Some(why.clone()),
        security_groups: Vec::new(),
        security_groups_unknown: Some(why.clone()),
        uses_default_security_group: false,
        route_tables: Vec::new(),
        route_tables_unknown: Some(why.clone()),
        policy: EndpointPolicy::Unknown(why),
        prefix_list_id: None,
    }
}

fn protocol_of(v: Option<&Value>) -> Fact<Protocol> {
    match v.and_then(Value::as_text) {
        Some(p) => Fact::Known(match p.to_ascii_lowercase().as_str() {
            "-1" | "all" => Protocol::All,
            "tcp" | "6" => Protocol::Tcp,
            "udp" | "17" => Protocol::Udp,
            "icmp" | "1" => Protocol::Icmp,
            other => Protocol::Other(other.to_string()),
        }),
        None => Fact::Unknown(match v {
            Some(v) => v.undecided_reason().unwrap_or_else(|| "no protocol".into()),
            None => "no protocol".into(),
        }),
    }
}

/// Whether a rule could admit TCP 443 (used to decide if an unplaceable rule matters).
fn could_carry_443(rule: &SgRule) -> bool {
    match &rule.protocol {
        Fact::Known(Protocol::All) | Fact::Unknown(_) => true,
        Fact::Known(Protocol::Tcp) => {
            rule.from_port.is_none_or(|f| f <= 443) && rule.to_port.is_none_or(|t| t >= 443)
        }
        _ => false,
    }
}

/// Parses `com.amazonaws.us-west-2.ecr.dkr` (also `cn.com.amazonaws.…`, `aws.sagemaker.…`).
pub fn parse_service(full: &str) -> ServiceName {
    let rest = full
        .strip_prefix("cn.com.amazonaws.")
        .or_else(|| full.strip_prefix("com.amazonaws."));
    if let Some(rest) = rest {
        if let Some((region, short)) = rest.split_once('.') {
            if looks_like_region(region) {
                return ServiceName {
                    full: full.to_string(),
                    short: short.to_string(),
                    region: Some(region.to_string()),
                };
            }
        }
        return ServiceName {
            full: full.to_string(),
            short: rest.to_string(),
            region: None,
        };
    }
    ServiceName {
        full: full.to_string(),
        short: full.to_string(),
        region: None,
    }
}

fn service_short(r: &Resource) -> Option<String> {
    r.get("service_name")
        .and_then(Value::as_str)
        .map(|s| parse_service(s).short)
}

/// `us-west-2`, `cn-north-1`, `us-gov-west-1`, `eu-central-2`, `il-central-1`.
pub fn looks_like_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
}

/// `us-west-2a` -> `us-west-2`; local zones `us-west-2-lax-1a` -> `us-west-2`.
pub fn region_of_az(az: &str) -> Option<String> {
    let parts: Vec<&str> = az.split('-').collect();
    for end in (3..=parts.len()).rev() {
        let mut candidate = parts[..end].join("-");
        if looks_like_region(&candidate) {
            return Some(candidate);
        }
        // Drop the zone letter: `us-west-2a`.
        while candidate.ends_with(|c: char| c.is_ascii_lowercase()) {
            candidate.pop();
        }
        if looks_like_region(&candidate) {
            return Some(candidate);
        }
    }
    None
}

fn arn_region(arn: &str) -> Option<String> {
    let r = arn.split(':').nth(3)?;
    looks_like_region(r).then(|| r.to_string())
}

/// The partition of a region: `cn-` regions are `aws-cn`, `us-gov-` are `aws-us-gov`.
pub fn partition_of_region(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("eusc-") {
        "aws-eusc"
    } else {
        "aws"
    }
}

/// Ordered map helper used by workloads (container log options).
pub(super) fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    v.and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.to_string(), v.as_text()?)))
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn found_reason(r: &Resource, what: &str, f: &Found) -> String {
    format!("{}.{what}: {}", r.address, join_reasons(&f.gaps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_services() {
        assert_eq!(region_of_az("us-west-2a").as_deref(), Some("us-west-2"));
        assert_eq!(
            region_of_az("us-west-2-lax-1a").as_deref(),
            Some("us-west-2")
        );
        assert_eq!(region_of_az("cn-north-1b").as_deref(), Some("cn-north-1"));
        assert_eq!(
            region_of_az("us-gov-west-1a").as_deref(),
            Some("us-gov-west-1")
        );
        let s = parse_service("com.amazonaws.us-west-2.ecr.dkr");
        assert_eq!(
            (s.short.as_str(), s.region.as_deref()),
            ("ecr.dkr", Some("us-west-2"))
        );
        let s = parse_service("cn.com.amazonaws.cn-north-1.ecr.api");
        assert_eq!(
            (s.short.as_str(), s.region.as_deref()),
            ("ecr.api", Some("cn-north-1"))
        );
        assert_eq!(partition_of_region("cn-northwest-1"), "aws-cn");
    }
}
