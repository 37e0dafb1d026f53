//! AWS naming facts: how partitions, regions, availability zones, ARNs, endpoint service names,
//! service hostnames, container image references and ECR's layer bucket are spelled.
//!
//! One function per fact, each saying what it rests on, with its tests beside it. The rest of
//! pullpath asks here rather than spelling AWS names itself, so that a partition with other
//! names (China, GovCloud, the ISO partitions) is handled in one place.

pub mod arn;
pub mod ecr;
pub mod fargate;
pub mod hostname;
pub mod image;
pub mod partition;
pub mod region;
pub mod service;

pub use arn::{arn_partition, arn_region, arn_service};
pub use ecr::layer_bucket_name;
pub use hostname::service_hostname;
pub use image::{classify, ecr_host_of, prefix_is_private_ecr, EcrHost, Image};
pub use partition::{dns_suffix, partition_of_region, reverse_dns_prefix};
pub use region::{looks_like_region, region_of_az};
pub use service::{
    cross_region_enabled, endpoint_service_name, parse_service, parse_service_template, Service,
    ServiceName,
};

/// The settings of an `aws` provider configuration that give it credentials of its own (the
/// provider's "Authentication and Configuration": a profile, static keys, a role to assume).
/// A configuration without any uses the environment's credentials, as every other such
/// configuration of the run does: they deploy into one account.
pub const CREDENTIAL_SETTINGS: &[&str] = &[
    "profile",
    "access_key",
    "secret_key",
    "token",
    "shared_credentials_files",
    "shared_credentials_file",
    "shared_config_files",
    "assume_role",
    "assume_role_with_web_identity",
];

/// Which `allowed_account_ids` tell the accounts of a run's `aws` provider configurations: each
/// configuration with credentials of its own must say, and the configurations that use the
/// environment's credentials (one account between them) must say at least once, so that an
/// unpinned alias (a `us-east-1` alias for certificates, say) beside a pinned default does not
/// leave the account open.
#[derive(Debug, Default)]
pub struct AccountSettings {
    /// A configuration on the environment's credentials was seen, and whether one said.
    shared_seen: bool,
    shared_said: bool,
}

impl AccountSettings {
    /// The `allowed_account_ids` of one configuration to read (`Some(Some(e))`), none to read
    /// (`Some(None)`: it shares the environment's account with others), or `None` when the
    /// accounts are not known (a configuration with its own credentials that does not say).
    pub fn pinned<'a, T>(
        &mut self,
        allowed: Option<&'a T>,
        own_credentials: bool,
    ) -> Option<Option<&'a T>> {
        match (allowed, own_credentials) {
            (Some(e), own) => {
                if !own {
                    self.shared_seen = true;
                    self.shared_said = true;
                }
                Some(Some(e))
            }
            (None, true) => None,
            (None, false) => {
                self.shared_seen = true;
                Some(None)
            }
        }
    }

    /// `None` when configurations on the environment's credentials were seen and none said.
    pub fn settled(&self) -> Option<()> {
        (!self.shared_seen || self.shared_said).then_some(())
    }
}
