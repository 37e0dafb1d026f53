//! Each VPC's region and partition, decided once every node is placed, from the most to the
//! least direct evidence: the VPC's own attributes, its subnets' zones, its endpoints' service
//! names, the provider configuration, `--region`.

use super::builder::{text, Builder};
use crate::aws::{arn_partition, arn_region, partition_of_region, region_of_az};
use crate::graph::Fact;

impl Builder<'_> {
    /// Decides each VPC's region and partition, from the most to the least direct evidence.
    pub(super) fn regions(&mut self) {
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
                } else if let Some(reg) = r.region.as_deref().map(str::to_string) {
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
                // A cross-region endpoint (`service_region`) names another region's service.
                found = vpc.endpoints.iter().find_map(|&e| {
                    if self.net.endpoints[e].service_region.is_some() {
                        return None;
                    }
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
                        .as_deref()
                        .map(str::to_string)
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
                .and_then(|a| arn_partition(&a).map(str::to_string))
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
