#!/usr/bin/env bash
# Runs Checkov and pullpath side by side on the benchmark's generated plans and prints the
# README's comparison table. Optional: it installs Checkov from PyPI into a temporary virtual
# environment (removed at the end) and takes minutes (Checkov needs about 7 minutes and 3 GB
# for the 1,000-VPC plan).
#
#   scripts/checkov-compare.sh            # 10, 100 and 1,000 VPCs
#   scripts/checkov-compare.sh 10 100     # chosen sizes
#   CHECKOV_VERSION=3.2.500 scripts/checkov-compare.sh
#
# Each tool runs RUNS times (default 3; Checkov once for plans of 1,000 VPCs or more); the
# table shows the median wall time and peak RSS from /usr/bin/time.
set -euo pipefail

cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1000)
runs=${RUNS:-3}
version=${CHECKOV_VERSION:-}

if [ ! -x /usr/bin/time ]; then
    echo "checkov-compare: /usr/bin/time is needed for peak RSS (apt-get install time)" >&2
    exit 2
fi

# The plans (and the release build) come from the benchmark, which also times pullpath.
list=$(IFS=,; echo "${sizes[*]}")
cargo bench --bench scale -- --vpcs "$list" --runs 1 --no-hcl >/dev/null
bin=${CARGO_TARGET_DIR:-target}/release/pullpath
plans=${CARGO_TARGET_DIR:-target}/pullpath-bench

venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "checkov${version:+==$version}"
checkov_version=$("$venv/bin/checkov" --version)

# Prints "seconds kilobytes" of one run of the command (its exit code is ignored: both tools
# exit 1 when they find problems).
measure() {
    /usr/bin/time -o "$venv/time" -f "%e %M" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$venv/time"
}

# Median of the numbers on standard input.
median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "Checkov $checkov_version, pullpath $("$bin" --version | awk '{ print $2 }'), $(nproc) cores"
echo
echo "| plan | resources | size | Checkov wall | Checkov peak RSS | pullpath wall | pullpath peak RSS | speed-up |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
    plan="$plans/plan-$n.json"
    size=$(stat -c %s "$plan")
    resources=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['resource_changes']))" "$plan")
    checkov_runs=$runs
    [ "$n" -lt 1000 ] || checkov_runs=1
    c_t=(); c_m=(); p_t=(); p_m=()
    for _ in $(seq "$checkov_runs"); do
        read -r t m < <(measure "$venv/bin/checkov" -f "$plan" --framework terraform_plan -o json)
        c_t+=("$t"); c_m+=("$m")
    done
    for _ in $(seq "$runs"); do
        read -r t m < <(measure "$bin" check --format json -o /dev/null "$plan")
        p_t+=("$t"); p_m+=("$m")
    done
    ct=$(printf '%s\n' "${c_t[@]}" | median)
    cm=$(printf '%s\n' "${c_m[@]}" | median)
    pt=$(printf '%s\n' "${p_t[@]}" | median)
    pm=$(printf '%s\n' "${p_m[@]}" | median)
    awk -v n="$n" -v r="$resources" -v s="$size" -v ct="$ct" -v cm="$cm" -v pt="$pt" -v pm="$pm" 'BEGIN {
        if (pt < 0.01) pt = 0.01
        printf "| %d VPCs | %d | %.1f MB | %.1f s | %.0f MB | %.2f s | %.0f MB | %.0f× |\n", n, r, s / 1e6, ct, cm / 1024, pt, pm / 1024, ct / pt
    }'
done
