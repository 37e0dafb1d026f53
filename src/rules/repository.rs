//! What PP407 and PP408 share: the private ECR repositories a workload pulls from, whether they
//! are in the account of the principal that pulls, the repository and registry policies of the
//! input that apply to them, and the two calls of a pull those policies decide
//! (`ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`, through `ecr.dkr`; DOMAIN.md §1, §2).

use super::analysis::{classify, Image, Scope, Service, Use, WorkloadFacts};
use crate::graph::*;
use crate::policy::{requests, KeyState, Policy, PrincipalSpec, Request};

/// A private ECR repository a workload's image is in.
#[derive(Clone, Debug, PartialEq)]
pub struct Pulled {
    /// The first image of the workload in it, as written (or what stands for it).
    pub image: String,
    /// The registry's account; `None` for a repository of the input that the image names by
    /// reference (`"${aws_ecr_repository.app.repository_url}:1.0"`): the input's own.
    pub account: Option<String>,
    pub region: String,
    /// The repository's name (`team/app`), when known.
    pub name: String,
    /// Its ARN, or the reference that gives it.
    pub arn: String,
    /// The repository of the input the image names by reference (index into
    /// `Network::repositories`).
    pub by_reference: Option<usize>,
}

/// The private ECR repositories of a workload's images, once each, in container order: those of
/// known images, and the repositories of the input an image not known before apply is under.
/// Other images not known before apply are not here (PP601 and PP404 say what they miss).
pub fn pulled(scope: &Scope<'_>, w: &Workload) -> Vec<Pulled> {
    let mut out: Vec<Pulled> = Vec::new();
    let mut add = |p: Pulled| {
        if !out.iter().any(|q| q.arn == p.arn) {
            out.push(p);
        }
    };
    for c in &w.containers {
        if let Some(image) = c.image.known() {
            if let Some(p) = of_image(scope, image, image.clone()) {
                add(p);
            }
            continue;
        }
        // An image under a repository of the input's URL.
        let Some(address) = &c.image_ecr_repository else {
            continue;
        };
        match scope
            .net
            .repositories
            .iter()
            .position(|r| r.node.address.as_deref() == Some(address.as_str()))
        {
            Some(n) => {
                let r = &scope.net.repositories[n];
                add(Pulled {
                    image: format!("the image of {} (in {address})", c.name),
                    account: None,
                    region: r
                        .region
                        .clone()
                        .or(scope.region().map(str::to_string))
                        .unwrap_or_default(),
                    name: r.name.clone().unwrap_or_default(),
                    arn: r.arn.clone().unwrap_or_else(|| format!("{address}.arn")),
                    by_reference: Some(n),
                });
            }
            // A repository read with a data source: in the account its `registry_id` names,
            // when written out (else the input's own, as a managed one).
            None => {
                let url = c
                    .image_ecr_host
                    .as_ref()
                    .filter(|h| h.account.is_some() && h.region.is_some())
                    .map(|h| h.shown.as_str());
                if let Some(p) = url.and_then(|u| {
                    of_image(
                        scope,
                        u,
                        format!("the image of {} (in {address}, {u})", c.name),
                    )
                }) {
                    add(p);
                }
            }
        }
    }
    out
}

/// The repository of an image written out (`<account>.dkr.ecr.<region>.amazonaws.com/<name>…`),
/// shown as `shown`; `None` for an image outside private ECR.
fn of_image(scope: &Scope<'_>, image: &str, shown: String) -> Option<Pulled> {
    let img = classify(image);
    let arn = img.repository_arn(scope.partition())?;
    let Image::PrivateEcr {
        account,
        region,
        repository,
        ..
    } = img
    else {
        return None;
    };
    Some(Pulled {
        image: shown,
        account: Some(account),
        region,
        name: repository,
        arn,
        by_reference: None,
    })
}

/// The account of the principal that pulls a workload's images: its role's ARN when known, else
/// the account the workload's input deploys into; `Err` with why it is not known.
pub fn puller_account(scope: &Scope<'_>, w: &Workload) -> Result<String, String> {
    let arn_of = |role: Option<&Fact<RoleRef>>| match role.and_then(Fact::known) {
        Some(RoleRef::Role(r)) => scope.net.principals[*r].arn.clone(),
        Some(RoleRef::Arn(a)) => Some(a.clone()),
        None => None,
    };
    let account_of = |arn: Option<String>| {
        arn.as_deref()
            .and_then(|a| a.split(':').nth(4))
            .filter(|a| a.len() == 12 && a.bytes().all(|c| c.is_ascii_digit()))
            .map(str::to_string)
    };
    if let Some(account) = account_of(arn_of(w.pull_role.as_ref())) {
        return Ok(account);
    }
    // On EC2 the instance role pulls, but the task runs in its execution role's account: a
    // role is passed only to a service of its own account (IAM User Guide, "Grant a user
    // permissions to pass a role to an AWS service"), and the cluster's instances are there.
    if let Some(account) = account_of(arn_of(w.execution_role.as_ref())) {
        return Ok(account);
    }
    match w.node.input.and_then(|i| scope.net.input_accounts.get(i)) {
        Some(Fact::Known(a)) => Ok(a.clone()),
        Some(Fact::Unknown(why)) => Err(why.clone()),
        None => Err("the workload's input is not known".to_string()),
    }
}

