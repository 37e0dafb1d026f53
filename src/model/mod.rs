//! The resource model both input readers produce: every resource instance with its address and
//! attribute values (see [`value`]). Rules never see JSON or HCL; they see the graph built from
//! this model.

pub mod address;
pub mod line_index;
pub mod map;
pub mod value;

use std::borrow::Cow;
use std::sync::Arc;

pub use address::{Address, InstanceKey};
pub use value::{Reference, Target, Unknown, Value};

/// A position in a source file (1-based line and column).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// `file:line:column`, as compilers print a position.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

impl Location {
    /// `file:line`, without the column.
    pub fn file_line(&self) -> impl std::fmt::Display + '_ {
        FileLine(self)
    }

    /// `file:line:column` with the file name given apart (escaped for a terminal, say).
    pub fn with_file<'a, F: std::fmt::Display + 'a>(
        &'a self,
        file: F,
    ) -> impl std::fmt::Display + 'a {
        WithFile {
            file,
            location: self,
        }
    }
}

/// See [`Location::file_line`].
struct FileLine<'a>(&'a Location);

impl std::fmt::Display for FileLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.0.file, self.0.line)
    }
}

/// See [`Location::with_file`].
struct WithFile<'a, F> {
    file: F,
    location: &'a Location,
}

impl<F: std::fmt::Display> std::fmt::Display for WithFile<'_, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let l = self.location;
        write!(f, "{}:{}:{}", self.file, l.line, l.column)
    }
}

/// What kind of file an input was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// `terraform show -json` of a plan.
    Plan,
    /// `terraform show -json` of a state.
    State,
    /// A raw state file (`terraform.tfstate`, `terraform state pull`).
    RawState,
    /// A Terraform/OpenTofu configuration directory.
    Hcl,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Plan => "plan",
            InputKind::State => "state",
            InputKind::RawState => "raw-state",
            InputKind::Hcl => "hcl",
        }
    }
}

/// One input that was read.
#[derive(Clone, Debug)]
pub struct InputInfo {
    /// The path as the user gave it (`-` for standard input), with `/` separators.
    pub path: String,
    pub kind: InputKind,
    /// `format_version` of show-json output, or the raw state's `version`.
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    /// The default `aws` provider's region, when the input says.
    pub region: Option<String>,
    /// The AWS accounts the input may deploy into, when its provider configurations say so:
    /// every `aws` provider configuration sets `allowed_account_ids` (their union, sorted);
    /// `None` when one does not, or its value is not known. One account is the input's account;
    /// several (provider aliases for other accounts) leave it undecided.
    pub allowed_accounts: Option<Vec<String>>,
    /// Notes on what was tolerated while reading (byte-order mark, wrapper noise), and on what
    /// could not be read (a module not installed, a value that cannot be evaluated). Reports show
    /// them: they can change a verdict.
    pub notes: Vec<String>,
    /// What the root module can write for an attribute of a resource inside a module it calls
    /// (HCL input): (`module.vpc.aws_vpc.this[0].id`, `module.vpc.vpc_id`), sorted by the first.
    pub exports: Vec<(String, String)>,
    /// Resource blocks and module calls whose `count` / `for_each` is not decided (HCL input):
    /// each is read as one instance that may exist (see [`MayExist`]).
    pub not_expanded: Vec<MayExist>,
    /// The name of this input in a run of several (its path): reports write it before the
    /// address of each of its resources (`network/aws_vpc.main`), so that equal addresses of
    /// different roots stay apart. `None` in a run of one input: names are the bare addresses.
    /// Set by [`crate::roots::name`].
    pub root: Option<Arc<str>>,
    /// An `aws` provider block of this configuration (HCL input, any module) has
    /// `default_tags`: a resource may carry tags its own `tags` argument does not show.
    pub provider_default_tags: bool,
    /// A plan's `configuration.root_module`: its resources and module calls, to find the
    /// configuration the plan was made from (see [`crate::input::source`]).
    pub plan_config: Option<Arc<crate::input::source::PlanConfig>>,
}

/// Why a resource instance may or may not exist: the `count` / `for_each` of its block, or of a
/// module call on its path, is not decided by the input. The instance stands for every instance
/// the block may have (its key is unknown, written `[*]` as Terraform writes a partly expanded
/// address); its values are read where they do not depend on the key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MayExist {
    /// What may exist, as an address: `aws_vpc_endpoint_policy.s3[*]`, `module.endpoints[*]`.
    pub what: String,
    /// Why it is not decided, e.g. "`count` of aws_vpc_endpoint_policy.s3 is not known before
    /// apply (variable `restrict` has no value …)".
    pub reason: String,
    /// Instances with the same condition exist or not together: the blocks of one module
    /// instance with the same `count` expression have the same number of instances (see
    /// [`crate::worlds`]). `None`: a condition of its own.
    pub condition: Option<String>,
}

impl std::fmt::Display for MayExist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} may exist ({})", self.what, self.reason)
    }
}

