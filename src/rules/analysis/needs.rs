//! The services a workload's pull path needs, and how much it needs an endpoint for each.

use super::{classify, Image, Service};
use crate::graph::*;

/// Whether a workload needs a service.
#[derive(Clone, Debug, PartialEq)]
pub enum Need {
    Required(String),
    Unknown(String),
}

/// Whether a workload needs an endpoint for a service: decided from its need and its reach.
#[derive(Clone, Debug, PartialEq)]
pub enum Demand {
    Definite(String),
    Maybe(String),
    None,
}

/// The services a workload's pull path needs (DOMAIN.md §2).
pub fn needs(net: &Network, w: WorkloadIdx) -> Vec<(Service, Need)> {
    let wl = &net.workloads[w];
    let mut out = Vec::new();
    let name = wl.node.name();
    // Without an internet route, private ECR through endpoints is the only way to pull; an input
    // whose images are all known and none of them in ECR does not need the ECR endpoints
    // (PP601 reports those images instead). Where no image is known to be in ECR and some are
    // not known, whether the ECR endpoints are needed is not known either (the images may all
    // come from elsewhere): never a definite need. A workload declared with `--workload` has no
    // images at all: it is checked as pulling from private ECR, which is what declaring it asks.
    let images: Vec<Option<Image>> = wl
        .containers
        .iter()
        .map(|c| c.image.known().map(|i| classify(i)))
        .collect();
    let any_ecr = wl.containers.iter().zip(&images).any(|(c, i)| match i {
        Some(img) => img.is_private_ecr(),
        None => c.image_ecr_repository.is_some() || c.image_ecr_host.is_some(),
    });
    let all_known_non_ecr = wl.containers_unknown.is_none()
        && !images.is_empty()
        && images
            .iter()
            .all(|i| matches!(i, Some(img) if !img.is_private_ecr()));
    let ecr_need = if any_ecr {
        Some(Need::Required(format!("{name} pulls its images from ECR")))
    } else if all_known_non_ecr {
        None
    } else if wl.kind == WorkloadKind::Declared {
        Some(Need::Required(format!(
            "{name} is checked as pulling its images from private ECR (a declaration names no image)"
        )))
    } else {
        let why = wl
            .containers_unknown
            .clone()
            .or_else(|| {
                wl.containers
                    .iter()
                    .find_map(|c| c.image.reason().map(str::to_string))
            })
            .unwrap_or_else(|| "its images are not known".to_string());
        Some(Need::Unknown(format!(
            "whether {name} pulls its images from ECR is not known ({why})"
        )))
    };
    if let Some(need) = ecr_need {
        out.push((Service::EcrDkr, need.clone()));
        out.push((Service::S3, need.clone()));
        match wl.platform {
            // A retired platform version (PP111) cannot launch: the workload is judged as it
            // will run once fixed, on 1.4.0 or later (DOMAIN.md §2).
            Fact::Known(Platform::FargateLegacy)
                if !wl.windows && matches!(need, Need::Required(_)) => out.push((
                Service::EcrApi,
                Need::Required(format!(
                    "{name} pins the retired Fargate platform version {} and can launch only on 1.4.0 or later (LATEST), which calls the ECR API",
                    wl.platform_version.as_deref().unwrap_or("1.3.0")
                )),
            )),
            Fact::Known(p) if matches!(need, Need::Required(_)) => {
                let version = if p.is_fargate() {
                    format!(
                        " (platform version {})",
                        wl.platform_version.as_deref().unwrap_or("LATEST")
                    )
                } else {
                    String::new()
                };
                out.push((
                    Service::EcrApi,
                    Need::Required(format!(
                        "{name} runs on {}{version}, which calls the ECR API",
                        platform_label(p)
                    )),
                ))
            }
            _ => out.push((Service::EcrApi, need)),
        }
    }
    // Logs.
    let awslogs: Vec<&Container> = wl
        .containers
        .iter()
        .chain(&wl.log_only)
        .filter(|c| c.uses_awslogs())
        .collect();
    let batch = matches!(
        wl.platform,
        Fact::Known(Platform::BatchEc2 | Platform::BatchFargate)
    );
    if let Some(c) = awslogs.first() {
        let why = if c.log_driver_default {
            format!("the jobs of {name} log with awslogs, AWS Batch's default ({} sets no logConfiguration)", c.name)
        } else {
            format!("{} of {name} uses the awslogs log driver", c.label())
        };
        out.push((Service::Logs, Need::Required(why)));
    } else if batch && wl.containers.is_empty() && wl.definition.is_none() {
        // No job definition in the input (one that cannot be read leaves its driver unknown,
        // below).
        out.push((
            Service::Logs,
            Need::Required(format!(
                "{name} is an AWS Batch environment, whose jobs log with awslogs by default"
            )),
        ));
    } else if let Some(why) = wl.containers_unknown.clone().or_else(|| {
        wl.containers
            .iter()
            .chain(&wl.log_only)
            .find_map(|c| c.log_driver.reason().map(str::to_string))
    }) {
        out.push((
            Service::Logs,
            Need::Unknown(format!("whether {name} uses awslogs is not known ({why})")),
        ));
    }
    // Secrets.
    let mut sm = None;
    let mut ssm = None;
    for c in &wl.containers {
        for s in &c.secrets {
            if crate::aws::arn_service(s) == Some("secretsmanager") {
                sm.get_or_insert(format!("{} of {name} reads the secret {s}", c.label()));
            } else {
                ssm.get_or_insert(format!(
                    "{} of {name} reads the SSM parameter {s}",
                    c.label()
                ));
            }
        }
    }
    for c in &wl.containers {
        for r in &c.secret_refs {
            let (slot, what) = if r.secrets_manager {
                (&mut sm, "the secret")
            } else {
                (&mut ssm, "the SSM parameter")
            };
            slot.get_or_insert(format!(
                "{} of {name} reads {what} of {}",
                c.label(),
                r.address
            ));
        }
    }
    let secrets_unknown = wl
        .containers_unknown
        .clone()
        .or_else(|| wl.containers.iter().find_map(|c| c.secrets_unknown.clone()));
    for (svc, found) in [(Service::SecretsManager, sm), (Service::Ssm, ssm)] {
        match (found, &secrets_unknown) {
            (Some(why), _) => out.push((svc, Need::Required(why))),
            (None, Some(why)) => out.push((
                svc,
                Need::Unknown(format!("whether {name} reads secrets is not known ({why})")),
            )),
            (None, None) => {}
        }
    }
    // The ECS agent on EC2 instances.
    match wl.platform {
        Fact::Known(p) if p.needs_agent_endpoints() => {
            let hosts = match p {
                Platform::EcsManagedInstances => "ECS Managed Instances (EC2 hosts)",
                _ => "EC2 instances",
            };
            for svc in [Service::Ecs, Service::EcsAgent, Service::EcsTelemetry] {
                out.push((
                    svc,
                    Need::Required(format!(
                        "{name} runs on {hosts}, whose ECS agent calls {}",
                        svc.short()
                    )),
                ));
            }
        }
        Fact::Known(_) => {}
        Fact::Unknown(ref why) => {
            for svc in [Service::Ecs, Service::EcsAgent, Service::EcsTelemetry] {
                out.push((
                    svc,
                    Need::Unknown(format!("the platform of {name} is not known ({why})")),
                ));
            }
        }
    }
    out
}

pub fn platform_label(p: Platform) -> &'static str {
    match p {
        Platform::Fargate => "ECS Fargate",
        Platform::FargateLegacy => "ECS Fargate on a retired platform version (1.3.0 or earlier)",
        Platform::EcsEc2 => "ECS on EC2",
        Platform::EcsManagedInstances => "ECS Managed Instances",
        Platform::BatchFargate => "AWS Batch on Fargate",
        Platform::BatchEc2 => "AWS Batch on EC2",
    }
}
