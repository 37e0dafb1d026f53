#!/usr/bin/env bash
# Runs each fuzz target for a while (default 900 s = 15 min each), seeded from the project's
# fixtures, and reports executions and crashes. Needs cargo-fuzz (`cargo install cargo-fuzz`);
# with a stable toolchain, RUSTC_BOOTSTRAP=1 lets it build.
#   fuzz/run.sh [SECONDS] [TARGET...]
# FUZZ_CODEGEN_UNITS=16 builds the targets in 16 codegen units instead of cargo-fuzz's 1: the
# build takes about a third less time, the fuzzing runs somewhat slower (CI's short smoke run
# sets it; long runs should not).
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-900}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(plan_reader skim_agree hcl_reader hcl_eval policy config)
export RUSTC_BOOTSTRAP=1
mkdir -p corpus/plan_reader corpus/skim_agree corpus/hcl_reader corpus/hcl_eval corpus/policy corpus/config
cp ../testdata/malformed/*.json ../testdata/examples/*.json corpus/plan_reader/ 2>/dev/null
find ../testdata/plans -name '*.json' -size -200k -exec cp {} corpus/plan_reader/ \; 2>/dev/null
cp corpus/plan_reader/* corpus/skim_agree/ 2>/dev/null
find ../testdata/hcl -name '*.tf' -exec sh -c 'cp "$1" "corpus/hcl_reader/$(echo "$1" | tr / _)"; cp "$1" "corpus/hcl_eval/$(echo "$1" | tr / _)"' _ {} \; 2>/dev/null
cp ../testdata/reports/*.hcl corpus/config/ 2>/dev/null
build=(-O)
[ -n "${FUZZ_CODEGEN_UNITS:-}" ] && build+=(--codegen-units "$FUZZ_CODEGEN_UNITS")
# The targets are built first, all in one build when all are run (their links run side by
# side): a build that fails stops here with its errors, instead of looking like a run that
# found nothing.
if [ $# -eq 0 ]; then builds=(""); else builds=("${targets[@]}"); fi
log=$(mktemp); trap 'rm -f "$log"' EXIT
for t in "${builds[@]}"; do
  if ! cargo fuzz build "${build[@]}" $t >"$log" 2>&1; then
    cat "$log"; echo "the fuzz targets did not build"; exit 1
  fi
done
unfinished=()
for t in "${targets[@]}"; do
  echo "== $t for ${secs}s"
  dict=(); [ -f "dict/$t.dict" ] && dict=(-dict="dict/$t.dict")
  cargo fuzz run "${build[@]}" "$t" "corpus/$t" -- "${dict[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 >"$log" 2>&1
  grep -E "^#[0-9]+ +DONE|Done [0-9]+ runs|SUMMARY|ERROR|panicked|crash-|timeout-" "$log" | tail -5
  # A run that neither finished its time nor stopped at a crash did not fuzz: say so.
  if ! grep -qE "Done [0-9]+ runs|SUMMARY" "$log"; then
    tail -20 "$log"; unfinished+=("$t")
  fi
done
found=$(find artifacts -type f 2>/dev/null)
if [ -n "$found" ]; then
  echo "$found"
  echo "artifacts above: each becomes a fixture in testdata/malformed/"
elif [ ${#unfinished[@]} -gt 0 ]; then
  echo "did not run to the end: ${unfinished[*]}"
  exit 1
else
  echo "no crashes"
fi