/// How an attribute that holds a document (a policy) is written in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// `jsonencode({ … })`: an HCL object.
    Jsonencode,
    /// JSON text: a heredoc or a quoted string, or a file read with `file` / `templatefile`.
    JsonText,
    /// `data.aws_iam_policy_document.NAME.json`: the data source's address in the module
    /// (`data.aws_iam_policy_document.NAME`).
    PolicyDocument(String),
}

/// A resource instance.
#[derive(Clone, Debug)]
pub struct Resource {
    /// Index into [`Model::inputs`].
    pub input: usize,
    /// The full instance address, e.g. `module.net.aws_subnet.private[0]`.
    pub address: String,
    pub addr: Address,
    /// The attributes, an [`Value::Object`]; [`Value::Null`] for types pullpath does not read.
    pub values: Value,
    /// The region of the provider configuration this resource uses, when known (shared by the
    /// resources of one provider configuration).
    pub region: Option<Arc<str>>,
    /// What only a source tells (HCL inputs, and plans read with their configuration); `None`
    /// for the resources of a plan alone. Boxed: most resources of a large plan have none, and
    /// the fields take 200 bytes (see [`FromSource`]).
    pub source: Option<Box<FromSource>>,
}

/// What a resource's source (its `.tf` block) tells beyond its values: where it is written,
/// how, with which suppressions, and whether it exists at all (see [`Resource::source`]).
#[derive(Clone, Debug, Default)]
pub struct FromSource {
    /// Where the resource block starts.
    pub location: Option<Location>,
    /// `# pullpath:ignore=…` comments attached to the block.
    pub suppressions: Vec<InlineSuppression>,
    /// Locations of individual attributes, by top-level attribute name (one list for all
    /// the instances of a block).
    pub attr_locations: Arc<[(String, Location)]>,
    /// For a resource inside a module: where the root module calls the module it is in
    /// (`module "endpoints" {` in the root's `.tf` files; the outermost call of a nested
    /// module), shown with its findings as a second location.
    pub module_call: Option<Location>,
    /// How document attributes are written (HCL inputs, and plans read with their
    /// configuration), by top-level attribute name: fixes show a change in the same style
    /// (one list for all the instances of a block).
    pub attr_syntax: Arc<[(String, Syntax)]>,
    /// Set when the input does not decide whether this instance exists (HCL input: an undecided
    /// `count` / `for_each`). The rules are run with and without it (see
    /// [`crate::worlds`]), and a verdict that depends on it is unknown.
    pub may_exist: Option<MayExist>,
}

impl Resource {
    pub fn is_data(&self) -> bool {
        self.addr.data
    }

    pub fn rtype(&self) -> &str {
        &self.addr.rtype
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    /// The known `id` attribute.
    pub fn id(&self) -> Option<&str> {
        self.values
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// What the source tells, to be filled: made empty on first use.
    pub fn source_mut(&mut self) -> &mut FromSource {
        self.source.get_or_insert_with(Box::default)
    }

    /// Where the resource block starts (see [`FromSource::location`]).
    pub fn location(&self) -> Option<&Location> {
        self.source.as_ref().and_then(|s| s.location.as_ref())
    }

    /// The `# pullpath:ignore=…` comments of the block (see [`FromSource::suppressions`]).
    pub fn suppressions(&self) -> &[InlineSuppression] {
        self.source.as_ref().map_or(&[], |s| &s.suppressions)
    }

    /// Where each top-level attribute is written (see [`FromSource::attr_locations`]).
    pub fn attr_locations(&self) -> &[(String, Location)] {
        self.source.as_ref().map_or(&[], |s| &s.attr_locations)
    }

    /// Where the root module calls the module of this resource (see
    /// [`FromSource::module_call`]).
    pub fn module_call(&self) -> Option<&Location> {
        self.source.as_ref().and_then(|s| s.module_call.as_ref())
    }

    /// Whether the input leaves this instance's existence undecided (see
    /// [`FromSource::may_exist`]).
    pub fn may_exist(&self) -> Option<&MayExist> {
        self.source.as_ref().and_then(|s| s.may_exist.as_ref())
    }

    /// How a top-level attribute is written, when the source is known and it is a document.
    pub fn syntax_of(&self, attr: &str) -> Option<&Syntax> {
        let source = self.source.as_ref()?;
        source
            .attr_syntax
            .iter()
            .find(|(a, _)| a == attr)
            .map(|(_, s)| s)
    }

    /// Where a top-level attribute is written, else where the block starts.
    pub fn location_of(&self, attr: &str) -> Option<&Location> {
        let source = self.source.as_ref()?;
        source
            .attr_locations
            .iter()
            .find(|(a, _)| a == attr)
            .map(|(_, l)| l)
            .or(source.location.as_ref())
    }
}

/// An inline suppression comment: `# pullpath:ignore=PP401,PP402 reason`.
#[derive(Clone, Debug, PartialEq)]
pub struct InlineSuppression {
    pub codes: Vec<String>,
    pub reason: String,
    pub location: Location,
}

/// A resource that the plan deletes (and does not re-create).
#[derive(Clone, Debug)]
pub struct Removed {
    pub input: usize,
    pub address: String,
    pub rtype: String,
}

/// A data source of one root that reads what another root of the same run manages (or what a
/// data source of another root reads): found by comparing their lookups (see
/// [`crate::roots`]). Resources are named by (input, address), which stay valid in the models
/// of [`crate::worlds`], where resource indices do not.
#[derive(Clone, Debug, PartialEq)]
pub struct Join {
    /// The data source.
    pub data: (usize, String),
    pub to: JoinTo,
    /// How the join was made, for the graph: `by equal lookups (tags Name=prod)`.
    pub how: String,
}

/// What a joined data source reads.
#[derive(Clone, Debug, PartialEq)]
pub enum JoinTo {
    /// One object: a managed resource of another root, or the data source of another root
    /// with an equal lookup.
    One(usize, String),
    /// `aws_subnets`: the managed subnets its lookup finds.
    Set(Vec<(usize, String)>),
    /// `aws_subnets` whose subnets cannot be decided (why): its `ids` stay unknown.
    Undecided(String),
}

/// All inputs of one run, merged.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub inputs: Vec<InputInfo>,
    pub resources: Vec<Resource>,
    pub removed: Vec<Removed>,
    /// Resources whose type pullpath does not read (counted, not kept).
    pub skipped: usize,
    /// The state before the plan, for telling which findings the plan introduces. `Some` when
    /// at least one input is a plan and every input has a "before" (state inputs are their own).
    pub prior: Option<Box<Model>>,
    /// Data sources joined across roots (see [`crate::roots`]).
    pub joins: Vec<Join>,
    /// Resource index by input, then address (see [`AddressIndex`]): the graph looks addresses
    /// up several times per resource.
    index: Vec<AddressIndex>,
}

/// The resources of one input by address: positions in [`Model::resources`], found by the
/// address's hash (the fast hasher) and compared with the resource's own address. The index
/// holds no copy of the addresses: 8 bytes and a control byte per resource, where a map keyed
/// by `String` held a copy of each address besides (for a plan of a million resources, about
/// 80 MB).
#[derive(Clone, Debug, Default)]
struct AddressIndex(hashbrown::HashTable<usize>);

impl AddressIndex {
    fn with_capacity(n: usize) -> Self {
        AddressIndex(hashbrown::HashTable::with_capacity(n))
    }

