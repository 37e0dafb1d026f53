//! The region of the provider configuration a resource uses, following `providers = { … }`
//! of module calls and the inheritance of default providers.

use super::State;
use crate::hcl::eval::Scope;
use crate::model::Value;

impl State {
    /// The region of the provider configuration a resource uses: its own `region` argument
    /// (AWS provider 6), else its provider's `region`.
    pub(super) fn resource_region(
        &mut self,
        inst: usize,
        ri: usize,
        values: &crate::model::value::Map,
    ) -> Option<Value> {
        let r = &self.insts[inst].cfg.resources[ri];
        if !r.rtype.starts_with("aws_") {
            return None;
        }
        if let Some(v @ Value::String(_)) = values.get("region") {
            return Some(v.clone());
        }
        let key = r.provider.clone().unwrap_or_else(|| "aws".to_string());
        if !(key == "aws" || key.starts_with("aws.")) {
            return None;
        }
        self.provider_region(inst, &key)
    }

    /// The `region` of provider `key` (`aws`, `aws.west`) as seen from module instance `inst`,
    /// following `providers = { … }` and the implicit inheritance of default providers.
    pub(crate) fn provider_region(&mut self, inst: usize, key: &str) -> Option<Value> {
        let memo_key = (inst, key.to_string());
        if let Some(v) = self.provider_memo.get(&memo_key) {
            return v.clone();
        }
        self.provider_memo.insert(memo_key.clone(), None);
        let cfg = self.insts[inst].cfg.clone();
        let v = if let Some(p) = cfg.provider(key) {
            match &p.region {
                Some(e) => {
                    let what = format!("the region of provider `{key}`");
                    let v = self.eval_noted(e, &Scope::module(inst), &what, &p.loc);
                    (!v.is_null()).then_some(v)
                }
                None => None,
            }
        } else if let Some((p, ci)) = self.insts[inst].parent {
            let pcfg = self.insts[p].cfg.clone();
            let call = &pcfg.calls[ci];
            match call.providers.iter().find(|(k, _)| k == key) {
                Some((_, to)) => self.provider_region(p, to),
                None if !key.contains('.') => self.provider_region(p, key),
                None => None,
            }
        } else {
            None
        };
        self.provider_memo.insert(memo_key, v.clone());
        v
    }

    /// The accounts the `aws` provider configurations of the loaded modules restrict the input
    /// to: the union of their `allowed_account_ids`, sorted; `None` when one configuration that
    /// names credentials of its own does not say, when none of those that use the
    /// environment's credentials (one account between them) says, or when a value is not
    /// known (see [`crate::aws::AccountSettings`]).
    pub(crate) fn provider_accounts(&mut self) -> Option<Vec<String>> {
        let mut accounts: Vec<String> = Vec::new();
        let mut shared = crate::aws::AccountSettings::default();
        for inst in 0..self.insts.len() {
            let cfg = self.insts[inst].cfg.clone();
            for p in cfg.providers.iter().filter(|p| p.name == "aws") {
                let Some(e) = shared.pinned(p.allowed_account_ids.as_ref(), p.own_credentials)?
                else {
                    continue;
                };
                let what = "the allowed_account_ids of provider `aws`";
                let v = self.eval_noted(e, &Scope::module(inst), what, &p.loc);
                for id in v.as_list()? {
                    accounts.push(id.as_str()?.to_string());
                }
            }
        }
        // Without a default `aws` provider block, Terraform uses an implicit one on the
        // environment's credentials, which pins no account.
        let root = &self.insts[0].cfg;
        if !root
            .providers
            .iter()
            .any(|p| p.name == "aws" && p.alias.is_none())
        {
            shared.pinned::<hcl::edit::expr::Expression>(None, false)?;
        }
        shared.settled()?;
        accounts.sort();
        accounts.dedup();
        (!accounts.is_empty()).then_some(accounts)
    }
}
