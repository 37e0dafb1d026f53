//! The HCL reader and everything after it: any file content ends in a model (then a graph and
//! findings) or an error, never a panic or a hang.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pullpath::graph::{self, BuildOptions};
use pullpath::hcl::{self, HclOptions};
use pullpath::rules::{self, CheckOptions};

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("pullpath-fuzz-hcl-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let d = dir();
    if std::fs::write(d.join("main.tf"), data).is_err() {
        return;
    }
    let opts = HclOptions { env: Some(Vec::new()), ..HclOptions::default() };
    let Ok(model) = hcl::load_root_module(d, &opts) else { return };
    let net = graph::build(&model, &BuildOptions::default());
    let _ = rules::check(&net, &CheckOptions::default());
});
