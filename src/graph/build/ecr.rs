//! ECR repositories (private and public) with their repository policies, and the prefixes of
//! the pull-through cache rules.

use crate::hash::FastMap;

use super::builder::{text, Builder};
use super::registry::node_of;
use crate::graph::{RegistryPolicy, Repository};
use crate::model::{Resource, Value};

/// The top-level attributes this file reads, per resource type: part of what the input
/// readers keep (see [`crate::model::kept_attributes`]).
pub(crate) const READS: &[(&str, &[&str])] = &[
    (
        "aws_ecr_pull_through_cache_rule",
        &["ecr_repository_prefix"],
    ),
    ("aws_ecr_registry_policy", &["policy"]),
    // The log groups the input creates: the awslogs driver creates only a missing one.
    ("aws_cloudwatch_log_group", &["name_prefix"]),
];

impl Builder<'_> {
    pub(super) fn repositories(&mut self) {
        let model = self.model();
        let mut by_res: FastMap<usize, usize> = FastMap::default();
        let mut by_name: FastMap<(bool, usize, String), usize> = FastMap::default();
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
                    node: node_of(self.ix.model, r, i),
                    public,
                    name,
                    arn: text(r, "arn"),
                    region: r.region.as_deref().map(str::to_string),
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
                    match by_name.get(&(public, r.input, l.clone())) {
                        Some(&n) => repos.push(n),
                        // A repository the input does not create (another stack's, or another
                        // account's managed here): its policy still decides pulls from it.
                        None => {
                            let n = self.net.repositories.len();
                            by_name.insert((public, r.input, l.clone()), n);
                            self.net.repositories.push(Repository {
                                node: crate::graph::Node {
                                    id: Some(l.clone()),
                                    input: Some(r.input),
                                    ..Default::default()
                                },
                                public,
                                name: Some(l.clone()),
                                arn: None,
                                region: r.region.as_deref().map(str::to_string),
                                policies: Vec::new(),
                            });
                            repos.push(n);
                        }
                    }
                }
                let Some(p) = r.get("policy") else { continue };
                let policy = self.role_policy(r.input, p, node_of(self.ix.model, r, i));
                for n in repos {
                    self.net.repositories[n].policies.push(policy.clone());
                }
            }
        }
    }
    /// Every `aws_ecr_registry_policy` with its document.
    pub(super) fn registry_policies(&mut self) {
        let model = self.model();
        for &i in self.ix.of_type(false, "aws_ecr_registry_policy") {
            let r = &model.resources[i];
            let Some(p) = r.get("policy") else { continue };
            let policy = self.role_policy(r.input, p, node_of(model, r, i));
            self.net.registry_policies.push(RegistryPolicy {
                node: node_of(model, r, i),
                region: r.region.as_deref().map(str::to_string),
                policy,
            });
        }
    }

    /// `ecr_repository_prefix` of every `aws_ecr_pull_through_cache_rule`, sorted, once each.
    pub(super) fn pull_through_prefixes(&mut self) {
        let mut out: Vec<String> = self
            .model()
            .resources
            .iter()
            .filter(|r| r.rtype() == "aws_ecr_pull_through_cache_rule")
            .filter_map(|r| {
                r.get("ecr_repository_prefix")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect();
        out.sort();
        out.dedup();
        self.net.pull_through_prefixes = out;
    }
}
