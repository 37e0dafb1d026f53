//! The scale benchmark (`cargo bench --bench scale`): generates plans of private Fargate VPCs in
//! two shapes (`modules`: a module per VPC with `for_each` keys; `flat`: every resource in the
//! root module with a full `configuration`, as most real root modules are), a plan of 1,000,000
//! tiny resources, a flat plan with its `.tf` configuration (`--source`), and a tree of HCL root
//! modules. It runs the release binary several times on each and prints median wall time,
//! throughput, CPU time and peak RSS (from `/usr/bin/time`) and the ratios (wall, and CPU:
//! steadier on a shared machine) to the physical reference: reading
//! the file and parsing it into a `serde_json::Value`, measured as a separate process (this
//! benchmark binary re-run with `--parse-value FILE`), interleaved with the pullpath runs.
//!
//! Options (after `--`): `--vpcs 10,100,1000,10000`, `--shapes modules,flat`, `--tiny 1000000`
//! (`0`: none), `--source 1000` (VPCs of the plan+source run; `0`: none), `--runs 5` (`0`:
//! only write the plans), `--hcl 1000`, `--no-hcl`, `--bin PATH` (measure that pullpath binary
//! instead of building this tree's).

mod gen;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--parse-value") {
        parse_value(&args[i + 1]);
        return;
    }
    let get = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let list = |name: &str, default: &str| -> Vec<usize> {
        get(name)
            .unwrap_or_else(|| default.into())
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .filter(|&n| n > 0)
            .collect()
    };
    let sizes = list("--vpcs", "10,100,1000,10000");
    let shapes: Vec<String> = get("--shapes")
        .unwrap_or_else(|| "modules,flat".into())
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    let tiny = list("--tiny", "1000000");
    let source = list("--source", "1000");
    let runs: usize = get("--runs").and_then(|s| s.parse().ok()).unwrap_or(5);
    let hcl: usize = get("--hcl").and_then(|s| s.parse().ok()).unwrap_or(1000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // `--bin PATH`: another build of pullpath (an older commit, for a before/after table).
    let bin = match get("--bin") {
        Some(b) => PathBuf::from(b),
        None => build_release(root),
    };
    let me = std::env::current_exe().expect("the benchmark's own path");
    let dir = root.join("target").join("pullpath-bench");
    std::fs::create_dir_all(&dir).expect("create target/pullpath-bench");
    let has_time = Path::new("/usr/bin/time").exists();

    println!("| plan | resources | size | pullpath wall | MB/s | pullpath CPU | peak RSS | RSS target (size + 30 MB) | `Value` wall | `Value` CPU | `Value` peak RSS | ratio (wall) | ratio (CPU) |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for shape in &shapes {
        let mut previous: Option<(usize, f64)> = None;
        for &n in &sizes {
            let path = match shape.as_str() {
                "modules" => plan_file(&dir, &format!("plan-{n}.json"), |w| gen::write_plan(n, w)),
                "flat" => plan_file(&dir, &format!("flat-{n}.json"), |w| {
                    gen::write_flat_plan(n, w)
                }),
                other => panic!("unknown shape {other}: expected modules or flat"),
            };
            let wall = measure(
                &bin,
                &me,
                &path,
                &[],
                runs,
                has_time,
                &format!("{n} VPCs, {shape}"),
            );
            if let Some((pn, pt)) = previous {
                eprintln!(
                    "scaling ({shape}) {pn} -> {n} VPCs: time x{:.2} for x{:.1} input",
                    wall / pt,
                    n as f64 / pn as f64
                );
            }
            previous = Some((n, wall));
        }
    }
    for &n in &tiny {
        let path = plan_file(&dir, &format!("tiny-{n}.json"), |w| {
            gen::write_tiny_plan(n, w)
        });
        measure(
            &bin,
            &me,
            &path,
            &[],
            runs,
            has_time,
            &format!("{n} tiny resources"),
        );
    }
    for &n in &source {
        let path = plan_file(&dir, &format!("flat-{n}.json"), |w| {
            gen::write_flat_plan(n, w)
        });
        let src = dir.join(format!("flat-src-{n}"));
        if !src.join("main.tf").exists() {
            gen::write_flat_source(&src, n).expect("write the flat plan's source");
        }
        let with = measure(
            &bin,
            &me,
            &path,
            &["--source".as_ref(), src.as_os_str()],
            runs,
            has_time,
            &format!("{n} VPCs, flat, with --source"),
        );
        let without = measure(
            &bin,
            &me,
            &path,
            &["--no-source".as_ref()],
            runs,
            has_time,
            &format!("{n} VPCs, flat, --no-source"),
        );
        eprintln!(
            "source: {n} VPCs flat plan with its .tf configuration costs {:+.0}% ({:.3} s vs {:.3} s)",
            (with / without - 1.0) * 100.0,
            with,
            without
        );
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

/// The physical reference, run as its own process: read the file, parse it into a
/// `serde_json::Value`, print the number of `resource_changes`.
fn parse_value(path: &str) {
    let text = std::fs::read_to_string(path).expect("read plan");
    let v: serde_json::Value = serde_json::from_str(&text).expect("parse plan");
    let n = v["resource_changes"].as_array().map_or(0, Vec::len);
    println!("{n}");
    // Dropped as any program that uses the tree would drop it.
    drop(v);
    drop(text);
}

/// The plan at `dir/name`, written by `write` when it is not there yet.
fn plan_file(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> PathBuf {
    let path = dir.join(name);
    if !path.exists() {
        let tmp = dir.join(format!("{name}.tmp"));
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp).expect("create plan"));
        write(&mut f).expect("write plan");
        drop(f);
        std::fs::rename(&tmp, &path).expect("rename plan");
    }
    path
}

/// Runs pullpath and the `Value` reference `runs` times each, interleaved, prints the table row
/// and returns pullpath's median wall time.
fn measure(
    bin: &Path,
    me: &Path,
    plan: &Path,
    extra: &[&std::ffi::OsStr],
    runs: usize,
    has_time: bool,
    label: &str,
) -> f64 {
    if runs == 0 {
        // `--runs 0`: only write the plans.
        return 0.0;
    }
    let size = std::fs::metadata(plan).map(|m| m.len()).unwrap_or(0) as f64;
    let mut times = Vec::new();
    let mut rss = Vec::new();
    let mut cpu = Vec::new();
    let mut vtimes = Vec::new();
    let mut vrss = Vec::new();
    let mut vcpu = Vec::new();
    let mut resources = String::new();
    for _ in 0..runs {
        let mut cmd = Command::new(bin);
        cmd.args(["check", "--format", "json", "-o", "/dev/null"])
            .args(extra)
            .arg(plan);
        let (t, r, out) = run(cmd, has_time);
        if out.status.code() == Some(2) {
            panic!("pullpath failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        times.push(t);
        if let Some(u) = r {
            rss.push(u.rss_kb);
            cpu.push(u.cpu);
        }
        let mut cmd = Command::new(me);
        cmd.arg("--parse-value").arg(plan);
        let (t, r, out) = run(cmd, has_time);
        assert!(out.status.success(), "the Value reference failed");
        resources = String::from_utf8_lossy(&out.stdout).trim().to_string();
        vtimes.push(t);
        if let Some(u) = r {
            vrss.push(u.rss_kb);
            vcpu.push(u.cpu);
        }
    }
    let wall = median(&mut times);
    let reference = median(&mut vtimes);
    let mb = size / 1_000_000.0;
    // `time` reports kibibytes; sizes and targets are in MB of 10^6 bytes, so RSS is too.
    let show = |v: &mut Vec<f64>| {
        if v.is_empty() {
            "n/a".to_string()
        } else {
            format!("{:.1} MB", median(v) * 1024.0 / 1e6)
        }
    };
    let secs = |v: &mut Vec<f64>| {
        if v.is_empty() {
            "n/a".to_string()
        } else {
            format!("{:.2} s", median(v))
        }
    };
    let cpu_ratio = if cpu.is_empty() || vcpu.is_empty() {
        "n/a".to_string()
    } else {
        format!("{:.2}", median(&mut cpu) / median(&mut vcpu).max(0.001))
    };
    println!(
        "| {label} | {resources} | {mb:.1} MB | {wall:.3} s | {:.0} | {} | {} | {:.1} MB | {reference:.3} s | {} | {} | {:.2} | {cpu_ratio} |",
        mb / wall,
        secs(&mut cpu),
        show(&mut rss),
        mb + 30.0,
        secs(&mut vcpu),
        show(&mut vrss),
        wall / reference
    );
    wall
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

/// What `/usr/bin/time` says of one process: peak RSS in KB, and CPU seconds (user + system).
struct Usage {
    rss_kb: f64,
    cpu: f64,
}

/// One run of `cmd`: wall seconds, its usage (when `/usr/bin/time` is there: the last line of
/// standard error), and the output.
fn run(cmd: Command, has_time: bool) -> (f64, Option<Usage>, std::process::Output) {
    let mut cmd = if has_time {
        let mut t = Command::new("/usr/bin/time");
        t.arg("-f")
            .arg("%M %U %S")
            .arg(cmd.get_program())
            .args(cmd.get_args());
        t
    } else {
        cmd
    };
    let start = Instant::now();
    let out = cmd.output().expect("run a benchmark process");
    let t = start.elapsed().as_secs_f64();
    let usage = has_time
        .then(|| {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let f: Vec<f64> = stderr
                .lines()
                .last()?
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            match f[..] {
                [rss_kb, user, sys] => Some(Usage {
                    rss_kb,
                    cpu: user + sys,
                }),
                _ => None,
            }
        })
        .flatten();
    (t, usage, out)
}
