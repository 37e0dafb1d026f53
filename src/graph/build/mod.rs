//! Builds the [`Network`] from the [`Model`].
//!
//! One pass per resource kind, in dependency order (VPCs, subnets, route tables, routes,
//! associations, security groups, rules, endpoints, roles, repositories, workloads), each in
//! the module of its kind. Every join goes through the [`Index`](crate::graph::index) (hash
//! lookups), so the whole build is linear in the number of resources and references.
//!
//! [`builder`] holds the state and the helpers all passes share, [`registry`] the node
//! registries; neither depends on a kind. A kind module reads its resources and offers lookups
//! to the kinds after it (`vpc_of`, `subnets_of`, `sgs_of`, …); only this module runs the
//! passes.

mod association;
mod batch;
mod builder;
mod container;
mod declared;
mod dns;
mod document;
mod ecr;
mod ecs;
mod endpoint;
mod express;
mod hosts;
mod iam;
mod instances;
mod job_definition;
mod launchers;
mod nacl;
mod prefix_list;
mod region;
mod registry;
mod route;
mod route_table;
mod security_group;
mod sg_rule;
mod subnet;
mod vpc;
mod workload;
mod zones;

/// The naming facts that lived here, for code that still imports them from `graph::build`.
pub use crate::aws::{looks_like_region, parse_service, partition_of_region, region_of_az};
use builder::Builder;

use crate::graph::{Fact, Network, Platform};
use crate::model::Model;

/// The top-level attributes the graph reads, per resource type: each file's `READS`, and the
/// workloads of scheduled tasks read here. The input readers keep these (see
/// [`crate::model::kept_attributes`]).
pub(crate) const READS: &[&[(&str, &[&str])]] = &[
    vpc::READS,
    subnet::READS,
    route_table::READS,
    association::READS,
    route::READS,
    endpoint::READS,
    security_group::READS,
    sg_rule::READS,
    ecs::READS,
    express::READS,
    batch::READS,
    job_definition::READS,
    hosts::READS,
    instances::READS,
    container::READS,
    ecr::READS,
    dns::READS,
    nacl::READS,
    zones::READS,
    launchers::READS,
    &[
        ("aws_cloudwatch_event_target", &["ecs_target"]),
        ("aws_scheduler_schedule", &["target"]),
    ],
];

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
    build_with(model, opts, &|_| {})
}

/// [`build`], marking each group of passes for `PULLPATH_TIMINGS=2` (the run's own graph; the
/// graphs of the worlds of undecided values, built inside the rules, are not marked).
pub fn build_timed(model: &Model, opts: &BuildOptions) -> Network {
    build_with(model, opts, &crate::timings::detail)
}

fn build_with(model: &Model, opts: &BuildOptions, step: &dyn Fn(&str)) -> Network {
    let mut b = Builder::new(model, opts);
    step("graph: indexes");
    b.net.resources_read = model.resource_count();
    b.net.inputs_read = model.inputs.len();
    b.vpcs();
    step("graph: VPCs");
    b.subnets();
    step("graph: subnets");
    b.route_tables();
    b.routes();
    b.associations();
    step("graph: route tables, routes, associations");
    b.security_groups();
    b.security_group_rules();
    step("graph: security groups and rules");
    b.endpoints();
    step("graph: endpoints");
    b.dns_settings();
    b.network_acls();
    b.hosted_zones();
    step("graph: DNS, network ACLs, hosted zones");
    b.principals();
    b.repositories();
    b.registry_policies();
    b.pull_through_prefixes();
    b.iam_policies();
    b.input_accounts();
    b.net.exports = b.model().inputs.iter().map(|i| i.exports.clone()).collect();
    step("graph: IAM principals, repositories, registry");
    workloads(&mut b);
    b.declared();
    step("graph: workloads");
    attach(&mut b.net);
    b.regions();
    b.net
}

/// ECS services, Batch compute environments and scheduled ECS tasks, with the containers of
/// every task and job definition read beforehand on all cores, and the container instances
/// that join each ECS cluster.
fn workloads(b: &mut Builder<'_>) {
    b.cluster_strategies = ecs::cluster_strategies(b);
    b.capacity_providers = hosts::providers_by_name(b);
    (b.cluster_members, b.undecided_members) = instances::joins(b);
    let model = b.model();
    let definitions: Vec<(usize, bool)> = model
        .resources
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r.rtype() {
            "aws_ecs_task_definition" => Some((i, false)),
            "aws_batch_job_definition" => Some((i, true)),
            _ => None,
        })
        .collect();
    let this = &*b;
    let read = crate::parallel::map(definitions.clone(), 256, &|(i, batch)| {
        let r = &model.resources[i];
        if batch {
            job_definition::containers(this, r)
        } else {
            container::containers_of(this, r, r.get("container_definitions"), false)
        }
    });
    b.containers = definitions.into_iter().map(|(i, _)| i).zip(read).collect();
    for (i, r) in model.resources.iter().enumerate() {
        if r.is_data() {
            continue;
        }
        match r.rtype() {
            "aws_ecs_service" | "aws_ecs_task_set" => ecs::ecs_service(b, r, i),
            "aws_ecs_express_gateway_service" => express::express_service(b, r, i),
            "aws_batch_compute_environment" => batch::batch(b, r, i),
            "aws_cloudwatch_event_target" => {
                if let Some(t) = r.get("ecs_target").and_then(workload::first_block) {
                    ecs::ecs_task(b, r, i, t, false);
                }
            }
            "aws_scheduler_schedule" => {
                match r
                    .values
                    .path(&["target", "ecs_parameters"])
                    .and_then(workload::first_block)
                {
                    Some(t) => ecs::ecs_task(b, r, i, t, true),
                    None => launchers::scheduler_universal(b, r, i),
                }
            }
            "aws_sfn_state_machine" => launchers::state_machine(b, r, i),
            "aws_pipes_pipe" => launchers::pipe(b, r, i),
            _ => {}
        }
    }
}

/// Fills the per-VPC lists, and the lists of what could not be placed.
fn attach(net: &mut Network) {
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
