//! Hostile inputs: hcl.

#[allow(unused_imports)]
use super::common::*;
