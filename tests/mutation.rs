//! Every mutant of a valid input ends in a report or a clear error: never a panic, never a hang.
//! Mutations of the plan fixtures: truncation at many offsets, byte flips, field deletions and
//! type swaps; of HCL fixtures: truncations and byte flips. Each mutant runs the whole pipeline
//! in-process (read, graph, rules, every report format).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use pullpath::graph::{self, BuildOptions};
use pullpath::input::{self, ReadOptions};
use pullpath::model::Model;
use pullpath::report::Report;
use pullpath::rules::{self, CheckOptions};

/// A mutant taking longer than this is a hang (the fixtures take milliseconds).
const BOUND: Duration = Duration::from_secs(10);

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.json` under `dir`, sorted; every `step`-th one.
fn fixtures(dir: &str, step: usize) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root().join(dir))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out.into_iter().step_by(step).collect()
}

/// The whole pipeline on a model: graph, rules, every report format.
fn check_model(model: &Model) {
    let net = graph::build(model, &BuildOptions::default());
    let findings = rules::check(&net, &CheckOptions::default());
    let report = Report {
        model,
        net: &net,
        findings,
        errors: Vec::new(),
        fail_on: Some(rules::Severity::Error),
        fail_on_new_only: false,
        strict: false,
        rules: rules::ALL.to_vec(),
        by_vpc: Default::default(),
        routes_undecided: Default::default(),
    };
    for format in [
        pullpath::cli::Format::Text,
        pullpath::cli::Format::Json,
        pullpath::cli::Format::Markdown,
        pullpath::cli::Format::Github,
        pullpath::cli::Format::Junit,
        pullpath::cli::Format::Sarif,
    ] {
        let out = pullpath::app::render(&report, format, false).expect("render");
        assert!(!out.is_empty());
    }
    let _ = report.exit_code();
}

fn run_json(name: &str, bytes: Vec<u8>) {
    let start = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        match input::load_bytes(bytes, "mutant.json", None, &ReadOptions::default()) {
            Ok(model) => check_model(&model),
            Err(e) => assert!(!format!("{e:#}").is_empty()),
        }
    }));
    assert!(outcome.is_ok(), "{name}: panicked");
    assert!(
        start.elapsed() < BOUND,
        "{name}: took {:?}",
        start.elapsed()
    );
}

/// JSON pointers of every value in a document.
fn pointers(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        _ => {}
    }
}

fn parent_and_key(pointer: &str) -> (&str, &str) {
    let i = pointer.rfind('/').unwrap_or(0);
    (&pointer[..i], &pointer[i + 1..])
}

#[test]
fn mutated_plans_never_panic_or_hang() {
    let mut files = fixtures("testdata/examples", 1);
    files.extend(fixtures("testdata/plans", 4));
    assert!(files.len() >= 20, "fixtures found: {}", files.len());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut mutants = 0;
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let name = file.strip_prefix(root()).unwrap().display().to_string();
        // Truncations.
        for k in 1..=12 {
            let cut = bytes.len() * k / 13;
            run_json(&format!("{name} cut at {cut}"), bytes[..cut].to_vec());
            mutants += 1;
        }
        // Byte flips.
        for _ in 0..12 {
            let mut b = bytes.clone();
            let i = rng.below(b.len());
            b[i] ^= 1 << rng.below(8);
            run_json(&format!("{name} flip at {i}"), b);
            mutants += 1;
        }
        // Field deletions and type swaps.
        let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let mut ptrs = Vec::new();
        pointers(&doc, String::new(), &mut ptrs);
        let swaps = [
            serde_json::json!(null),
            serde_json::json!(true),
            serde_json::json!(7),
            serde_json::json!("text"),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!([{"a": [1, {"b": null}]}]),
        ];
        for n in 0..16 {
            let p = &ptrs[rng.below(ptrs.len())];
            let mut m = doc.clone();
            if n % 2 == 0 {
                let (parent, key) = parent_and_key(p);
                match m.pointer_mut(parent) {
                    Some(serde_json::Value::Object(o)) => {
                        o.remove(&key.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(serde_json::Value::Array(a)) => {
                        if let Ok(i) = key.parse::<usize>() {
                            if i < a.len() {
                                a.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            } else if let Some(slot) = m.pointer_mut(p) {
                *slot = swaps[rng.below(swaps.len())].clone();
            }
            run_json(
                &format!(
                    "{name} {} {p}",
                    if n % 2 == 0 { "without" } else { "swapped" }
                ),
                serde_json::to_vec(&m).unwrap(),
            );
            mutants += 1;
        }
    }
    assert!(mutants > 1000, "{mutants} mutants");
}

#[test]
fn mutated_hcl_never_panics_or_hangs() {
    let mut tf: Vec<PathBuf> = walkdir::WalkDir::new(root().join("testdata/hcl"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "tf")
                && !p.components().any(|c| c.as_os_str() == ".terraform")
        })
        .collect();
    tf.sort();
    let tf: Vec<PathBuf> = tf.into_iter().step_by(3).collect();
    assert!(!tf.is_empty());
    let dir = std::env::temp_dir().join(format!("pullpath-mutation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for file in &tf {
        let bytes = std::fs::read(file).unwrap();
        let name = file.strip_prefix(root()).unwrap().display().to_string();
        let mut mutants: Vec<(String, Vec<u8>)> = Vec::new();
        for k in 1..=6 {
            let cut = bytes.len() * k / 7;
            mutants.push((format!("{name} cut at {cut}"), bytes[..cut].to_vec()));
        }
        for _ in 0..6 {
            let mut b = bytes.clone();
            let i = rng.below(b.len());
            let alphabet = b"{}[]()\"=.*$%#\n\\";
            b[i] = alphabet[rng.below(alphabet.len())];
            mutants.push((format!("{name} byte {i}"), b));
        }
        for (label, b) in mutants {
            std::fs::write(dir.join("main.tf"), &b).unwrap();
            let start = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let opts = pullpath::hcl::HclOptions {
                    env: Some(Vec::new()),
                    ..Default::default()
                };
                if let Ok(model) = pullpath::hcl::load_root_module(&dir, &opts) {
                    check_model(&model);
                }
            }));
            assert!(outcome.is_ok(), "{label}: panicked");
            assert!(
                start.elapsed() < BOUND,
                "{label}: took {:?}",
                start.elapsed()
            );
        }
    }
}
