//! The HCL evaluator on arbitrary configurations, read as a root module with pullpath's
//! evaluation budget (always on): every input ends in a model or an error, never a panic, a
//! hang or an abort out of memory. The reader runs on its own thread and turns a panic there
//! into an "internal error" message; that message is a failure here.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pullpath::hcl::{self, HclOptions};

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("pullpath-fuzz-hcl-eval-{}", std::process::id()));
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
    if let Err(e) = hcl::load_root_module(d, &opts) {
        let msg = format!("{e:#}");
        assert!(!msg.contains("internal error"), "{msg}");
    }
});