    fn hash(address: &str) -> u64 {
        use std::hash::Hasher;
        let mut h = crate::hash::FastHasher::default();
        h.write(address.as_bytes());
        h.finish()
    }

    fn get(&self, resources: &[Resource], address: &str) -> Option<usize> {
        self.0
            .find(Self::hash(address), |&i| resources[i].address == address)
            .copied()
    }

    /// The position of the resource at `address` when the index has one; else records `i` as
    /// its position and returns `None`. One hash and one probe for both.
    fn find_or_insert(&mut self, resources: &[Resource], address: &str, i: usize) -> Option<usize> {
        let entry = self.0.entry(
            Self::hash(address),
            |&j| resources[j].address == address,
            |&j| Self::hash(&resources[j].address),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(o) => Some(*o.get()),
            hashbrown::hash_table::Entry::Vacant(v) => {
                v.insert(i);
                None
            }
        }
    }

    fn reserve(&mut self, resources: &[Resource], n: usize) {
        self.0.reserve(n, |&j| Self::hash(&resources[j].address));
    }
}

impl Model {
    /// Adds a resource; a second resource with the same input and address replaces the first
    /// (plans list some resources in both `planned_values` and `resource_changes`).
    pub fn push(&mut self, r: Resource) {
        let input = r.input;
        if self.index.len() <= input {
            self.index.resize_with(input + 1, AddressIndex::default);
        }
        let next = self.resources.len();
        match self.index[input].find_or_insert(&self.resources, &r.address, next) {
            Some(i) => self.resources[i] = r,
            None => self.resources.push(r),
        }
    }

    /// Adds the resources of one input, all read at once: into an empty model the vector is
    /// taken over as it is (a large plan's resources are not copied a second time).
    pub fn push_all(&mut self, input: usize, resources: Vec<Resource>) {
        if self.resources.is_empty() && resources.iter().all(|r| r.input == input) {
            let mut index = AddressIndex::with_capacity(resources.len());
            let unique = (0..resources.len()).all(|i| {
                index
                    .find_or_insert(&resources, &resources[i].address, i)
                    .is_none()
            });
            if unique {
                if self.index.len() <= input {
                    self.index.resize_with(input + 1, AddressIndex::default);
                }
                self.index[input] = index;
                self.resources = resources;
                return;
            }
        }
        self.reserve(input, resources.len());
        for r in resources {
            self.push(r);
        }
    }

    /// Room for `n` more resources (a reader that knows how many it will push).
    pub fn reserve(&mut self, input: usize, n: usize) {
        self.resources.reserve(n);
        if self.index.len() <= input {
            self.index.resize_with(input + 1, AddressIndex::default);
        }
        self.index[input].reserve(&self.resources, n);
    }

    /// The resource at `address` in input `input`.
    pub fn lookup(&self, input: usize, address: &str) -> Option<&Resource> {
        self.lookup_index(input, address)
            .map(|i| &self.resources[i])
    }

