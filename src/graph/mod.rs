//! The network graph of each VPC: subnets and their effective route tables, routes, endpoints,
//! security groups with their rules, workloads with their containers, and IAM roles.
//!
//! Nodes live in arenas on [`Network`] and refer to each other by index, so one security group
//! shared by two VPCs' resources, or a role used by several workloads, is one node. A fact that
//! cannot be decided from the input is a [`Fact::Unknown`] with the reason: the rules turn it
//! into an `unknown` verdict, never into a pass.

pub mod build;
pub mod cidr;
mod index;
pub mod render;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use crate::aws::ServiceName;
pub use build::{build, build_timed, BuildOptions, DeclaredWorkload};
pub use cidr::Ipv4Net;

pub use crate::model::Location;
use crate::policy::{Policy, PolicyError};

/// A decided fact, or the reason it cannot be decided.
#[derive(Clone, Debug, PartialEq)]
pub enum Fact<T> {
    Known(T),
    Unknown(String),
}

impl<T> Fact<T> {
    pub fn known(&self) -> Option<&T> {
        match self {
            Fact::Known(t) => Some(t),
            Fact::Unknown(_) => None,
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Fact::Known(_) => None,
            Fact::Unknown(r) => Some(r),
        }
    }

    pub fn as_ref(&self) -> Fact<&T> {
        match self {
            Fact::Known(t) => Fact::Known(t),
            Fact::Unknown(r) => Fact::Unknown(r.clone()),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Fact<U> {
        match self {
            Fact::Known(t) => Fact::Known(f(t)),
            Fact::Unknown(r) => Fact::Unknown(r),
        }
    }
}

/// Where a node came from: a resource of the input (address and id), or only an id that the
/// input refers to without defining it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Node {
    pub address: Option<String>,
    pub id: Option<String>,
    /// Index of the input file.
    pub input: Option<usize>,
    /// Index into the model's resources.
    pub resource: Option<usize>,
    pub location: Option<Location>,
    /// Where each top-level attribute (and `block.attribute` one level down) is written, for
    /// findings that point at the attribute at fault (see [`Node::location_of`]).
    pub attr_locations: Arc<[(String, Location)]>,
    /// True when the node comes from a data source (defined elsewhere, read here).
    pub data: bool,
    /// The name of the resource's root in a run of several inputs (see
    /// [`crate::model::InputInfo::root`]): [`Node::name`] writes it before the address.
    /// `address` stays the address inside the root, which fixes refer to.
    pub root: Option<Arc<str>>,
}

impl Node {
    /// The name shown to users: the address when there is one (after its root's name in a run
    /// of several inputs), else the id.
    pub fn name(&self) -> String {
        match &self.address {
            Some(a) => crate::model::qualified(self.root.as_ref(), a).into_owned(),
            None => self.id.clone().unwrap_or_else(|| "(unnamed)".to_string()),
        }
    }

    /// The address as reports name it (after its root's name in a run of several inputs).
    pub fn qualified_address(&self) -> Option<String> {
        self.address
            .as_deref()
            .map(|a| crate::model::qualified(self.root.as_ref(), a).into_owned())
    }

    /// Where attribute `attr` is written, else where the block starts: the location of a
    /// finding whose fault is that attribute (`policy`, `security_group_ids`, …).
    pub fn location_of(&self, attr: &str) -> Option<Location> {
        self.attr_locations
            .iter()
            .find(|(a, _)| a == attr)
            .map(|(_, l)| l.clone())
            .or_else(|| self.location.clone())
    }

    /// The first of `attrs` that is written, else where the block starts.
    pub fn location_of_any(&self, attrs: &[&str]) -> Option<Location> {
        attrs
            .iter()
            .find_map(|a| self.attr_locations.iter().find(|(n, _)| n == a))
            .map(|(_, l)| l.clone())
            .or_else(|| self.location.clone())
    }