/// Whether a repository is in another account than the principal that pulls from it.
#[derive(Clone, Debug, PartialEq)]
pub enum CrossAccount {
    No,
    Yes {
        puller: String,
    },
    /// Why it is not known.
    Maybe(String),
}

pub fn cross_account(scope: &Scope<'_>, w: &Workload, p: &Pulled) -> CrossAccount {
    // An image under the URL of a repository of the input is in the input's own registry,
    // unless the input's providers pin several accounts: the repository may be managed in
    // another one than the workload (an aliased provider of a shared registry account).
    let Some(account) = &p.account else {
        let several = p.by_reference.and_then(|n| {
            scope
                .net
                .several_accounts_of(scope.net.repositories[n].node.input)
        });
        return match several {
            Some(list) => CrossAccount::Maybe(format!(
                "the input's providers pin several accounts ({list}): whether the repository is in the account of {} is not known",
                w.node.name()
            )),
            None => CrossAccount::No,
        };
    };
    match puller_account(scope, w) {
        Ok(a) if a == *account => CrossAccount::No,
        Ok(a) => CrossAccount::Yes { puller: a },
        Err(why) => CrossAccount::Maybe(format!(
            "whether {account} is the account of {} is not known: {why}",
            w.node.name()
        )),
    }
}

/// A repository or registry policy of the input that applies to a pulled repository.
pub struct RepositoryPolicy<'a> {
    /// The resource the document is written in.
    pub source: &'a Node,
    pub policy: Result<&'a Policy, String>,
    /// A registry policy: what it decides for a pull depends on the registry's policy scope
    /// (`REGISTRY_POLICY_SCOPE`: V1 covers only replication and pull-through cache actions,
    /// V2 every ECR action), which pullpath does not read, so its verdicts are undecided.
    pub registry: bool,
}

/// Why a registry policy's verdict on a pull is not decided.
pub const REGISTRY_SCOPE: &str = "whether the registry policy's scope (REGISTRY_POLICY_SCOPE V1 or V2) covers the pull actions is not known";

/// The policies of the input on a pulled repository: those of the repository of the input with
/// its ARN (or, its ARN being known only after apply, its name in its region, unless the input
/// is known to deploy into another account), and the registry policies of inputs that deploy
/// into the repository's account, in its region.
pub fn policies_of<'a>(net: &'a Network, p: &Pulled) -> Vec<RepositoryPolicy<'a>> {
    let account_of =
        |input: Option<usize>| input.and_then(|i| net.input_accounts.get(i)?.known().cloned());
    let mut out = Vec::new();
    let attached = |a: &'a AttachedPolicy, registry: bool| match a {
        AttachedPolicy::Document { policy, source, .. } => Some(RepositoryPolicy {
            source,
            policy: policy
                .as_ref()
                .map_err(|e| format!("{} is not a valid policy ({e})", source.name())),
            registry,
        }),
        AttachedPolicy::Unknown { reason, source } => Some(RepositoryPolicy {
            source,
            policy: Err(reason.clone()),
            registry,
        }),
        AttachedPolicy::Managed { .. } => None,
    };
    for (n, r) in net
        .repositories
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.public)
    {
        let same = match (&r.arn, &p.account) {
            _ if p.by_reference == Some(n) => true,
            (Some(arn), _) => *arn == p.arn,
            (None, Some(account)) => {
                r.name.as_deref() == Some(p.name.as_str())
                    && r.region.as_deref().is_none_or(|x| x == p.region)
                    && account_of(r.node.input).is_none_or(|a| a == *account)
            }
            (None, None) => false,
        };
        if same {
            out.extend(r.policies.iter().filter_map(|a| attached(a, false)));
        }
    }
    for g in &net.registry_policies {
        let account = match &p.account {
            Some(a) => Some(a.clone()),
            // The input's own registry: that of the repository's input.
            None => p
                .by_reference
                .and_then(|n| account_of(net.repositories[n].node.input)),
        };
        if g.region.as_deref().is_none_or(|x| x == p.region)
            && account.is_some()
            && account_of(g.node.input) == account
        {
            out.extend(attached(&g.policy, true));
        }
    }
    out
}