    pub fn lookup_index(&self, input: usize, address: &str) -> Option<usize> {
        self.index.get(input)?.get(&self.resources, address)
    }

    /// Appends another model (another input), renumbering its inputs.
    pub fn merge(&mut self, other: Model) {
        if self.inputs.is_empty() && self.resources.is_empty() && self.removed.is_empty() {
            // The first input: nothing to renumber.
            let prior = self.prior.take();
            *self = other;
            if prior.is_some() {
                self.prior = prior;
            }
            return;
        }
        let offset = self.inputs.len();
        self.inputs.extend(other.inputs);
        self.skipped += other.skipped;
        for mut r in other.resources {
            r.input += offset;
            self.push(r);
        }
        for mut d in other.removed {
            d.input += offset;
            self.removed.push(d);
        }
    }

    /// The number of resource instances read (kept or skipped).
    pub fn resource_count(&self) -> usize {
        self.resources.len() + self.skipped
    }

    /// The name reports give a resource: its address, after its root's name in a run of
    /// several inputs (`network/aws_vpc.main`).
    pub fn name_of<'r>(&self, r: &'r Resource) -> Cow<'r, str> {
        qualified(self.root_of(r.input), &r.address)
    }

    /// The root name of input `input` (see [`InputInfo::root`]).
    pub fn root_of(&self, input: usize) -> Option<&Arc<str>> {
        self.inputs.get(input).and_then(|i| i.root.as_ref())
    }

    /// The address inside its root of a name that [`Model::name_of`] gave a resource of input
    /// `input` (the name itself when it has no root prefix).
    pub fn local_address<'n>(&self, input: usize, name: &'n str) -> &'n str {
        self.root_of(input)
            .and_then(|root| name.strip_prefix(&**root)?.strip_prefix('/'))
            .unwrap_or(name)
    }

    /// The input and the address inside it of a name that [`Model::name_of`] gave, by its root
    /// prefix (the longest that fits); `None` when no root name begins it.
    pub fn split_name<'n>(&self, name: &'n str) -> Option<(usize, &'n str)> {
        self.inputs
            .iter()
            .enumerate()
            .filter_map(|(i, info)| {
                let root = info.root.as_deref()?;
                Some((i, root.len(), name.strip_prefix(root)?.strip_prefix('/')?))
            })
            .max_by_key(|&(_, len, _)| len)
            .map(|(i, _, local)| (i, local))
    }
}

/// `root/address`, or the address alone without a root.
pub fn qualified<'a>(root: Option<&Arc<str>>, address: &'a str) -> Cow<'a, str> {
    match root {
        Some(root) => Cow::Owned(format!("{root}/{address}")),
        None => Cow::Borrowed(address),
    }
}

