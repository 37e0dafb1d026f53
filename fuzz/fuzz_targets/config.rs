//! The configuration file reader: any text is a configuration or an error naming a position.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = pullpath::config::Config::parse(text, "fuzz.pullpath.hcl");
});
