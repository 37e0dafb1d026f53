//! The plan/state reader and everything after it: any bytes end in a model (then a graph and
//! findings) or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pullpath::graph::{self, BuildOptions};
use pullpath::input::{self, ReadOptions};
use pullpath::rules::{self, CheckOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(model) = input::load_bytes(data.to_vec(), "fuzz.json", None, &ReadOptions::default()) else {
        return;
    };
    let net = graph::build(&model, &BuildOptions::default());
    let _ = rules::check(&net, &CheckOptions::default());
});