/// Resource types whose attributes pullpath reads. Everything else is counted and skipped
/// without being decoded, which keeps large plans fast.
pub fn is_read(mode_data: bool, rtype: &str) -> bool {
    if mode_data {
        return matches!(
            rtype,
            "aws_vpc"
                | "aws_subnet"
                | "aws_subnets"
                | "aws_route_table"
                | "aws_security_group"
                | "aws_vpc_endpoint"
                | "aws_vpc_endpoint_service"
                | "aws_iam_policy_document"
                | "aws_iam_policy"
                | "aws_iam_role"
                | "aws_region"
                | "aws_partition"
                | "aws_prefix_list"
                | "aws_ec2_managed_prefix_list"
                | "aws_ecr_repository"
                | "aws_ecs_task_definition"
                | "aws_ecs_cluster"
                | "aws_nat_gateway"
                | "aws_internet_gateway"
                | "aws_route53_zone"
                | "aws_caller_identity"
                // Secrets read by ARN (`valueFrom = data.aws_secretsmanager_secret.db.arn`):
                // their type tells which service serves them.
                | "aws_secretsmanager_secret"
                | "aws_secretsmanager_secret_version"
                | "aws_ssm_parameter"
        );
    }
    matches!(
        rtype,
        "aws_vpc"
            | "aws_default_vpc"
            | "aws_vpc_ipv4_cidr_block_association"
            | "aws_subnet"
            | "aws_default_subnet"
            | "aws_route_table"
            | "aws_default_route_table"
            | "aws_route"
            | "aws_vpn_gateway_route_propagation"
            | "aws_route_table_association"
            | "aws_main_route_table_association"
            | "aws_internet_gateway"
            | "aws_egress_only_internet_gateway"
            | "aws_nat_gateway"
            | "aws_instance"
            | "aws_network_interface"
            | "aws_ec2_managed_prefix_list"
            | "aws_ec2_managed_prefix_list_entry"
            | "aws_eip"
            | "aws_eip_association"
            | "aws_vpc_endpoint"
            | "aws_vpc_endpoint_policy"
            | "aws_vpc_endpoint_route_table_association"
            | "aws_vpc_endpoint_subnet_association"
            | "aws_vpc_endpoint_security_group_association"
            | "aws_security_group"
            | "aws_default_security_group"
            | "aws_security_group_rule"
            | "aws_vpc_security_group_ingress_rule"
            | "aws_vpc_security_group_egress_rule"
            | "aws_network_acl"
            | "aws_default_network_acl"
            | "aws_network_acl_rule"
            | "aws_network_acl_association"
            | "aws_vpc_dhcp_options"
            | "aws_default_vpc_dhcp_options"
            | "aws_vpc_dhcp_options_association"
            | "aws_route53_resolver_rule"
            | "aws_route53_resolver_rule_association"
            | "aws_route53_zone"
            | "aws_route53_zone_association"
            | "aws_ecs_service"
            | "aws_ecs_task_set"
            | "aws_ecs_express_gateway_service"
            | "aws_secretsmanager_secret"
            | "aws_secretsmanager_secret_version"
            | "aws_ssm_parameter"
            | "aws_db_instance"
            | "aws_rds_cluster"
            | "aws_ecs_cluster"
            | "aws_ecs_cluster_capacity_providers"
            | "aws_ecs_capacity_provider"
            | "aws_ecs_task_definition"
            | "aws_batch_compute_environment"
            | "aws_batch_job_queue"
            | "aws_batch_job_definition"
            | "aws_cloudwatch_event_target"
            | "aws_scheduler_schedule"
            | "aws_sfn_state_machine"
            | "aws_pipes_pipe"
            | "aws_iam_role"
            | "aws_iam_role_policy"
            | "aws_iam_role_policy_attachment"
            | "aws_iam_role_policies_exclusive"
            | "aws_iam_role_policy_attachments_exclusive"
            | "aws_iam_user_policies_exclusive"
            | "aws_iam_user_policy_attachments_exclusive"
            | "aws_iam_group_policies_exclusive"
            | "aws_iam_group_policy_attachments_exclusive"
            | "aws_iam_policy"
            | "aws_iam_policy_attachment"
            | "aws_iam_user"
            | "aws_iam_user_policy"
            | "aws_iam_user_policy_attachment"
            | "aws_iam_group"
            | "aws_iam_group_policy"
            | "aws_iam_group_policy_attachment"
            | "aws_iam_group_membership"
            | "aws_iam_user_group_membership"
            | "aws_iam_instance_profile"
            | "aws_ecr_repository"
            | "aws_ecr_repository_policy"
            | "aws_ecrpublic_repository"
            | "aws_ecrpublic_repository_policy"
            | "aws_ecr_pull_through_cache_rule"
            | "aws_ecr_registry_policy"
            | "aws_launch_template"
            | "aws_launch_configuration"
            | "aws_autoscaling_group"
            | "aws_kms_key"
            | "aws_kms_alias"
            | "aws_cloudwatch_log_group"
            // Its bucket name gives its ARN in policies (`"${aws_s3_bucket.app.arn}/*"`).
            | "aws_s3_bucket"
    )
}

/// Attributes every resource keeps: identity and placement.
const ALWAYS_KEPT: &[&str] = &["id", "arn", "name", "region", "owner_id", "vpc_id"];

/// Attributes kept though no builder in `graph/build/` reads them by name: a reference through
/// one is followed to what it holds by `graph::index` (`aws_instance.nat.primary_network_interface_id`
/// as a route's `network_interface_id`), and the rest were kept before the lists moved next to
/// the graph code (listed so that the kept set is unchanged).
const ALSO_KEPT: &[(&str, &[&str])] = &[
    ("aws_subnet", &["availability_zone_id"]),
    ("aws_default_subnet", &["availability_zone_id"]),
    ("aws_route_table_association", &["gateway_id"]),
    ("aws_main_route_table_association", &["gateway_id"]),
    ("aws_nat_gateway", &["subnet_id"]),
    (
        "aws_instance",
        &["primary_network_interface_id", "subnet_id"],
    ),
    ("aws_network_interface", &["subnet_id"]),
    ("aws_vpc", &["default_security_group_id"]),
    ("aws_default_vpc", &["default_security_group_id"]),
    ("aws_batch_compute_environment", &["type", "state"]),
    ("aws_batch_job_definition", &["type"]),
    (
        "aws_ecr_pull_through_cache_rule",
        &["upstream_registry_url"],
    ),
];

/// The top-level attributes kept per resource type: what the graph reads
/// ([`crate::graph::build::READS`], each list next to the code that reads it) and
/// [`ALSO_KEPT`]. Built once; looked up for every instance of a plan (with the fast hasher).
fn kept_table() -> &'static crate::hash::FastMap<&'static str, Vec<&'static str>> {
    static KEPT: std::sync::OnceLock<crate::hash::FastMap<&'static str, Vec<&'static str>>> =
        std::sync::OnceLock::new();
    KEPT.get_or_init(|| {
        let mut kept: crate::hash::FastMap<&'static str, Vec<&'static str>> = Default::default();
        let tables = crate::graph::build::READS.iter().copied();
        for &(rtype, attrs) in tables.chain([ALSO_KEPT]).flatten() {
            let list = kept.entry(rtype).or_default();
            for a in attrs {
                if !list.contains(a) {
                    list.push(a);
                }
            }
        }
        kept
    })
}

