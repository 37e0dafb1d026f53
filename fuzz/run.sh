#!/usr/bin/env bash
# Runs each fuzz target for a while (default 900 s = 15 min each), seeded from the project's
# fixtures, and reports executions and crashes. Needs cargo-fuzz (`cargo install cargo-fuzz`);
# with a stable toolchain, RUSTC_BOOTSTRAP=1 lets it build.
#   fuzz/run.sh [SECONDS] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")"
secs="${1:-900}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(plan_reader hcl_reader hcl_eval policy config)
export RUSTC_BOOTSTRAP=1
mkdir -p corpus/plan_reader corpus/hcl_reader corpus/hcl_eval corpus/policy corpus/config
cp ../testdata/malformed/*.json ../testdata/examples/*.json corpus/plan_reader/ 2>/dev/null
find ../testdata/plans -name '*.json' -size -200k -exec cp {} corpus/plan_reader/ \; 2>/dev/null
find ../testdata/hcl -name '*.tf' -exec sh -c 'cp "$1" "corpus/hcl_reader/$(echo "$1" | tr / _)"; cp "$1" "corpus/hcl_eval/$(echo "$1" | tr / _)"' _ {} \; 2>/dev/null
cp ../testdata/reports/*.hcl corpus/config/ 2>/dev/null
for t in "${targets[@]}"; do
  echo "== $t for ${secs}s"
  dict=(); [ -f "dict/$t.dict" ] && dict=(-dict="dict/$t.dict")
  cargo fuzz run -O "$t" "corpus/$t" -- "${dict[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 2>&1 | grep -E "^#[0-9]+ +DONE|Done [0-9]+ runs|SUMMARY|ERROR|panicked|crash-|timeout-" | tail -5
done
found=$(find artifacts -type f 2>/dev/null)
if [ -n "$found" ]; then
  echo "$found"
  echo "artifacts above: each becomes a fixture in testdata/malformed/"
else
  echo "no crashes"
fi
