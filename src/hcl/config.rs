//! The parsed configuration of one module directory, before evaluation.
//!
//! Parsing (HCL native syntax through `hcl::edit`, or Terraform's JSON syntax) produces the
//! same [`Block`]/[`Body`] tree with owned expressions and source locations; the module's
//! variables, locals, outputs, resources, module calls and providers are then picked out of it.
//! Nothing here is evaluated: `count`, `for_each` and every attribute stay expressions until
//! the evaluator needs them.

use hcl::edit::expr::Expression;

use crate::model::{InlineSuppression, Location};

/// An attribute: `name = expr`.
#[derive(Clone, Debug)]
pub(crate) struct Attr {
    pub name: String,
    pub expr: Expression,
    pub loc: Location,
}

/// A block: `kind "label" … { body }`.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Body,
    pub loc: Location,
    /// `# pullpath:ignore=…` comments in or directly above the block (top-level blocks only).
    pub suppressions: Vec<InlineSuppression>,
}

/// The contents of a block or a file.
#[derive(Clone, Debug, Default)]
pub(crate) struct Body {
    pub attrs: Vec<Attr>,
    pub blocks: Vec<Block>,
}

impl Body {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    pub fn expr(&self, name: &str) -> Option<&Expression> {
        self.attr(name).map(|a| &a.expr)
    }

    /// Removes and returns an attribute.
    pub fn take(&mut self, name: &str) -> Option<Attr> {
        let i = self.attrs.iter().position(|a| a.name == name)?;
        Some(self.attrs.remove(i))
    }

    /// Terraform's override merge: attributes of `over` replace those of `self`; nested blocks
    /// of a type that `over` has replace all of `self`'s blocks of that type.
    pub fn merge_override(&mut self, over: Body) {
        for a in over.attrs {
            match self.attrs.iter_mut().find(|x| x.name == a.name) {
                Some(x) => *x = a,
                None => self.attrs.push(a),
            }
        }
        let kinds: Vec<String> = over.blocks.iter().map(block_member_name).collect();
        if !kinds.is_empty() {
            self.blocks
                .retain(|b| !kinds.iter().any(|k| *k == block_member_name(b)));
            self.blocks.extend(over.blocks);
        }
    }
}

/// The attribute name a nested block contributes to: its type, or for `dynamic "x"` blocks `x`.
pub(crate) fn block_member_name(b: &Block) -> String {
    if b.kind == "dynamic" {
        b.labels.first().cloned().unwrap_or_default()
    } else {
        b.kind.clone()
    }
}

/// `variable "name" { … }`.
#[derive(Debug)]
pub(crate) struct Variable {
    pub name: String,
    pub default: Option<Expression>,
    pub ty: Option<Expression>,
    /// False for `nullable = false`: a null value given by the caller is replaced by the
    /// default, as Terraform does.
    pub nullable: bool,
    pub loc: Location,
}

/// `output "name" { value = … }`.
#[derive(Debug)]
pub(crate) struct Output {
    pub value: Option<Expression>,
    pub loc: Location,
}

/// `removed { from = … lifecycle { destroy = … } }`: an object taken out of the configuration.
#[derive(Debug)]
pub(crate) struct Removed {
    /// The address as written (`aws_vpc_endpoint.ecr`, `module.endpoints`), when it is a plain
    /// dotted reference.
    pub from: Option<String>,
    /// `destroy`: `Some(true)` (also when not written: Terraform's default), `Some(false)` (the
    /// object goes on existing, forgotten), `None` when it is not a literal.
    pub destroy: Option<bool>,
    pub loc: Location,
}

/// One entry of a `locals` block.
#[derive(Debug)]
pub(crate) struct Local {
    pub expr: Expression,
    pub loc: Location,
}

/// How a top-level member of a resource body is stored: an attribute, or nested blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MemberKind {
    Attr(usize),
    Blocks,
}

/// `resource "type" "name"` or `data "type" "name"`.
#[derive(Debug)]
pub(crate) struct ResourceCfg {
    pub data: bool,
    pub rtype: String,
    pub name: String,
    /// The body without meta-arguments (`count`, `for_each`, `provider`, `depends_on`,
    /// `lifecycle`, `provisioner`, `connection`).
    pub body: Body,
    pub count: Option<Attr>,
    pub for_each: Option<Attr>,
    /// OpenTofu's `lifecycle { enabled = … }` (1.11): false means no instance, true one
    /// instance without a key.
    pub enabled: Option<Attr>,
    /// `provider = aws.west` as written: `aws.west`.
    pub provider: Option<String>,
    pub loc: Location,
    pub suppressions: Vec<InlineSuppression>,
    /// Top-level members (attributes and block types), in source order.
    pub members: Vec<(String, MemberKind)>,
    pub member_index: crate::hash::FastMap<String, usize>,
    /// [`ResourceCfg::member_locations`] and [`ResourceCfg::attr_syntax`], made once: every
    /// instance of the block, and the declarations a plan is matched against, share them.
    pub locations: std::sync::Arc<[(String, Location)]>,
    pub syntax: std::sync::Arc<[(String, crate::model::Syntax)]>,
}

impl ResourceCfg {
    /// `aws_x.y` or `data.aws_x.y`.
    pub fn config_address(&self) -> String {
        if self.data {
            format!("data.{}.{}", self.rtype, self.name)
        } else {
            format!("{}.{}", self.rtype, self.name)
        }
    }