/// An attribute name, as the static name when pullpath reads that attribute of some type (the
/// tables above), else a copy: references hold it for each target.
pub fn attribute_name(name: &str) -> Cow<'static, str> {
    static NAMES: std::sync::OnceLock<crate::hash::FastSet<&'static str>> =
        std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let kept = kept_table().values().flatten().copied();
        kept.chain(ALWAYS_KEPT.iter().copied())
            .chain(["json", "minified_json", "ids", "repository_url"])
            .collect()
    });
    match names.get(name) {
        Some(n) => Cow::Borrowed(n),
        None => Cow::Owned(name.to_string()),
    }
}

/// The static name of a resource type pullpath reads (from the tables above), for addresses
/// to hold instead of a copy.
pub(crate) fn static_type_name(rtype: &str) -> Option<&'static str> {
    kept_table().get_key_value(rtype).map(|(k, _)| *k)
}

/// The top-level attributes the graph reads, per resource type; `None` keeps every attribute.
/// The JSON readers decode only these (the rest of a large plan is skipped unparsed), so an
/// attribute the graph reads must be in the `READS` list of the file that reads it — a test
/// runs every rule fixture through both the plan reader and the HCL reader, which keeps all.
/// Of data sources, only `aws_vpc` and `aws_subnet` are narrowed (as their resources).
pub fn kept_attributes(data: bool, rtype: &str) -> Option<&'static [&'static str]> {
    if data && !matches!(rtype, "aws_vpc" | "aws_subnet") {
        return None;
    }
    kept_table().get(rtype).map(Vec::as_slice)
}

