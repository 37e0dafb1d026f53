//! Hostile inputs: input.

#[allow(unused_imports)]
use super::common::*;
