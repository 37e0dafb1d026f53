//! The endpoints of a VPC for a service, and the workloads whose traffic goes through one.

use std::collections::BTreeSet;

use super::needs::{Demand, Need};
use super::scope::{Scope, WorkloadFacts};
use crate::aws::Service;
use crate::graph::*;

impl<'a> Scope<'a> {
    /// The VPC's Interface endpoints of a service that the pull path reaches through an
    /// Interface endpoint (every service but S3), with that service: the endpoints that
    /// workloads may require (PP109, PP111).
    pub fn interface_endpoints(&self) -> Vec<(EndpointIdx, Service)> {
        let Some(v) = self.vpc() else {
            return Vec::new();
        };
        self.net.vpcs[v]
            .endpoints
            .iter()
            .filter(|&&e| self.serves_own_region(e) != Some(false))
            .filter_map(|&e| {
                let ep = &self.net.endpoints[e];
                let svc = ep.service.known().and_then(|s| s.pull)?;
                (svc.is_interface() && ep.kind.known() == Some(&EndpointKind::Interface))
                    .then_some((e, svc))
            })
            .collect()
    }

    /// Endpoints of this VPC for a service (S3: Gateway endpoints only), and whether some other
    /// endpoint might be one (its service or VPC is not known).
    pub fn endpoints_for(&self, svc: Service) -> (Vec<EndpointIdx>, Option<String>) {
        let Some(v) = self.vpc() else {
            return (Vec::new(), None);
        };
        let vpc = &self.net.vpcs[v];
        let mut found = Vec::new();
        let mut uncertain = None;
        for &e in &vpc.endpoints {
            let ep = &self.net.endpoints[e];
            // A cross-region endpoint serves its service region, not the VPC's.
            match (self.serves_own_region(e), &ep.service_region) {
                (Some(false), _) => continue,
                (None, Some(Fact::Unknown(why))) => {
                    uncertain.get_or_insert(format!(
                        "the service region of {} is not known ({why})",
                        ep.node.name()
                    ));
                    continue;
                }
                _ => {}
            }
            match &ep.service {
                Fact::Known(s) if s.pull == Some(svc) => {
                    if svc == Service::S3 {
                        match ep.kind {
                            Fact::Known(EndpointKind::Gateway) => found.push(e),
                            Fact::Known(_) => {}
                            Fact::Unknown(ref why) => {
                                uncertain.get_or_insert(format!(
                                    "the type of {} is not known ({why})",
                                    ep.node.name()
                                ));
                            }
                        }
                    } else {
                        found.push(e);
                    }
                }
                Fact::Known(_) => {}
                Fact::Unknown(why) => {
                    uncertain.get_or_insert(format!(
                        "the service of {} is not known ({why})",
                        ep.node.name()
                    ));
                }
            }
        }
        // A VPC defined outside the input (known by id, or read with a data source) may have
        // endpoints that the input does not show.
        if vpc.node.is_external() || vpc.node.data {
            uncertain.get_or_insert(format!(
                "{} is defined outside the input, which may not show all its endpoints",
                vpc.node.name()
            ));
        }
        // Endpoints of the same input whose VPC is not decided may be this VPC's.
        let inputs: BTreeSet<usize> = vpc.node.input.into_iter().collect();
        for ep in self
            .net
            .unplaced_endpoints
            .iter()
            .map(|&e| &self.net.endpoints[e])
        {
            if let (Fact::Unknown(why), Some(i)) = (&ep.vpc, ep.node.input) {
                let same_service = ep.service.known().is_none_or(|s| s.pull == Some(svc));
                if (inputs.is_empty() || inputs.contains(&i)) && same_service {
                    uncertain.get_or_insert(format!(
                        "the VPC of {} is not known ({why})",
                        ep.node.name()
                    ));
                }
            }
        }
        (found, uncertain)
    }

    /// Whether an endpoint serves the VPC's own region: `Some(false)` for a cross-region endpoint
    /// (`service_region` set to another region), `None` when its service region or the VPC's
    /// region is not known.
    pub fn serves_own_region(&self, e: EndpointIdx) -> Option<bool> {
        match &self.net.endpoints[e].service_region {
            None => Some(true),
            Some(Fact::Known(r)) => self.region().map(|own| own == r),
            Some(Fact::Unknown(_)) => None,
        }
    }

    /// [`Self::endpoint_users`], and for an Interface endpoint whose service is not known, every
    /// workload that calls a service through Interface endpoints, as one that may use it (the
    /// endpoint may be the one it needs): what blocks HTTPS on it is then not decided, never
    /// silently passed.
    pub fn endpoint_users_or_maybe(&self, e: EndpointIdx) -> Vec<(&WorkloadFacts, Use)> {
        let ep = &self.net.endpoints[e];
        let Fact::Unknown(why) = &ep.service else {
            return self.endpoint_users(e);
        };
        if ep.private_dns == Fact::Known(false) {
            return Vec::new();
        }
        self.workloads
            .iter()
            .filter(|f| f.needs.iter().any(|(s, _)| s.is_interface()))
            .map(|f| {
                let why = format!(
                    "the service of {} is not known ({why}); it may be one the workload calls",
                    ep.node.name()
                );
                (f, Use::Maybe(why))
            })
            .collect()
    }

    /// The workloads whose traffic to an Interface endpoint's service goes through it: those
    /// that need the endpoint (no internet route, or strict mode), and, because private DNS
    /// makes the service's public name resolve to the endpoint, every workload that calls the
    /// service when private DNS is on.
    pub fn endpoint_users(&self, e: EndpointIdx) -> Vec<(&WorkloadFacts, Use)> {
        let ep = &self.net.endpoints[e];
        let Some(svc) = ep.service.known().and_then(|s| s.pull) else {
            return Vec::new();
        };
        // ECR does not use S3 through an Interface endpoint: an S3 interface endpoint is not
        // on any pull path.
        if !svc.is_interface() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for f in &self.workloads {
            let Some((_, need)) = f.needs.iter().find(|(s, _)| *s == svc) else {
                continue;
            };
            let u = match (self.demand(f, svc), need) {
                (Demand::Definite(why), _) => Use::Definite(why),
                (Demand::Maybe(why), _) => Use::Maybe(why),
                (Demand::None, need) => match (&ep.private_dns, need) {
                    (Fact::Known(true), Need::Required(why)) => Use::Definite(format!(
                        "{why}, and private DNS sends it to {}",
                        ep.node.name()
                    )),
                    (Fact::Known(true), Need::Unknown(why)) => Use::Maybe(why.clone()),
                    (Fact::Known(false), _) => continue,
                    (Fact::Unknown(why), _) => Use::Maybe(format!(
                        "whether {} has private DNS is not known ({why})",
                        ep.node.name()
                    )),
                },
            };
            out.push((f, u));
        }
        out
    }
}

/// How a workload uses an interface endpoint.
#[derive(Clone, Debug, PartialEq)]
pub enum Use {
    /// It needs the endpoint, or its traffic to the service resolves to the endpoint (private DNS).
    Definite(String),
    Maybe(String),
}