/// Whether the readers keep a top-level attribute of a resource type, and under which key: a
/// name pullpath reads is the static one from the lists above (no allocation per resource).
pub fn kept_key(kept: Option<&[&'static str]>, key: &str) -> Option<value::Key> {
    let known = |list: &[&'static str]| list.iter().find(|k| **k == key).copied();
    match kept {
        None => Some(attribute_name(key)),
        Some(list) => known(ALWAYS_KEPT)
            .or_else(|| known(list))
            .map(value::Key::Borrowed),
    }
}

#[cfg(test)]
impl InputInfo {
    /// An input of which nothing is known but its path and kind (for tests).
    pub(crate) fn bare(path: &str, kind: InputKind) -> InputInfo {
        InputInfo {
            path: path.into(),
            kind,
            format_version: None,
            terraform_version: None,
            region: None,
            notes: Vec::new(),
            not_expanded: Vec::new(),
            root: None,
            provider_default_tags: false,
            plan_config: None,
            allowed_accounts: None,
            exports: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kept attributes as one central list had them before the lists moved next to the
    /// graph code: the lists must keep the same set, type by type.
    #[rustfmt::skip]
    fn previous(data: bool, rtype: &str) -> Option<&'static [&'static str]> {
    if data {
        return match rtype {
            "aws_vpc" => Some(&[
                "cidr_block",
                "enable_dns_support",
                "enable_dns_hostnames",
                "main_route_table_id",
                "default_route_table_id",
                "default_security_group_id",
                "default_network_acl_id",
            ]),
            "aws_subnet" => Some(&[
                "cidr_block",
                "availability_zone",
                "availability_zone_id",
                "map_public_ip_on_launch",
            ]),
            _ => None,
        };
    }
    Some(match rtype {
        "aws_vpc" | "aws_default_vpc" => &[
            "cidr_block",
            "enable_dns_support",
            "enable_dns_hostnames",
            "main_route_table_id",
            "default_route_table_id",
            "default_security_group_id",
            "default_network_acl_id",
        ],
        "aws_subnet" | "aws_default_subnet" => &[
            "cidr_block",
            "availability_zone",
            "availability_zone_id",
            "map_public_ip_on_launch",
        ],
        "aws_route_table" | "aws_default_route_table" => {
            &["route", "default_route_table_id", "propagating_vgws"]
        }
        "aws_vpn_gateway_route_propagation" => &["route_table_id", "vpn_gateway_id"],
        "aws_vpc_ipv4_cidr_block_association" => &["vpc_id", "cidr_block"],
        "aws_route" => &[
            "route_table_id",
            "destination_cidr_block",
            "destination_ipv6_cidr_block",
            "destination_prefix_list_id",
            "gateway_id",
            "nat_gateway_id",
            "network_interface_id",
            "instance_id",
            "transit_gateway_id",
            "vpc_peering_connection_id",
            "egress_only_gateway_id",
            "vpc_endpoint_id",
            "carrier_gateway_id",
            "local_gateway_id",
            "core_network_arn",
        ],
        "aws_route_table_association" | "aws_main_route_table_association" => {
            &["subnet_id", "route_table_id", "gateway_id"]
        }
        "aws_nat_gateway" => &["connectivity_type", "subnet_id", "availability_mode"],
        "aws_instance" => &[
            "source_dest_check",
            "network_interface",
            "primary_network_interface_id",
            "subnet_id",
            // Container instances (issue 18).
            "vpc_security_group_ids",
            "security_groups",
            "associate_public_ip_address",
            "iam_instance_profile",
            "user_data",
            "user_data_base64",
            "launch_template",
        ],
        "aws_autoscaling_group" => &[
            "vpc_zone_identifier",
            "launch_template",
            "mixed_instances_policy",
            "launch_configuration",
        ],
        "aws_launch_template" => &[
            "vpc_security_group_ids",
            "security_group_names",
            "network_interfaces",
            "iam_instance_profile",
            "user_data",
        ],
        "aws_launch_configuration" => &[
            "security_groups",
            "associate_public_ip_address",
            "iam_instance_profile",
            "user_data",
            "user_data_base64",
        ],
        "aws_iam_instance_profile" => &["role"],
        "aws_ecs_capacity_provider" => &[
            "auto_scaling_group_provider",
            "managed_instances_provider",
            "cluster",
        ],
        "aws_network_interface" => &["source_dest_check", "subnet_id", "security_groups"],
        "aws_eip" => &["network_interface"],
        "aws_eip_association" => &["network_interface_id"],
        "aws_vpc_endpoint" => &[
            "service_name",
            "vpc_endpoint_type",
            "private_dns_enabled",
            "subnet_ids",
            "security_group_ids",
            "route_table_ids",
            "policy",
            "prefix_list_id",
            "service_region",
        ],
        "aws_vpc_endpoint_policy"
        | "aws_vpc_endpoint_route_table_association"
        | "aws_vpc_endpoint_subnet_association"
        | "aws_vpc_endpoint_security_group_association" => &[
            "vpc_endpoint_id",
            "policy",
            "route_table_id",
            "subnet_id",
            "security_group_id",
            "replace_default_association",
        ],
        "aws_security_group" | "aws_default_security_group" => &["ingress", "egress"],
        "aws_security_group_rule" => &[
            "type",
            "security_group_id",
            "protocol",
            "from_port",
            "to_port",
            "cidr_blocks",
            "ipv6_cidr_blocks",
            "prefix_list_ids",
            "source_security_group_id",
            "self",
        ],
        "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => &[
            "security_group_id",
            "ip_protocol",
            "from_port",
            "to_port",
            "cidr_ipv4",
            "cidr_ipv6",
            "prefix_list_id",
            "referenced_security_group_id",
        ],
        "aws_ecs_service" => &[
            "launch_type",
            "capacity_provider_strategy",
            "platform_version",
            "network_configuration",
            "task_definition",
            "cluster",
            "service_connect_configuration",
            "deployment_controller",
        ],
        "aws_ecs_task_set" => &[
            "service",
            "cluster",
            "launch_type",
            "capacity_provider_strategy",
            "platform_version",
            "network_configuration",
            "task_definition",
        ],
        // The keys of secrets and the secret of a version: read since PP404 asks kms:Decrypt.
        "aws_secretsmanager_secret" => &["kms_key_id"],
        "aws_secretsmanager_secret_version" => &["secret_id"],
        "aws_ssm_parameter" => &["key_id", "type"],
        "aws_db_instance" | "aws_rds_cluster" => &[],
        "aws_ecs_express_gateway_service" => &[
            "network_configuration",
            "primary_container",
            "execution_role_arn",
            "cluster",
        ],
        "aws_ecs_cluster" => &["default_capacity_provider_strategy", "capacity_providers"],
        "aws_ecs_cluster_capacity_providers" => &[
            "cluster_name",
            "default_capacity_provider_strategy",
            "capacity_providers",
        ],
        "aws_ecs_task_definition" => &[
            "container_definitions",
            "execution_role_arn",
            "runtime_platform",
            "family",
            "requires_compatibilities",
        ],
        "aws_batch_compute_environment" => {
            &["compute_resources", "type", "state", "eks_configuration"]
        }
        "aws_batch_job_definition" => &[
            "platform_capabilities",
            "container_properties",
            "type",
            "ecs_properties",
            "node_properties",
            "eks_properties",
        ],
        "aws_cloudwatch_event_target" => &["ecs_target"],
        "aws_scheduler_schedule" => &["target"],
        "aws_sfn_state_machine" => &["definition"],
        "aws_pipes_pipe" => &["target", "target_parameters"],
        "aws_ecr_repository" => &["repository_url"],
        "aws_ecr_pull_through_cache_rule" => &["ecr_repository_prefix", "upstream_registry_url"],
        "aws_vpc_dhcp_options" | "aws_default_vpc_dhcp_options" => &["domain_name_servers"],
        "aws_vpc_dhcp_options_association" => &["dhcp_options_id"],
        "aws_network_acl" => &["ingress", "egress", "subnet_ids"],
        "aws_default_network_acl" => &["ingress", "egress", "subnet_ids", "default_network_acl_id"],
        "aws_network_acl_rule" => &[
            "network_acl_id",
            "rule_number",
            "egress",
            "protocol",
            "rule_action",
            "cidr_block",
            "ipv6_cidr_block",
            "from_port",
            "to_port",
        ],
        "aws_network_acl_association" => &["network_acl_id", "subnet_id"],
        "aws_route53_zone" => &["name", "vpc"],
        "aws_route53_zone_association" => &["zone_id"],
        "aws_route53_resolver_rule" => &["domain_name", "rule_type"],
        "aws_route53_resolver_rule_association" => &["resolver_rule_id"],
        // Read since PP404 asks kms:Decrypt, PP407 reads registry policies and the awslogs
        // driver's CreateLogGroup depends on the log groups of the input.
        "aws_kms_key" => &["policy"],
        "aws_kms_alias" => &["target_key_id"],
        "aws_ecr_registry_policy" => &["policy"],
        "aws_cloudwatch_log_group" => &["name_prefix"],
        _ => return None,
    })
}

    fn as_set(l: Option<&[&'static str]>) -> Option<std::collections::BTreeSet<&'static str>> {
        l.map(|l| l.iter().copied().collect())
    }

    #[test]
    fn kept_attributes_are_the_previous_list() {
        // Every resource type named in this file (the previous list's among them) and every
        // type the graph's lists name.
        let src = include_str!("mod.rs");
        let mut types: Vec<&str> = src
            .split('"')
            .filter(|w| {
                w.starts_with("aws_") && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
            })
            .collect();
        types.extend(kept_table().keys().copied());
        types.extend(["aws_s3_bucket", "aws_iam_role", "aws_vpc_endpoint_service"]);
        assert!(types.contains(&"aws_ecr_pull_through_cache_rule"));
        for rtype in types {
            for data in [false, true] {
                assert_eq!(
                    as_set(kept_attributes(data, rtype)),
                    as_set(previous(data, rtype)),
                    "{rtype} (data: {data})"
                );
            }
        }
    }

    fn resource(input: usize, address: &str, name: &str) -> Resource {
        Resource {
            input,
            address: address.to_string(),
            addr: Address::parse(address).unwrap(),
            values: Value::Object([("name", Value::String(name.into()))].into_iter().collect()),
            region: None,
            source: None,
        }
    }

    fn name_at(m: &Model, input: usize, address: &str) -> Option<String> {
        let r = m.lookup(input, address)?;
        assert_eq!(r.address, address);
        assert_eq!(r.input, input);
        r.get("name").and_then(Value::as_str).map(str::to_string)
    }

    #[test]
    fn the_address_index_finds_every_resource_of_its_input_and_no_other() {
        // Pushed one by one (the index grows many times), then taken over whole by push_all.
        let addresses: Vec<String> = (0..5000)
            .map(|i| match i % 3 {
                0 => format!("aws_subnet.s{i}"),
                1 => format!("module.m[\"k{i}\"].aws_subnet.s[{i}]"),
                _ => format!("aws_subnet.s[{i}]"),
            })
            .collect();
        let mut one_by_one = Model::default();
        for a in &addresses {
            one_by_one.push(resource(0, a, a));
        }
        let mut whole = Model::default();
        whole.push_all(1, addresses.iter().map(|a| resource(1, a, a)).collect());
        for (m, input) in [(&one_by_one, 0), (&whole, 1)] {
            assert_eq!(m.resources.len(), addresses.len());
            for (i, a) in addresses.iter().enumerate() {
                assert_eq!(m.lookup_index(input, a), Some(i), "{a}");
                assert_eq!(m.lookup_index(1 - input, a), None, "{a} in the other input");
            }
            for absent in ["aws_subnet.s", "aws_subnet.s0 ", "aws_subnet.s[5000]", ""] {
                assert_eq!(m.lookup_index(input, absent), None, "{absent:?}");
            }
        }
    }

    #[test]
    fn a_second_resource_at_an_address_replaces_the_first() {
        let mut m = Model::default();
        m.push(resource(0, "aws_vpc.a", "first"));
        m.push(resource(0, "aws_vpc.b", "b"));
        m.push(resource(1, "aws_vpc.a", "other input"));
        m.push(resource(0, "aws_vpc.a", "second"));
        assert_eq!(m.resources.len(), 3);
        assert_eq!(name_at(&m, 0, "aws_vpc.a").as_deref(), Some("second"));
        assert_eq!(name_at(&m, 1, "aws_vpc.a").as_deref(), Some("other input"));
        // push_all with a repeated address falls back to pushing one by one: the last wins.
        let mut all = Model::default();
        all.push_all(
            0,
            vec![
                resource(0, "aws_vpc.a", "first"),
                resource(0, "aws_vpc.b", "b"),
                resource(0, "aws_vpc.a", "second"),
            ],
        );
        assert_eq!(all.resources.len(), 2);
        assert_eq!(name_at(&all, 0, "aws_vpc.a").as_deref(), Some("second"));
        assert_eq!(name_at(&all, 0, "aws_vpc.b").as_deref(), Some("b"));
        // Merging renumbers the other model's inputs; its index follows.
        let info = || InputInfo::bare("main.tfplan.json", InputKind::Plan);
        let mut merged = Model::default();
        merged.inputs.push(info());
        merged.push(resource(0, "aws_vpc.a", "zero"));
        let mut other = Model::default();
        other.inputs.push(info());
        other.push(resource(0, "aws_vpc.a", "one"));
        merged.merge(other);
        assert_eq!(name_at(&merged, 0, "aws_vpc.a").as_deref(), Some("zero"));
        assert_eq!(name_at(&merged, 1, "aws_vpc.a").as_deref(), Some("one"));
    }
}
