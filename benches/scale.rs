//! The scale benchmark (`cargo bench --bench scale`): generates plans of 10, 100, 1,000 and
//! 10,000 private Fargate VPCs and a tree of HCL root modules, runs the release binary several
//! times on each, and prints median wall time, throughput, peak RSS (from `/usr/bin/time`) and
//! the ratio to the physical reference: reading the file and parsing it into a
//! `serde_json::Value`.
//!
//! Options (after `--`): `--vpcs 10,100,1000,10000`, `--runs 5`, `--hcl 1000`, `--no-hcl`.

mod gen;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let get = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let sizes: Vec<usize> = get("--vpcs")
        .unwrap_or_else(|| "10,100,1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let runs: usize = get("--runs").and_then(|s| s.parse().ok()).unwrap_or(5);
    let hcl: usize = get("--hcl").and_then(|s| s.parse().ok()).unwrap_or(1000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = build_release(root);
    let dir = root.join("target").join("pullpath-bench");
    std::fs::create_dir_all(&dir).expect("create target/pullpath-bench");
    let has_time = Path::new("/usr/bin/time").exists();

    println!("| plan | resources | size | pullpath median | MB/s | peak RSS | RSS limit (2×size+30 MB) | serde_json::Value parse | ratio |");
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut previous: Option<(usize, f64)> = None;
    for &n in &sizes {
        let path = dir.join(format!("plan-{n}.json"));
        if !path.exists() {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create plan"));
            gen::write_plan(n, &mut f).expect("write plan");
        }
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64;
        let mut resources = 0;
        let mut times = Vec::new();
        let mut rss = Vec::new();
        for _ in 0..runs {
            let (t, r) = run(&bin, &path, has_time);
            times.push(t);
            if let Some(r) = r {
                rss.push(r);
            }
        }
        let wall = median(&mut times);
        let reference = {
            let mut ts: Vec<f64> = (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    let text = std::fs::read_to_string(&path).expect("read plan");
                    let v: serde_json::Value = serde_json::from_str(&text).expect("parse plan");
                    std::hint::black_box(&v);
                    resources = v["resource_changes"].as_array().map_or(0, Vec::len);
                    drop(v);
                    start.elapsed().as_secs_f64()
                })
                .collect();
            median(&mut ts)
        };
        let mb = size / 1_000_000.0;
        let peak = if rss.is_empty() {
            "n/a".to_string()
        } else {
            format!("{:.0} MB", median(&mut rss) / 1024.0)
        };
        println!(
            "| {n} VPCs | {resources} | {mb:.1} MB | {:.3} s | {:.0} | {peak} | {:.0} MB | {:.3} s | {:.2} |",
            wall,
            mb / wall,
            2.0 * mb + 30.0,
            reference,
            wall / reference
        );
        if let Some((pn, pt)) = previous {
            eprintln!(
                "scaling {pn} -> {n} VPCs: time x{:.2} for x{:.1} input",
                wall / pt,
                n as f64 / pn as f64
            );
        }
        previous = Some((n, wall));
    }
    if !args.iter().any(|a| a == "--no-hcl") && hcl > 0 {
        let tree = dir.join(format!("hcl-{hcl}"));
        if !tree.exists() {
            gen::write_hcl_tree(&tree, hcl, 10).expect("write HCL tree");
        }
        let mut times = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let out = Command::new(&bin)
                .args([
                    "check",
                    "--recursive",
                    "--format",
                    "json",
                    "-o",
                    "/dev/null",
                ])
                .arg(&tree)
                .output()
                .expect("run pullpath");
            times.push(start.elapsed().as_secs_f64());
            if out.status.code() == Some(2) {
                eprintln!(
                    "HCL run failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                        .lines()
                        .take(3)
                        .collect::<Vec<_>>()
                        .join(" / ")
                );
            }
        }
        println!(
            "\nHCL: {hcl} root modules x 10 files, check --recursive: median {:.3} s",
            median(&mut times)
        );
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn build_release(root: &Path) -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "--bin", "pullpath"])
        .current_dir(root)
        .status()
        .expect("cargo build --release");
    assert!(status.success(), "release build failed");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target.join("release").join("pullpath")
}

/// One run: wall seconds and peak RSS in KB (when `/usr/bin/time` is there).
fn run(bin: &Path, plan: &Path, has_time: bool) -> (f64, Option<f64>) {
    let start = Instant::now();
    let out = if has_time {
        Command::new("/usr/bin/time")
            .arg("-f")
            .arg("%M")
            .arg(bin)
            .args(["check", "--format", "json", "-o", "/dev/null"])
            .arg(plan)
            .output()
    } else {
        Command::new(bin)
            .args(["check", "--format", "json", "-o", "/dev/null"])
            .arg(plan)
            .output()
    }
    .expect("run pullpath");
    let t = start.elapsed().as_secs_f64();
    if out.status.code() == Some(2) {
        panic!("pullpath failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let rss = has_time
        .then(|| {
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .and_then(|l| l.trim().parse::<f64>().ok())
        })
        .flatten();
    (t, rss)
}
