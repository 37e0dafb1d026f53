//! Hostile inputs: reports.

#[allow(unused_imports)]
use super::common::*;