    /// True when the input only refers to this object by id.
    pub fn is_external(&self) -> bool {
        self.resource.is_none()
    }
}

pub type VpcIdx = usize;
pub type SubnetIdx = usize;
pub type RouteTableIdx = usize;
pub type EndpointIdx = usize;
pub type SgIdx = usize;
pub type NaclIdx = usize;
pub type WorkloadIdx = usize;
pub type PrincipalIdx = usize;

/// Everything read from the inputs, as a graph.
#[derive(Debug, Default)]
pub struct Network {
    pub vpcs: Vec<Vpc>,
    pub subnets: Vec<Subnet>,
    pub route_tables: Vec<RouteTable>,
    pub endpoints: Vec<Endpoint>,
    pub security_groups: Vec<SecurityGroup>,
    pub network_acls: Vec<NetworkAcl>,
    pub workloads: Vec<Workload>,
    pub principals: Vec<Principal>,
    pub repositories: Vec<Repository>,
    /// Managed `aws_iam_policy` resources of the input, attached or not, in input order.
    pub iam_policies: Vec<IamPolicy>,
    /// `aws_ecr_registry_policy` documents, with the region of their provider configuration.
    pub registry_policies: Vec<RegistryPolicy>,
    /// Per input: the AWS account it deploys into, when the input says so without
    /// contradiction (its providers' `allowed_account_ids`, `data.aws_caller_identity`, the
    /// owner of its VPCs, the ARNs of its roles and repositories); else why not.
    pub input_accounts: Vec<Fact<String>>,
    /// Per input: the accounts its providers pin when they pin more than one (a repository
    /// managed through an aliased provider of another account): a repository of the input is
    /// then not surely in the workload's account.
    pub several_accounts: Vec<Option<String>>,
    /// Per input: what its root module can write for an attribute of a resource inside a module
    /// (`module.vpc.aws_vpc.this[0].id` → `module.vpc.vpc_id`), sorted (see
    /// [`crate::model::InputInfo::exports`]).
    pub exports: Vec<Vec<(String, String)>>,
    /// `ecr_repository_prefix` of every `aws_ecr_pull_through_cache_rule` in the input, sorted
    /// and without duplicates.
    pub pull_through_prefixes: Vec<String>,
    /// The subnet of each NAT gateway of the input that a route targets, by the gateway's index
    /// into the model's resources: a public NAT gateway reaches the internet only where its own
    /// subnet routes to an internet gateway.
    pub nat_subnets: crate::hash::FastMap<usize, Fact<SubnetIdx>>,
    /// Workloads whose VPC could not be decided (indices into `workloads`).
    pub unplaced: Vec<WorkloadIdx>,
    /// Endpoints whose VPC could not be decided (each may belong to any VPC of its input).
    pub unplaced_endpoints: Vec<EndpointIdx>,
    /// Association resources (`aws_vpc_endpoint_route_table_association`, `…_subnet_…`,
    /// `…_security_group_…`, `aws_vpc_endpoint_policy`) whose endpoint is not decided but is
    /// one of a few endpoints of the input: [`crate::worlds`] checks each. They are also
    /// counted, as before, as maybe applying to every endpoint of their input (the `*_unknown`
    /// reasons; a policy makes the policy of each endpoint unknown).
    pub endpoint_choices: Vec<EndpointChoice>,
    /// `--workload` (or configuration file) declarations that matched no VPC of the input, with
    /// why: a declaration that checks nothing must not look like a pass.
    pub unmatched_declarations: Vec<String>,
    /// Resources of the input counted for the summary line.
    pub resources_read: usize,
    pub inputs_read: usize,
}

#[derive(Debug)]
pub struct Vpc {
    pub node: Node,
    pub region: Fact<String>,
    /// Where the region came from ("provider configuration", "subnet availability zones", …).
    pub region_source: String,
    /// `aws`, `aws-cn`, `aws-us-gov`, …
    pub partition: String,
    /// The primary block first, then the secondary blocks of
    /// `aws_vpc_ipv4_cidr_block_association`s whose block is known.
    pub cidrs: Vec<Ipv4Net>,
    pub cidr_unknown: Option<String>,
    /// Why the VPC may have blocks `cidrs` does not list (an association whose block is not
    /// known before apply, an IPAM pool's).
    pub secondary_unknown: Option<String>,
    /// How many secondary blocks of known range `cidrs` lists after the primary one.
    pub secondary_blocks: usize,
    pub dns_support: Fact<bool>,
    pub dns_hostnames: Fact<bool>,
    /// `enable_dns_support` / `enable_dns_hostnames` are not set in the input (Terraform's
    /// defaults apply), as opposed to set to their value.
    pub dns_support_unset: bool,
    pub dns_hostnames_unset: bool,
    /// The 12-digit account that owns the VPC, when the input says (`owner_id`, else `arn`).
    pub owner_account: Option<String>,
    pub main_route_table: Fact<RouteTableIdx>,
    pub default_security_group: Option<SgIdx>,
    /// `aws_default_network_acl` of the VPC, when the input manages it: the network ACL of its
    /// subnets without an association.
    pub default_network_acl: Option<NaclIdx>,
    /// The DHCP options set and the Route 53 Resolver rules associated with the VPC: what
    /// decides whether its DNS queries reach the Amazon-provided resolver (PP203).
    pub dns: Vec<DnsSetting>,
    /// Route 53 private hosted zones associated with the VPC (`aws_route53_zone` with a `vpc`
    /// block, `aws_route53_zone_association`): a zone named like a service's hostname sends the
    /// VPC's queries for it to an endpoint elsewhere (a hub VPC).
    pub hosted_zones: Vec<HostedZone>,
    pub subnets: Vec<SubnetIdx>,
    pub route_tables: Vec<RouteTableIdx>,
    pub endpoints: Vec<EndpointIdx>,
    pub security_groups: Vec<SgIdx>,
    pub workloads: Vec<WorkloadIdx>,
    /// Data sources of other roots read as this VPC, each with how they were joined (see
    /// [`crate::roots`]): `services/data.aws_vpc.main (joined by equal lookups: …)`.
    pub joined: Vec<String>,
}

/// A Route 53 private hosted zone associated with a VPC.
#[derive(Clone, Debug, PartialEq)]
pub struct HostedZone {
    /// The zone (a node known only by id when the input does not define it).
    pub node: Node,
    /// Its name, lowercase and without the final dot.
    pub name: Fact<String>,
    /// The resource that associates it with the VPC (the zone itself for its `vpc` blocks).
    pub association: Node,
    /// Why the zone may not be associated with this VPC (the association's VPC is not decided).
    pub maybe: Option<String>,
}

/// A DHCP options set or a Route 53 Resolver rule associated with a VPC.
#[derive(Clone, Debug, PartialEq)]
pub struct DnsSetting {
    /// The options set or the rule (a node known only by id when the input does not define it).
    pub node: Node,
    /// The association resource.
    pub association: Node,
    /// Why the setting may not apply to this VPC (its association's VPC is not decided): it
    /// is then listed on every VPC of its input. `None`: it does apply.
    pub maybe: Option<String>,
    pub kind: DnsSettingKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DnsSettingKind {
    /// `domain_name_servers` of a DHCP options set (`AmazonProvidedDNS` or addresses).
    NameServers(Fact<Vec<String>>),
    /// A Route 53 Resolver rule: `rule_type` (`FORWARD`, `SYSTEM`, `RECURSIVE`, `DELEGATE`) and
    /// `domain_name`, lowercase and without its final dot (empty for the root, `.`).
    ResolverRule {
        rule_type: Fact<String>,
        domain: Fact<String>,
    },
}

#[derive(Debug)]
pub struct Subnet {
    pub node: Node,
    pub vpc: Fact<VpcIdx>,
    pub cidr: Fact<Ipv4Net>,
    pub az: Fact<String>,
    /// A zone not known before apply that is a data source's zone name by position
    /// (`data.aws_availability_zones.az.names[1]`): one list's names are distinct zones, so two
    /// positions of it are two zones and one position is one zone.
    pub zone_ref: Option<String>,
    pub map_public_ip: Fact<bool>,
    /// The effective route table: the explicit association, else the VPC's main table.
    pub route_table: Fact<RouteTableIdx>,
    /// When `route_table` is not decided only because associations whose subnet is not decided
    /// may apply to this subnet: every table it may use (the VPC's main table, and each such
    /// association's table), all of them known. Empty otherwise. What holds for every one of
    /// them holds for the subnet (see [`Network::default_route`]).
    pub route_table_candidates: Vec<RouteTableIdx>,
    /// The association resource, when explicit.
    pub association: Option<Node>,
    /// The network ACL the subnet is associated with.
    pub network_acl: SubnetAcl,
}

/// The network ACL of a subnet.
#[derive(Clone, Debug, PartialEq)]
pub enum SubnetAcl {
    Acl(NaclIdx),
    /// No association in the input and no `aws_default_network_acl` for its VPC: the VPC's
    /// default network ACL, which AWS creates allowing all traffic both ways.
    VpcDefault,
    Unknown(String),
}

/// A network ACL (`aws_network_acl`, `aws_default_network_acl`) with its rules: stateless,
/// evaluated per direction in `rule_number` order, first match wins, then the implicit deny.
#[derive(Debug)]
pub struct NetworkAcl {
    pub node: Node,
    pub vpc: Fact<VpcIdx>,
    pub is_default: bool,
    /// Inbound rules, in rule number order (rules whose number is unknown last).
    pub ingress: Vec<NaclRule>,
    /// Outbound rules, in the same order.
    pub egress: Vec<NaclRule>,
    /// Why the rule lists may be incomplete (an undecided inline list, an
    /// `aws_network_acl_rule` whose network ACL is not decided).
    pub rules_unknown: Option<String>,
}

/// One network ACL rule.
#[derive(Clone, Debug)]
pub struct NaclRule {
    /// The `aws_network_acl_rule`, or the network ACL for inline rules.
    pub node: Node,
    pub number: Fact<i64>,
    pub allow: Fact<bool>,
    pub protocol: Fact<Protocol>,
    /// `from_port`–`to_port` (ignored for all protocols).
    pub ports: Fact<(i64, i64)>,
    pub cidr: Fact<NaclCidr>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NaclCidr {
    V4(Ipv4Net),
    /// An IPv6 range: it does not match the IPv4 traffic of the pull path.
    V6(String),
}

#[derive(Debug)]
pub struct RouteTable {
    pub node: Node,
    pub vpc: Fact<VpcIdx>,
    pub routes: Vec<Route>,
    /// Why the route list may be incomplete (an unknown `route` attribute, an `aws_route` whose
    /// table cannot be decided, a table known only by id).
    pub routes_unknown: Option<String>,
    /// The VPC's main table that Terraform does not manage (only the `local` route, plus any
    /// `aws_route` that targets it).
    pub implicit_main: bool,
}

#[derive(Clone, Debug)]
pub struct Route {
    /// The `aws_route` resource, or the route table for inline `route` blocks.
    pub node: Node,
    pub destination: Fact<String>,
    pub target: RouteTarget,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RouteTarget {
    NatGateway(Node),
    /// An EC2 instance with source/destination checking off, or its network interface.
    NatInstance(Node),
    InternetGateway(Node),
    /// A NAT gateway with `connectivity_type = "private"`: no internet.
    PrivateNat(Node),
    /// A VPC peering connection: never a way to the internet (the VPC User Guide's
    /// "Unsupported VPC peering configurations": no edge-to-edge routing through the peer's
    /// internet gateway or NAT device).
    Peering(String),
    /// Transit gateway, peering, VPN gateway, network interface, endpoint, …: where it leads is
    /// outside this input.
    Other(String),
    /// An EC2 instance (or its network interface) with the source/destination check on: it
    /// drops traffic it is neither the source nor the destination of (the VPC User Guide, "NAT
    /// instances").
    Drops(String),
    Local,
    Unknown(String),
}

/// How a subnet's traffic to `0.0.0.0/0` leaves the VPC.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultRoute {
    Nat(Node),
    NatInstance(Node),
    InternetGateway(Node),
    None,
    /// `0.0.0.0/0` goes somewhere that does not reach the internet, and why (a NAT gateway in a
    /// subnet without a route to an internet gateway, a private NAT gateway, an instance that
    /// does not forward).
    Dead(String),
    Unknown(String),
}

/// An association resource whose endpoint is not decided (see [`Network::endpoint_choices`]).
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointChoice {
    /// The association resource (index into the model's resources) and its address.
    pub resource: usize,
    pub address: String,
    /// The endpoints it may attach to (their addresses, in the association's input).
    pub candidates: Vec<String>,
    /// It may also attach to no endpoint of the input (one outside it, whose id is known
    /// only at apply): false when its `vpc_endpoint_id` can only be one of `candidates`.
    pub maybe_none: bool,
    /// Why its endpoint is not decided.
    pub why: String,
}

#[derive(Debug)]
pub struct Endpoint {
    pub node: Node,
    pub vpc: Fact<VpcIdx>,
    pub service: Fact<ServiceName>,
    pub kind: Fact<EndpointKind>,
    pub private_dns: Fact<bool>,
    pub subnets: Vec<SubnetIdx>,
    pub subnets_unknown: Option<String>,
    pub security_groups: Vec<SgIdx>,
    pub security_groups_unknown: Option<String>,
    /// When `security_group_ids` is not decided but its VPC is created by the plan being
    /// checked: every group the endpoint can have (AWS attaches only groups of the endpoint's
    /// VPC, and a VPC that does not exist yet has only the groups the plan creates in it and
    /// its default group). `None`: not bounded (see [`crate::graph::build`]'s endpoints).
    pub security_group_candidates: Option<Vec<SgIdx>>,
    /// No security group given: AWS attaches the VPC's default group.
    pub uses_default_security_group: bool,
    pub route_tables: Vec<RouteTableIdx>,
    pub route_tables_unknown: Option<String>,
    pub policy: EndpointPolicy,
    /// The length in characters of the policy text as the input writes it (a JSON string,
    /// heredoc or `data.aws_iam_policy_document.x.json` known as text); `None` when the
    /// document is a structured value (`jsonencode`), whose text Terraform writes at apply.
    pub policy_chars: Option<usize>,
    pub prefix_list_id: Option<String>,
    /// `service_region`: the region of the service a cross-region Interface endpoint reaches
    /// (`None`: the endpoint's own region).
    pub service_region: Option<Fact<String>>,
}

impl Endpoint {
    /// Where the endpoint's policy is written, with the index of its input: the `policy`
    /// attribute of the resource that sets it (the endpoint, or an `aws_vpc_endpoint_policy`),
    /// else that resource's block, else the endpoint's `policy` or block.
    pub fn policy_location(&self) -> (Option<Location>, Option<usize>) {
        let source = match &self.policy {
            EndpointPolicy::Document(d) => Some(&d.source),
            EndpointPolicy::Invalid { source, .. } => Some(&**source),
            _ => None,
        };
        match source {
            Some(s) if s.location.is_some() => (s.location_of("policy"), s.input),
            _ => (self.node.location_of("policy"), self.node.input),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndpointKind {
    Interface,
    Gateway,
    GatewayLoadBalancer,
    Other,
}

impl EndpointKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointKind::Interface => "Interface",
            EndpointKind::Gateway => "Gateway",
            EndpointKind::GatewayLoadBalancer => "GatewayLoadBalancer",
            EndpointKind::Other => "Other",
        }
    }
}

/// The effective endpoint policy.
#[derive(Clone, Debug, PartialEq)]
pub enum EndpointPolicy {
    /// No policy configured: AWS applies the default full-access policy.
    Default,
    /// A policy document, and the resource that sets it (boxed: most endpoints have no
    /// document, and every endpoint holds an `EndpointPolicy`).
    Document(Box<PolicyDocument>),
    /// The document is not valid JSON / not a JSON object.
    Invalid {
        error: String,
        source: Box<Node>,
    },
    Unknown(String),
}

/// An endpoint's policy document, and the resource that sets it.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyDocument {
    pub json: serde_json::Value,
    /// `json` parsed once, when the graph is built.
    pub policy: Result<Policy, PolicyError>,
    pub source: Node,
    /// How the source writes it: a fix shows its change in the same style.
    pub style: PolicyStyle,
}

/// How the source writes a policy document, so that a fix can show its change the same way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyStyle {
    /// `data.aws_iam_policy_document.x.json`: `statement { … }` blocks, in the data source
    /// `name` (`at`: where its block starts).
    PolicyDocument { name: String, at: Option<Location> },
    /// `policy = jsonencode({ … })`: an HCL object (`at`: where the attribute is written).
    Jsonencode { at: Option<Location> },
    /// JSON text: a heredoc, a quoted string, a file (`at`: where the attribute is written).
    Json { at: Option<Location> },
    /// Not known: a plan read without its configuration, or a document built by an expression
    /// (a reference to a local, a conditional).
    Unknown,
}

#[derive(Debug)]
pub struct SecurityGroup {
    pub node: Node,
    pub vpc: Fact<VpcIdx>,
    /// The VPC's default group (`aws_default_security_group`, or implicit).
    pub is_default: bool,
    /// Not defined in the input: a VPC default group assumed to have AWS's stock rules.
    pub implicit: bool,
    pub ingress: Vec<SgRule>,
    pub egress: Vec<SgRule>,
    /// Why the rule lists may be incomplete.
    pub rules_unknown: Option<String>,
}

#[derive(Clone, Debug)]
pub struct SgRule {
    /// The rule resource, or the group for inline rules.
    pub node: Node,
    pub protocol: Fact<Protocol>,
    pub from_port: Option<i64>,
    pub to_port: Option<i64>,
    pub peer: Peer,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Protocol {
    All,
    Tcp,
    Udp,
    Icmp,
    Other(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Peer {
    Cidr(Ipv4Net),
    /// IPv6 ranges do not carry the IPv4 traffic the pull path uses.
    Cidr6(String),
    SecurityGroup(SgIdx),
    PrefixList(PrefixList),
    /// The block of a VPC or subnet of the input that is not known before apply
    /// (`cidr_blocks = [aws_vpc.main.cidr_block]` with the VPC's block from an IPAM pool): what
    /// lies in it is still known, and why the block is not.
    Block {
        of: Block,
        why: String,
    },
    Unknown(String),
}

/// Whose CIDR block a [`Peer::Block`] is: a VPC's primary block, or a subnet's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Block {
    Vpc(VpcIdx),
    Subnet(SubnetIdx),
}

#[derive(Clone, Debug, PartialEq)]
pub struct PrefixList {
    pub name: String,
    /// Whether this is S3's prefix list (`com.amazonaws.<region>.s3`).
    pub is_s3: Fact<bool>,
}

#[derive(Debug)]
pub struct Workload {
    pub node: Node,
    pub kind: WorkloadKind,
    pub platform: Fact<Platform>,
    /// `platform_version` of Fargate services/tasks (`LATEST` when unset).
    pub platform_version: Option<String>,
    /// Windows containers on Fargate always need ecr.api.
    pub windows: bool,
    pub vpc: Fact<VpcIdx>,
    /// The subnets the pull goes through: the task's (Fargate, `awsvpc` network configuration),
    /// or on EC2 hosts (ECS on EC2, ECS Managed Instances, Batch on EC2) the **container
    /// instances'**, whose agent and daemon pull the image and ship the logs (DOMAIN.md §2).
    pub subnets: Vec<SubnetIdx>,
    pub subnets_unknown: Option<String>,
    /// The security groups of that network: the task's or the container instances'.
    pub security_groups: Vec<SgIdx>,
    pub security_groups_unknown: Option<String>,
    pub uses_default_security_group: bool,
    /// Whether the tasks (or, on EC2 hosts, the instances) get a public IP.
    pub public_ip: Fact<bool>,
    /// The container instances of ECS on EC2 and ECS Managed Instances: what defines them and
    /// why they are not (all) known; `None` for workloads that do not run on instances found
    /// through a cluster (Fargate, Batch, declared workloads).
    pub hosts: Option<Hosts>,
    /// On EC2 hosts, the task's own `awsvpc` network (subnets, groups): its application
    /// traffic only, not the pull. Empty elsewhere.
    pub task_subnets: Vec<SubnetIdx>,
    pub task_security_groups: Vec<SgIdx>,
    pub containers: Vec<Container>,
    pub containers_unknown: Option<String>,
    /// Containers ECS adds to the task that pull nothing the input chooses but write logs: the
    /// Service Connect proxy, with the service's `service_connect_configuration.log_configuration`.
    pub log_only: Vec<Container>,
    /// The task or job definition the containers come from.
    pub definition: Option<Node>,
    /// The role that pulls images and writes logs: the task execution role (Fargate, ECS
    /// Managed Instances), or the container instance role (ECS on EC2, Batch on EC2).
    pub pull_role: Option<Fact<RoleRef>>,
    /// The role of the container instances (their instance profile's), on EC2 hosts; `None`
    /// elsewhere, and where the instances have no instance profile.
    pub instance_role: Option<Fact<RoleRef>>,
    /// The task or job definition's execution role (`executionRoleArn`), which reads the
    /// secrets on every platform; on Fargate it is also the `pull_role`.
    pub execution_role: Option<Fact<RoleRef>>,
    /// On EC2 hosts (ECS, Batch), what the instances' user data sets
    /// `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE` to in `/etc/ecs/ecs.config`, all of them alike;
    /// `None` where they do not say, and elsewhere. Off, a task with an execution role and the
    /// awslogs driver cannot be placed on them (PP404).
    pub awslogs_override: Option<AwslogsOverride>,
}

/// What container instances' user data sets the agent's `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE`
/// to, and where.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct AwslogsOverride {
    /// On: the agent writes the `awslogs` output of a task with an execution role with that
    /// role. Off: it does not advertise `ecs.capability.execution-role-awslogs`, and such a task
    /// cannot be placed on it.
    pub on: bool,
    /// The user data that sets it.
    pub why: String,
}

/// The container instances a workload's tasks run on (ECS on EC2, ECS Managed Instances).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hosts {
    /// What defines them: Auto Scaling groups, `aws_instance`s, managed-instances capacity
    /// providers; empty when none was found.
    pub nodes: Vec<Node>,
    /// Why they are not (all) in the input, when so.
    pub unknown: Option<String>,
}

impl Hosts {
    /// The name of the hop the pull path takes through the instances (`aws_autoscaling_group.ecs`,
    /// several joined by ", "), or `None` when none is known.
    pub fn name(&self) -> Option<String> {
        (!self.nodes.is_empty()).then(|| {
            self.nodes
                .iter()
                .map(Node::name)
                .collect::<Vec<_>>()
                .join(", ")
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadKind {
    EcsService,
    BatchComputeEnvironment,
    ScheduledTask,
    Declared,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Platform {
    /// ECS on Fargate, platform version 1.4.0 or later (or LATEST).
    Fargate,
    /// ECS on Fargate pinned to a retired platform version (1.3.0 or earlier): it cannot
    /// launch (PP111), and is judged as 1.4.0 once fixed.
    FargateLegacy,
    EcsEc2,
    /// ECS Managed Instances: EC2 hosts that AWS manages for a managed-instances capacity
    /// provider; the task execution role pulls.
    EcsManagedInstances,
    BatchFargate,
    BatchEc2,
}

impl Platform {
    /// The spelling of `--workload` and the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Fargate => "fargate",
            Platform::FargateLegacy => "fargate-1.3",
            Platform::EcsEc2 => "ecs-ec2",
            Platform::EcsManagedInstances => "ecs-managed-instances",
            Platform::BatchFargate => "batch-fargate",
            Platform::BatchEc2 => "batch-ec2",
        }
    }

    pub fn parse(s: &str) -> Option<Platform> {
        Some(match s {
            // Deprecated alias (see [`Platform::deprecated_alias`]): 1.3.0 is retired.
            "fargate" | "fargate-1.3" => Platform::Fargate,
            "ecs-ec2" => Platform::EcsEc2,
            "ecs-managed-instances" => Platform::EcsManagedInstances,
            "batch-fargate" => Platform::BatchFargate,
            "batch-ec2" => Platform::BatchEc2,
            _ => return None,
        })
    }

    /// The warning for a deprecated spelling of `--workload` (and `platform` in the
    /// configuration file) that [`Platform::parse`] still accepts.
    pub fn deprecated_alias(s: &str) -> Option<&'static str> {
        (s == "fargate-1.3").then_some(
            "`fargate-1.3` is a deprecated alias of `fargate`: Fargate platform version 1.3.0 is retired (no task can launch on it), so the workload is checked as Fargate 1.4.0, which needs ecr.api",
        )
    }

    pub fn is_fargate(self) -> bool {
        matches!(
            self,
            Platform::Fargate | Platform::FargateLegacy | Platform::BatchFargate
        )
    }

    /// Whether the ECS agent runs on instances in the VPC (needs ecs, ecs-agent, ecs-telemetry).
    /// ECS Managed Instances are EC2 hosts running the agent too (DOMAIN.md §2, an inference).
    pub fn needs_agent_endpoints(self) -> bool {
        self.on_instances()
    }

    /// Whether the pull is made by EC2 container instances, over their network (DOMAIN.md §2),
    /// rather than by the task.
    pub fn on_instances(self) -> bool {
        matches!(
            self,
            Platform::EcsEc2 | Platform::EcsManagedInstances | Platform::BatchEc2
        )
    }

    /// Every platform, in the order `--workload` lists them.
    pub const ALL: &'static [Platform] = &[
        Platform::Fargate,
        Platform::FargateLegacy,
        Platform::EcsEc2,
        Platform::EcsManagedInstances,
        Platform::BatchFargate,
        Platform::BatchEc2,
    ];

    /// The `--workload` spellings, for messages: `fargate, ecs-ec2, …` (deprecated aliases left
    /// out).
    pub fn names() -> String {
        Platform::ALL
            .iter()
            .filter(|p| Platform::deprecated_alias(p.as_str()).is_none())
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Container {
    pub name: String,
    pub image: Fact<String>,
    /// The image is not known before apply, but it is (or begins with) the URL of this private
    /// ECR repository of the input: an image of this account's registry.
    pub image_ecr_repository: Option<String>,
    /// The image is not known before apply, but its registry host is surely a private ECR
    /// host, whose account or region may not be known: a template whose first parts are known
    /// (`"123456789012.dkr.ecr.${var.region}…"`), or whose host is written but for its account
    /// or region (`"${data.aws_caller_identity.current.account_id}.dkr.ecr.us-west-2…"`).
    pub image_ecr_host: Option<crate::aws::EcrHost>,
    pub log_driver: Fact<Option<String>>,
    pub log_options: BTreeMap<String, String>,
    /// `awslogs-group` names a log group the input creates (a reference to an
    /// `aws_cloudwatch_log_group`, or its name): the driver never needs to create it.
    pub log_group_created: bool,
    /// `secrets[].valueFrom` and `repositoryCredentials.credentialsParameter`.
    pub secrets: Vec<String>,
    /// Secret references that could not be read.
    pub secrets_unknown: Option<String>,
    /// Secrets whose ARN is known only after apply but whose resource is in the input
    /// (`valueFrom = aws_secretsmanager_secret.db.arn`): which service serves them is known.
    pub secret_refs: Vec<SecretRef>,
    /// The log driver is AWS Batch's default (`awslogs`), not configured.
    pub log_driver_default: bool,
    /// The customer managed KMS keys of the secrets it reads that are resources of the input
    /// (an AWS managed key asks nothing and is not listed).
    pub kms_keys: Vec<SecretKey>,
}

impl Container {
    /// The container for messages: `container app` for a named one; an unnamed one's name is
    /// already a phrase (`container 2`, `the container of aws_batch_job_definition.j`, `the
    /// Service Connect proxy`).
    pub fn label(&self) -> String {
        if self.name.starts_with("container ") || self.name.starts_with("the ") {
            self.name.clone()
        } else {
            format!("container {}", self.name)
        }
    }

    /// Whether it logs with the `awslogs` driver, as far as the input says.
    pub fn uses_awslogs(&self) -> bool {
        self.log_driver.known() == Some(&Some("awslogs".to_string()))
    }

    /// Whether it may log with the `awslogs` driver: it does, or its driver is not known.
    pub fn may_use_awslogs(&self) -> bool {
        self.log_driver
            .known()
            .is_none_or(|d| d.as_deref() == Some("awslogs"))
    }
}

/// A secret of a container given as a reference to a resource of the input.
#[derive(Clone, Debug, PartialEq)]
pub struct SecretRef {
    /// The resource the ARN comes from.
    pub address: String,
    /// Secrets Manager (a secret, a secret version, an RDS-managed master user secret); else an
    /// SSM parameter.
    pub secrets_manager: bool,
    /// The reference that gives the secret's ARN, written the one way policy documents of the
    /// input are read where they name the same ARN: `aws_secretsmanager_secret.db.arn` for the
    /// secret's `arn` or `id` and for its version's `arn`, `aws_ssm_parameter.p.arn` for a
    /// parameter's `arn`, `name` or `id` (see `policy::unknown_text`).
    pub reference: String,
    /// The region of the secret's provider configuration, when known.
    pub region: Option<String>,
    /// An SSM parameter's name, when known (its ARN ends in `parameter/<name without a leading
    /// />`), or a Secrets Manager secret's (its ARN ends in `secret:<name>-` and six characters).
    pub name: Option<String>,
    /// Whether the input creates it (a resource, not a data source): it is in the input's own
    /// account.
    pub created: bool,
}

/// The customer managed KMS key of a secret or SecureString parameter a container reads
/// (DOMAIN.md §2: the reading role needs `kms:Decrypt` on it).
#[derive(Clone, Debug, PartialEq)]
pub struct SecretKey {
    /// The secret, as users know it (its address).
    pub secret: String,
    /// The service that calls KMS for the reader: `secretsmanager` or `ssm`.
    pub via: &'static str,
    pub key: KmsKey,
    /// The key's policy, when the key is a resource of the input.
    pub key_policy: KeyPolicy,
}

/// Which KMS key encrypts a secret.
#[derive(Clone, Debug, PartialEq)]
pub enum KmsKey {
    /// The key's ARN (parts not known before apply as `policy::UNKNOWN_PART`).
    Arn(String),
    /// A key of the input whose ARN is known only after apply: the reference that gives it
    /// (`aws_kms_key.secrets.arn`) and the key's region when known.
    Reference {
        reference: String,
        region: Option<String>,
    },
    /// Whether the key is customer managed, or which it is, is not known: why.
    Unknown(String),
}

/// The key policy of a KMS key.
#[derive(Clone, Debug, PartialEq)]
pub enum KeyPolicy {
    /// The key is not a resource of the input.
    NotInInput,
    /// A key of the input without `policy`: KMS's default key policy, which gives the account
    /// (its IAM policies) full access to the key.
    Default,
    /// The key's policy in the input.
    Document(Box<AttachedPolicy>),
}

/// A reference to the role that pulls: a role of the input, or an ARN the input does not define.
#[derive(Clone, Debug, PartialEq)]
pub enum RoleRef {
    Role(PrincipalIdx),
    Arn(String),
}

/// An IAM principal of the input: a role, a user or a group, with its identity policies.
#[derive(Debug)]
pub struct Principal {
    pub node: Node,
    pub kind: PrincipalKind,
    pub name: Option<String>,
    pub arn: Option<String>,
    /// Its own policies (inline and attached). A user's group policies are in `groups`.
    pub policies: Vec<AttachedPolicy>,
    /// For users: the groups they belong to.
    pub groups: Vec<PrincipalIdx>,
    /// Its permissions boundary (`permissions_boundary`), which caps what its identity policies
    /// allow (IAM User Guide, "Permissions boundaries for IAM entities").
    pub boundary: Option<AttachedPolicy>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalKind {
    Role,
    User,
    Group,
}

impl PrincipalKind {
    pub fn resource_type(self) -> &'static str {
        match self {
            PrincipalKind::Role => "aws_iam_role",
            PrincipalKind::User => "aws_iam_user",
            PrincipalKind::Group => "aws_iam_group",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum AttachedPolicy {
    Document {
        json: serde_json::Value,
        /// `json` parsed once, when the graph is built.
        policy: Result<Policy, PolicyError>,
        source: Node,
    },
    Managed {
        arn: String,
        source: Node,
    },
    Unknown {
        reason: String,
        source: Node,
    },
}

impl AttachedPolicy {
    /// Where the policy comes from (the resource that attaches or holds it).
    pub fn source(&self) -> &Node {
        match self {
            AttachedPolicy::Document { source, .. }
            | AttachedPolicy::Managed { source, .. }
            | AttachedPolicy::Unknown { source, .. } => source,
        }
    }
}

/// An ECR repository of the input, private or public; or one that only a repository policy of
/// the input names (`node` then has no resource: its name as id).
#[derive(Debug)]
pub struct Repository {
    pub node: Node,
    pub public: bool,
    pub name: Option<String>,
    pub arn: Option<String>,
    /// The region of the provider configuration that manages it (or its policy).
    pub region: Option<String>,
    /// `aws_ecr_repository_policy` / `aws_ecrpublic_repository_policy` documents.
    pub policies: Vec<AttachedPolicy>,
}

/// An `aws_ecr_registry_policy`: a policy on every repository of the registry of its account
/// and region.
#[derive(Debug)]
pub struct RegistryPolicy {
    pub node: Node,
    pub region: Option<String>,
    pub policy: AttachedPolicy,
}

/// An `aws_iam_policy` of the input (managed, not a data source), whether or not anything of
/// the input attaches it.
#[derive(Debug)]
pub struct IamPolicy {
    pub node: Node,
    /// Its document, when `policy` is JSON text (parsed once, when the graph is built); `None`
    /// when `policy` is absent, not text, or not JSON.
    pub policy: Option<Result<Policy, PolicyError>>,
}

impl Network {
    /// The one block every address of a subnet of VPC `v` lies in, when the input decides it:
    /// the only block of a VPC the input creates, without secondary blocks (a subnet's block
    /// must lie in one of its VPC's blocks).
    pub fn only_block(&self, v: VpcIdx) -> Option<Ipv4Net> {
        let vpc = &self.vpcs[v];
        match vpc.cidrs.as_slice() {
            [one] if self.primary_only(v) && vpc.cidr_unknown.is_none() => Some(*one),
            _ => None,
        }
    }

    /// Whether VPC `v` surely has its primary block only, known or not: a VPC the input creates
    /// (not adopted, not read), without secondary blocks.
    pub fn primary_only(&self, v: VpcIdx) -> bool {
        let vpc = &self.vpcs[v];
        vpc.node.resource.is_some()
            && !vpc.node.data
            && vpc.secondary_unknown.is_none()
            && vpc.secondary_blocks == 0
    }

    /// Per input, the accounts its providers pin when they pin several (see
    /// [`Network::several_accounts`]).
    pub fn several_accounts_of(&self, input: Option<usize>) -> Option<&str> {
        self.several_accounts.get(input?)?.as_deref()
    }

    /// The default route of a subnet, from its effective route table. Where that table is not
    /// decided but is one of a few known tables (see [`Subnet::route_table_candidates`]), none
    /// of which has a route to the internet, the subnet has none either.
    pub fn default_route(&self, subnet: SubnetIdx) -> DefaultRoute {
        self.default_route_at(subnet, true)
    }

    /// [`Self::default_route`]; `follow`: whether a NAT gateway's own subnet is looked at (not
    /// for the subnet of a NAT gateway itself: one step only).
    fn default_route_at(&self, subnet: SubnetIdx, follow: bool) -> DefaultRoute {
        let s = &self.subnets[subnet];
        match &s.route_table {
            Fact::Known(rt) => self.table_default_route_at(*rt, follow),
            Fact::Unknown(r) => {
                let none = !s.route_table_candidates.is_empty()
                    && s.route_table_candidates.iter().all(|&t| {
                        matches!(self.table_default_route_at(t, follow), DefaultRoute::None)
                    });
                if none {
                    DefaultRoute::None
                } else {
                    DefaultRoute::Unknown(r.clone())
                }
            }
        }
    }

    /// The default route of one route table (`follow`: see [`Self::default_route_at`]).
    fn table_default_route_at(&self, rt: RouteTableIdx, follow: bool) -> DefaultRoute {
        let rt = &self.route_tables[rt];
        let mut unknown: Option<String> = None;
        for r in &rt.routes {
            match &r.destination {
                Fact::Known(d) if d == "0.0.0.0/0" => {
                    return match &r.target {
                        RouteTarget::NatGateway(n) if follow => self.through_nat(n, false),
                        RouteTarget::NatGateway(n) => DefaultRoute::Nat(n.clone()),
                        RouteTarget::NatInstance(n) => DefaultRoute::NatInstance(n.clone()),
                        RouteTarget::InternetGateway(n) => DefaultRoute::InternetGateway(n.clone()),
                        RouteTarget::PrivateNat(n) if follow => self.through_nat(n, true),
                        RouteTarget::PrivateNat(n) => DefaultRoute::Unknown(private_nat(n)),
                        RouteTarget::Other(what) => DefaultRoute::Unknown(format!(
                            "0.0.0.0/0 goes to {what}; whether that reaches the internet is outside this input"
                        )),
                        RouteTarget::Drops(what) => DefaultRoute::Dead(format!(
                            "0.0.0.0/0 goes to {what}, which drops traffic it is not the destination of"
                        )),
                        RouteTarget::Local | RouteTarget::Peering(_) => DefaultRoute::None,
                        RouteTarget::Unknown(why) => DefaultRoute::Unknown(why.clone()),
                    };
                }
                Fact::Known(_) => {}
                Fact::Unknown(why) => {
                    unknown
                        .get_or_insert_with(|| format!("a route's destination is unknown: {why}"));
                }
            }
        }
        if let Some(why) = unknown.or_else(|| rt.routes_unknown.clone()) {
            return DefaultRoute::Unknown(format!("routes of {}: {why}", rt.node.name()));
        }
        DefaultRoute::None
    }

    /// Where `0.0.0.0/0` to a NAT gateway of the input leads, by the NAT gateway's own subnet
    /// (the VPC User Guide, "NAT gateways": a public NAT gateway sends to the internet through
    /// the internet gateway its subnet routes to; an internet gateway drops what a private NAT
    /// gateway sends it). A NAT gateway known only by id, or in a subnet the input does not
    /// manage, is taken at its word.
    fn through_nat(&self, n: &Node, private: bool) -> DefaultRoute {
        let subnet = n.resource.and_then(|i| self.nat_subnets.get(&i));
        let name = n.name();
        let s = match subnet {
            Some(Fact::Known(s)) => *s,
            Some(Fact::Unknown(why)) if !private => {
                return DefaultRoute::Unknown(format!(
                    "0.0.0.0/0 goes to the NAT gateway {name}, whose subnet is not known ({why})"
                ))
            }
            _ if private => return DefaultRoute::Unknown(private_nat(n)),
            _ => return DefaultRoute::Nat(n.clone()),
        };
        let sn = &self.subnets[s];
        // A subnet the input does not manage (known by id, or read with a data source) is taken
        // at its word too: where its traffic goes is outside the input, as it is for a NAT
        // gateway known only by id.
        if sn.node.is_external() || sn.node.data {
            return if private {
                DefaultRoute::Unknown(private_nat(n))
            } else {
                DefaultRoute::Nat(n.clone())
            };
        }
        let leg = self.default_route_at(s, false);
        let subnet = sn.node.name();
        let what = if private {
            "private NAT gateway"
        } else {
            "NAT gateway"
        };
        match leg {
            DefaultRoute::InternetGateway(_) if !private => DefaultRoute::Nat(n.clone()),
            DefaultRoute::InternetGateway(g) => DefaultRoute::Dead(format!(
                "0.0.0.0/0 goes to the private NAT gateway {name}, and the internet gateway {} \
                 its subnet {subnet} routes to drops what a private NAT gateway sends (it has no \
                 public IP)",
                g.name()
            )),
            DefaultRoute::None => DefaultRoute::Dead(format!(
                "0.0.0.0/0 goes to the {what} {name}, but its subnet {subnet} has no 0.0.0.0/0 \
                 route to an internet gateway{}",
                match &sn.route_table {
                    Fact::Known(t) => format!(
                        " ({} is its route table)",
                        self.route_tables[*t].node.name()
                    ),
                    Fact::Unknown(_) => String::new(),
                }
            )),
            DefaultRoute::Dead(why) => DefaultRoute::Dead(format!(
                "0.0.0.0/0 goes to the {what} {name}, whose subnet {subnet} does not reach the \
                 internet: {why}"
            )),
            _ if private => DefaultRoute::Unknown(private_nat(n)),
            DefaultRoute::Unknown(why) => DefaultRoute::Unknown(format!(
                "0.0.0.0/0 goes to the NAT gateway {name}, and whether its subnet {subnet} \
                 reaches the internet is not known: {why}"
            )),
            DefaultRoute::Nat(_) | DefaultRoute::NatInstance(_) => DefaultRoute::Unknown(format!(
                "0.0.0.0/0 goes to the NAT gateway {name}, whose subnet {subnet} sends it through \
                 another NAT"
            )),
        }
    }
}

/// Why `0.0.0.0/0` to a private NAT gateway is not decided.
fn private_nat(n: &Node) -> String {
    format!(
        "0.0.0.0/0 goes to the private NAT gateway {}, which does not reach the internet by itself",
        n.name()
    )
}
