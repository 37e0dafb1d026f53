//! The state of one graph build: the [`Builder`] every pass works on, with a node [`Registry`]
//! per kind, and the helpers all passes share (the node of a resource, attribute readers,
//! which resource types are which kind). It depends on no kind module: they all depend on it.

use crate::hash::FastMap;
use std::collections::{BTreeMap, BTreeSet};

use super::registry::Registry;
use super::BuildOptions;
use crate::graph::index::{Found, Index};
use crate::graph::{
    Container, Endpoint, EndpointPolicy, Fact, Network, Principal, RouteTable, RouteTableIdx,
    SecurityGroup, SgIdx, Subnet, Vpc, VpcIdx,
};
use crate::model::{Model, Resource, Value};

/// The state of one build: the network so far, the node registries, and what passes read
/// beforehand for later ones.
pub(super) struct Builder<'m> {
    pub(super) ix: Index<'m>,
    pub(super) net: Network,
    pub(super) opts: &'m BuildOptions,
    pub(super) vpcs: Registry<Vpc>,
    pub(super) subnets: Registry<Subnet>,
    pub(super) route_tables: Registry<RouteTable>,
    pub(super) sgs: Registry<SecurityGroup>,
    pub(super) endpoints: Registry<Endpoint>,
    pub(super) principals: Registry<Principal>,
    pub(super) implicit_main: FastMap<VpcIdx, RouteTableIdx>,
    pub(super) implicit_default_sg: FastMap<VpcIdx, SgIdx>,
    /// Each ECS cluster's `aws_ecs_cluster_capacity_providers` (model indices).
    pub(super) cluster_strategies: FastMap<usize, usize>,
    /// Each `aws_ecs_capacity_provider` by (input, name).
    pub(super) capacity_providers: FastMap<(usize, String), usize>,
    /// The Auto Scaling groups and instances whose user data joins a cluster, by (input,
    /// cluster name); and those whose user data cannot be read (input, model index, why).
    pub(super) cluster_members: FastMap<(usize, String), Vec<usize>>,
    pub(super) undecided_members: Vec<(usize, usize, String)>,
    /// The containers of each task and job definition (model index), read beforehand on all
    /// cores: parsing container definitions is most of the cost of finding workloads.
    pub(super) containers: FastMap<usize, (Vec<Container>, Option<String>)>,
    /// Each endpoint's policy (model index), read beforehand on all cores.
    pub(super) policies: FastMap<usize, EndpointPolicy>,
    /// Managed `aws_vpc` resources by (input, module instance), for the "a module with exactly
    /// one VPC owns its subnets" inference when a reference goes through `local.*`.
    pub(super) vpcs_in_module: FastMap<(usize, String), Vec<usize>>,
}

impl<'m> Builder<'m> {
    /// A builder over `model` with no node yet.
    pub(super) fn new(model: &'m Model, opts: &'m BuildOptions) -> Self {
        Builder {
            ix: Index::new(model),
            net: Network::default(),
            opts,
            vpcs: Registry::default(),
            subnets: Registry::default(),
            route_tables: Registry::default(),
            sgs: Registry::default(),
            endpoints: Registry::default(),
            principals: Registry::default(),
            implicit_main: FastMap::default(),
            implicit_default_sg: FastMap::default(),
            vpcs_in_module: FastMap::default(),
            cluster_strategies: FastMap::default(),
            capacity_providers: FastMap::default(),
            cluster_members: FastMap::default(),
            undecided_members: Vec::new(),
            containers: FastMap::default(),
            policies: FastMap::default(),
        }
    }

    pub(super) fn model(&self) -> &'m Model {
        self.ix.model
    }
}

pub(super) fn is_vpc(r: &Resource) -> bool {
    matches!(r.rtype(), "aws_vpc" | "aws_default_vpc")
}
pub(super) fn is_subnet(r: &Resource) -> bool {
    matches!(r.rtype(), "aws_subnet" | "aws_default_subnet")
}
pub(super) fn is_route_table(r: &Resource) -> bool {
    matches!(r.rtype(), "aws_route_table" | "aws_default_route_table")
}
pub(super) fn is_sg(r: &Resource) -> bool {
    matches!(
        r.rtype(),
        "aws_security_group" | "aws_default_security_group"
    )
}
pub(super) fn is_endpoint(r: &Resource) -> bool {
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

pub(super) fn join_reasons(gaps: &[String]) -> String {
    let mut seen = BTreeSet::new();
    gaps.iter()
        .filter(|g| seen.insert(g.as_str()))
        .cloned()
        .collect::<Vec<_>>()
        .join("; ")
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