/// The principal that pulls, as a resource policy sees it: its ARN when known; a role of the
/// input whose ARN is known only after apply as the reference that gives it (a statement naming
/// `aws_iam_role.x.arn` covers it); otherwise a principal not known.
pub fn puller(scope: &Scope<'_>, w: &Workload) -> PrincipalSpec {
    match w.pull_role.as_ref().and_then(Fact::known) {
        Some(RoleRef::Role(r)) => {
            let role = &scope.net.principals[*r];
            match (&role.arn, &role.node.address) {
                (Some(arn), _) => PrincipalSpec::Arn(arn.clone()),
                (None, Some(address)) => {
                    PrincipalSpec::Arn(crate::policy::unknown_text(&format!("{address}.arn")))
                }
                (None, None) => PrincipalSpec::UnknownAwsPrincipal,
            }
        }
        Some(RoleRef::Arn(a)) => PrincipalSpec::Arn(a.clone()),
        None => PrincipalSpec::UnknownAwsPrincipal,
    }
}

/// `aws:SourceVpc` and `aws:SourceVpce` of a workload's `ecr.dkr` calls: those of the VPC's
/// `ecr.dkr` endpoint it surely goes through, absent when it goes through none (an internet
/// route, no endpoint), unknown otherwise.
pub fn dkr_source(scope: &Scope<'_>, f: &WorkloadFacts) -> (KeyState, KeyState) {
    source_through(scope, f, Service::EcrDkr)
}

/// `aws:SourceVpc` and `aws:SourceVpce` of a workload's calls to `svc`, as [`dkr_source`]
/// says them for `ecr.dkr`.
pub fn source_through(scope: &Scope<'_>, f: &WorkloadFacts, svc: Service) -> (KeyState, KeyState) {
    let (eps, uncertain) = scope.endpoints_for(svc);
    for e in eps {
        for (u, how) in scope.endpoint_users(e) {
            if u.idx != f.idx {
                continue;
            }
            return match how {
                Use::Definite(_) => by_reference(scope, e),
                Use::Maybe(why) => (
                    KeyState::unknown(why.clone()),
                    KeyState::unknown(format!(
                        "whether the pull goes through {} is not known: {why}",
                        scope.net.endpoints[e].node.name()
                    )),
                ),
            };
        }
    }
    if let Some(why) = uncertain {
        return (KeyState::unknown(why.clone()), KeyState::unknown(why));
    }
    if scope.vpc().is_none() {
        let why = "the workload's VPC is not known";
        return (KeyState::unknown(why), KeyState::unknown(why));
    }
    (KeyState::Absent, KeyState::Absent)
}

/// `aws:SourceVpc` and `aws:SourceVpce` of calls through endpoint `e`: their ids when known,
/// else the references that give them (`aws_vpc_endpoint.ecr_dkr.id`), which a condition on the
/// same reference matches (see `policy::unknown_text`).
fn by_reference(scope: &Scope<'_>, e: EndpointIdx) -> (KeyState, KeyState) {
    scope.source_keys(e)
}

/// The two calls of a pull a repository policy decides, by `principal`, from `source`.
pub fn pull_requests(
    scope: &Scope<'_>,
    principal: &PrincipalSpec,
    p: &Pulled,
    source: &(KeyState, KeyState),
) -> Vec<Request> {
    [
        requests::EcrPullAction::BatchGetImage,
        requests::EcrPullAction::GetDownloadUrlForLayer,
    ]
    .into_iter()
    .map(|a| {
        let mut req = requests::ecr_pull(
            a,
            principal.clone(),
            &p.region,
            p.account.is_some().then_some(p.arn.as_str()),
            source.0.clone(),
            source.1.clone(),
        );
        if let (None, Some(n)) = (&p.account, p.by_reference) {
            // A repository of the input named by reference: its ARN, or (known only after
            // apply) the reference that gives it, in the shape of an ARN of its name.
            let region = (!p.region.is_empty()).then_some(p.region.as_str());
            let u = crate::policy::UNKNOWN_PART.to_string();
            let repo = &scope.net.repositories[n];
            // A repository the input creates is in its own account (a data source's may not be).
            let account = if repo.node.data {
                u.clone()
            } else {
                crate::policy::OWN_ACCOUNT.to_string()
            };
            req.resource = match repo.arn.clone() {
                Some(arn) => crate::policy::ResourceSpec::Exact(arn),
                None => requests::reference(
                    &p.arn,
                    format!(
                        "arn:{}:ecr:{}:{account}:repository/{}",
                        scope.partition(),
                        region.unwrap_or(&u),
                        if p.name.is_empty() { &u } else { &p.name }
                    ),
                ),
            };
        }
        req
    })
    .collect()
}
