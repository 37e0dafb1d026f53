//! Hostile inputs: policy.

#[allow(unused_imports)]
use super::common::*;