    /// Locations of top-level attributes and block types (first occurrence), and of the
    /// attributes of nested blocks one level down as `block.attribute` (first block of its
    /// type: `network_configuration.security_groups`).
    pub fn member_locations(&self) -> Vec<(String, Location)> {
        let mut out: Vec<(String, Location)> = Vec::with_capacity(self.members.len());
        for a in &self.body.attrs {
            out.push((a.name.clone(), a.loc.clone()));
        }
        for b in &self.body.blocks {
            let name = block_member_name(b);
            if out.iter().any(|(n, _)| *n == name) {
                continue;
            }
            // `dynamic "x" { content { … } }`: the attributes are in `content`.
            let body = if b.kind == "dynamic" {
                b.body
                    .blocks
                    .iter()
                    .find(|c| c.kind == "content")
                    .map(|c| &c.body)
            } else {
                Some(&b.body)
            };
            out.push((name.clone(), b.loc.clone()));
            for a in body.map_or(&[][..], |body| body.attrs.as_slice()) {
                out.push((format!("{name}.{}", a.name), a.loc.clone()));
            }
        }
        out
    }

    /// How the top-level attributes that may hold a JSON document are written: a
    /// `jsonencode(…)` call, or JSON text (a string, a heredoc, a file). Other expressions (a
    /// reference, a conditional) are left out: their style is not known here.
    pub fn attr_syntax(&self) -> Vec<(String, crate::model::Syntax)> {
        use crate::model::Syntax;
        self.body
            .attrs
            .iter()
            .filter_map(|a| {
                let syntax = match &a.expr {
                    Expression::FuncCall(call) => match call.name.name.as_str() {
                        "jsonencode" => Syntax::Jsonencode,
                        "file" | "templatefile" => Syntax::JsonText,
                        _ => return None,
                    },
                    Expression::String(_)
                    | Expression::StringTemplate(_)
                    | Expression::HeredocTemplate(_) => Syntax::JsonText,
                    Expression::Traversal(t) => Syntax::PolicyDocument(policy_document_ref(t)?),
                    _ => return None,
                };
                Some((a.name.clone(), syntax))
            })
            .collect()
    }
}

/// `data.aws_iam_policy_document.NAME.json` (or `.minified_json`) -> the data source's address
/// in its module; `None` for any other traversal (an index, a splat, another type).
fn policy_document_ref(t: &hcl::edit::expr::Traversal) -> Option<String> {
    use hcl::edit::expr::TraversalOperator;
    let Expression::Variable(root) = &t.expr else {
        return None;
    };
    let names: Vec<&str> = t
        .operators
        .iter()
        .map(|op| match op.value() {
            TraversalOperator::GetAttr(ident) => Some(ident.as_str()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    match (root.as_str(), names.as_slice()) {
        ("data", ["aws_iam_policy_document", name, "json" | "minified_json"]) => {
            Some(format!("data.aws_iam_policy_document.{name}"))
        }
        _ => None,
    }
}

/// `module "name" { source = … }`.
#[derive(Debug)]
pub(crate) struct ModuleCall {
    pub name: String,
    pub source: Option<String>,
    /// Input variable values (every attribute that is not a meta-argument).
    pub body: Body,
    pub count: Option<Attr>,
    pub for_each: Option<Attr>,
    /// OpenTofu's `lifecycle { enabled = … }` (see [`ResourceCfg::enabled`]).
    pub enabled: Option<Attr>,
    /// `providers = { aws = aws.west }`: (name in the child, provider in the caller).
    pub providers: Vec<(String, String)>,
    pub loc: Location,
}

/// `provider "aws" { region = … alias = … allowed_account_ids = … }`.
#[derive(Debug)]
pub(crate) struct ProviderCfg {
    pub name: String,
    pub alias: Option<String>,
    pub region: Option<Expression>,
    /// The block has a `default_tags` block: its resources may carry tags their own `tags`
    /// argument does not show.
    pub default_tags: bool,
    pub allowed_account_ids: Option<Expression>,
    /// The block names credentials of its own (a profile, keys, a role to assume): its account
    /// may differ from that of the configurations that use the environment's credentials.
    pub own_credentials: bool,
    pub loc: Location,
}

/// Everything one module directory declares.
#[derive(Debug, Default)]
pub(crate) struct ModuleConfig {
    /// The directory as shown in messages (relative to how the user named the root), `/`
    /// separators.
    pub dir: String,
    pub variables: Vec<Variable>,
    pub var_index: crate::hash::FastMap<String, usize>,
    pub locals: crate::hash::FastMap<String, Local>,
    pub outputs: crate::hash::FastMap<String, Output>,
    pub resources: Vec<ResourceCfg>,
    /// `type` -> `name` -> index into `resources`, managed resources and data sources apart.
    pub managed_index: crate::hash::FastMap<String, crate::hash::FastMap<String, usize>>,
    pub data_index: crate::hash::FastMap<String, crate::hash::FastMap<String, usize>>,
    pub calls: Vec<ModuleCall>,
    pub call_index: crate::hash::FastMap<String, usize>,
    pub providers: Vec<ProviderCfg>,
    /// `removed` blocks, in order.
    pub removed: Vec<Removed>,
    /// What was tolerated or ignored while reading (e.g. an override block without a base).
    pub notes: Vec<String>,
}

impl ModuleConfig {
    pub fn resource(&self, data: bool, rtype: &str, name: &str) -> Option<usize> {
        let index = if data {
            &self.data_index
        } else {
            &self.managed_index
        };
        index.get(rtype)?.get(name).copied()
    }

    pub fn provider(&self, key: &str) -> Option<&ProviderCfg> {
        let (name, alias) = match key.split_once('.') {
            Some((n, a)) => (n, Some(a)),
            None => (key, None),
        };
        self.providers
            .iter()
            .find(|p| p.name == name && p.alias.as_deref() == alias)
    }
}
