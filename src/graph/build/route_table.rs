//! Route tables (`aws_route_table`, `aws_default_route_table`) with their inline routes, the
//! VPC's main table (managed or implicit), and [`Builder::route_tables_of`].

use std::collections::BTreeSet;

use super::builder::{is_route_table, is_vpc, join_reasons, Builder};
use super::registry::Placeholder;
use crate::graph::{Fact, Node, RouteTable, RouteTableIdx, VpcIdx};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    ("aws_route_table", TABLE),
    ("aws_default_route_table", TABLE),
    ("aws_vpc", &["default_route_table_id"]),
    ("aws_default_vpc", &["default_route_table_id"]),
];
const TABLE: &[&str] = &["route", "default_route_table_id", "propagating_vgws"];

impl Builder<'_> {
    pub(super) fn route_tables(&mut self) {
        let model = self.model();
        for (i, r) in model.resources.iter().enumerate() {
            if is_table(r) {
                self.route_tables
                    .get_or_insert(&self.ix, &mut self.net.route_tables, i, &is_table);
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
            // Routes a VPN gateway propagates (BGP, from the other side of the VPN) are not in
            // the input: they may include 0.0.0.0/0 (egress through the data centre).
            if unknown.is_none() && !r.is_data() {
                match r.get("propagating_vgws") {
                    Some(Value::List(l)) if l.is_empty() => {}
                    None | Some(Value::Null) => {}
                    Some(v) if v.is_not_configured() => {}
                    Some(_) => unknown = Some(propagated(&r.address)),
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
    pub(super) fn vpc_of_default_table(&mut self, r: &Resource) -> Fact<VpcIdx> {
        if let Some(Value::String(_)) = r.get("vpc_id") {
            return self.vpc_of(r, "vpc_id");
        }
        if let Some(v) = r.get("default_route_table_id") {
            let found = self.ix.find(r.input, v, &is_vpc);
            for (i, _) in &found.others {
                if is_vpc(self.ix.res(*i)) {
                    if let Some(n) = self.vpcs.of_resource(*i) {
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
                        if let Some(n) = self.vpcs.of_resource(j) {
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

    /// The route tables a value points at; `aws_vpc.x.main_route_table_id` /
    /// `default_route_table_id` before apply means the VPC's main table.
    pub(super) fn route_tables_of(
        &mut self,
        r: &Resource,
        v: &Value,
    ) -> (Vec<RouteTableIdx>, Option<String>) {
        let found = self.ix.find(r.input, v, &is_table);
        let mut out = BTreeSet::new();
        for &i in &found.resources {
            out.insert(self.route_tables.get_or_insert(
                &self.ix,
                &mut self.net.route_tables,
                i,
                &is_table,
            ));
        }
        for id in &found.ids {
            out.insert(
                self.route_tables
                    .get_or_insert_id(&mut self.net.route_tables, id),
            );
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
                if let Some(vpc) = self.vpcs.of_resource(*i) {
                    out.insert(self.main_table_of(vpc));
                    continue;
                }
            }
            // The id or ARN of a resource of another type (a subnet's id given as a route
            // table id) is never a route table's: no table, not an undecided one (AWS refuses
            // it at apply, so nothing is routed through it either).
            if matches!(attr.as_deref(), Some("id" | "arn")) && !x.rtype().contains("route_table") {
                continue;
            }
            gaps.push(format!("refers to {} for a route table", x.address));
        }
        let gap = (!gaps.is_empty()).then(|| join_reasons(&gaps));
        (out.into_iter().collect(), gap)
    }

    /// The VPC's main route table, creating the implicit one Terraform does not manage.
    pub(super) fn main_table_of(&mut self, vpc: VpcIdx) -> RouteTableIdx {
        if let Fact::Known(t) = self.net.vpcs[vpc].main_route_table {
            return t;
        }
        if let Some(&t) = self.implicit_main.get(&vpc) {
            return t;
        }
        let name = format!("{} (main route table)", self.net.vpcs[vpc].node.name());
        let mut main = RouteTable::placeholder(Node {
            address: Some(name),
            ..Node::default()
        });
        // Not outside the input: a new VPC's main table has only the local route, plus any
        // `aws_route` that targets it. The default VPC (`aws_default_vpc`, which Terraform
        // adopts) and a VPC the input reads or names were not created by it: AWS gave the
        // default VPC's main table a 0.0.0.0/0 route to its internet gateway (Amazon VPC User
        // Guide, "Default VPC components"), and what another stack's holds is not in the input.
        let node = &self.net.vpcs[vpc].node;
        let created = !node.data
            && node
                .resource
                .is_some_and(|i| self.ix.res(i).rtype() == "aws_vpc");
        main.routes_unknown = (!created).then(|| {
            format!(
                "the main route table of {} is not managed by the input ({})",
                node.name(),
                if node.resource.is_some_and(|i| self.ix.res(i).rtype() == "aws_default_vpc") {
                    "the default VPC's main table routes 0.0.0.0/0 to its internet gateway unless it was changed"
                } else {
                    "the VPC is not created by the input"
                }
            )
        });
        main.implicit_main = true;
        main.vpc = Fact::Known(vpc);
        let t = self.route_tables.add(&mut self.net.route_tables, main);
        self.implicit_main.insert(vpc, t);
        t
    }
}

/// Route tables and the data sources that read them.
fn is_table(x: &Resource) -> bool {
    is_route_table(x) || (x.is_data() && x.rtype() == "aws_route_table")
}

/// A route table before its routes are read, or one the input names only by id.
impl Placeholder for RouteTable {
    fn placeholder(node: Node) -> RouteTable {
        let ext = node.is_external();
        let why = format!("the route table {} is not in the input", node.name());
        RouteTable {
            vpc: Fact::Unknown(why.clone()),
            routes: Vec::new(),
            routes_unknown: ext.then_some(why),
            implicit_main: false,
            node,
        }
    }
}

/// Why the routes of a table that a VPN gateway propagates to are not all known.
pub(super) fn propagated(table: &str) -> String {
    format!(
        "{table} learns routes from a VPN gateway (route propagation), which the input does not \
         show: they may include 0.0.0.0/0"
    )
}
