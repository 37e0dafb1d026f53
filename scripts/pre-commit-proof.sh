#!/usr/bin/env bash
# Proves .pre-commit-hooks.yaml with the real pre-commit tool (run by .ci/run):
#
#   1. installs pre-commit from PyPI into a temporary virtual environment;
#   2. makes a temporary git repository with a failing Terraform configuration (a private Fargate
#      service without VPC endpoints) and a passing one (the same with its endpoints);
#   3. the README's .pre-commit-config.yaml snippet, with this checkout as `repo`: the `pullpath`
#      hook must fail on the first configuration, with the finding code in its output, and pass
#      on the second, having checked a workload;
#   4. the `pullpath-plan` hook of the same snippet (its `args` name the plan): it must fail on
#      testdata/examples/seed-incident.json (PP401) and pass on seed-incident-fixed.json, from
#      the same hook environment (one build serves both hooks);
#   5. the hooks that install the wheel (`language: python`, pre-commit-wheel/, published as its
#      own repository by the release workflow): the same checks through try-repo and the README's
#      second snippet, with the wheel of this checkout (PULLPATH_WHEEL_DIR, else built here with
#      maturin) as the only package index, and no cargo or rustc on PATH: a compile cannot happen.
#
# pre-commit builds pullpath with `cargo install` for each `language: rust` hook environment, in
# the checkout's target directory (or $CARGO_TARGET_DIR) so that it reuses the release build of
# the crates; the wheel hooks install in seconds.
# If PyPI cannot be reached, the proof is skipped and says so ("skipped: PyPI unreachable"),
# exit 0; any other failure exits 1.
set -euo pipefail

checkout="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PRE_COMMIT_VERSION="4.7.0"

# Git variables set by an outer hook or CI would point the commands below at the wrong repository.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES
# pullpath settings from the environment would change what the hooks report.
unset PULLPATH_FORMAT PULLPATH_FAIL_ON PULLPATH_UNKNOWN PULLPATH_MODE PULLPATH_CONFIG \
  PULLPATH_REGION PULLPATH_COLOR PULLPATH_TERRAFORM_BIN

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pullpath-pre-commit.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

say() { printf '== pre-commit proof: %s\n' "$*"; }
die() {
  printf 'pre-commit proof FAILED: %s\n' "$*" >&2
  exit 1
}
git_quiet() { git -c user.name=pullpath -c user.email=pullpath@example.invalid \
  -c commit.gpgsign=false -c init.defaultBranch=main "$@" >/dev/null; }

# --- 1. pre-commit from PyPI ------------------------------------------------------------------
index="${PIP_INDEX_URL:-https://pypi.org/simple}"
if ! python3 - "$index" <<'EOF'; then
import sys, urllib.request
url = sys.argv[1].rstrip("/") + "/pre-commit/"
try:
    urllib.request.urlopen(url, timeout=20).read(1)
except Exception as e:  # any failure to reach the index: DNS, refused, timeout, HTTP error
    print(f"{url}: {e}", file=sys.stderr)
    sys.exit(1)
EOF
  echo "skipped: PyPI unreachable ($index); the pre-commit hooks were NOT proven by this run"
  exit 0
fi
say "installing pre-commit $PRE_COMMIT_VERSION from PyPI into a virtual environment"
python3 -m venv "$tmp/venv" || die "python3 -m venv failed (is the venv module installed?)"
"$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "pre-commit==$PRE_COMMIT_VERSION" || die "pip install pre-commit==$PRE_COMMIT_VERSION failed"
pre_commit="$tmp/venv/bin/pre-commit"
"$pre_commit" --version
"$pre_commit" validate-manifest "$checkout/.pre-commit-hooks.yaml" ||
  die ".pre-commit-hooks.yaml is not a valid pre-commit manifest"

# --- the hook repository ----------------------------------------------------------------------
# try-repo takes the checkout's HEAD plus its tracked changes, but not files git does not know
# yet. Prove exactly the working tree: a clean checkout (as CI clones it) is used as it is,
# anything else through a temporary commit of the tracked and untracked, non-ignored files.
hooks_repo="$checkout"
if [ -n "$(git -C "$checkout" status --porcelain --untracked-files=normal)" ]; then
  say "the checkout has uncommitted changes: proving a temporary commit of the working tree"
  hooks_repo="$tmp/hooks-repo"
  mkdir -p "$hooks_repo"
  (cd "$checkout" && git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do
      [ -e "$f" ] || continue # deleted but not yet staged
      mkdir -p "$hooks_repo/$(dirname "$f")"
      cp -p "$f" "$hooks_repo/$f"
    done)
  (cd "$hooks_repo" && git_quiet init && git_quiet add -A && git_quiet commit -m snapshot)
fi
rev="$(git -C "$hooks_repo" rev-parse HEAD)"

# pre-commit runs `cargo install --path .` for each hook environment: the checkout's target
# directory (where .ci/run has just made the release build) lets it reuse the compiled crates.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$checkout/target}"
export PRE_COMMIT_HOME="$tmp/pre-commit-home"

# --- 2. a repository with a failing and a passing configuration -------------------------------
project="$tmp/project"
mkdir -p "$project/failing" "$project/passing"
cp "$checkout"/testdata/hcl/flat/*.tf "$checkout"/testdata/hcl/flat/terraform.tfvars "$project/passing/"
cp "$checkout"/testdata/hcl/flat/*.tf "$checkout"/testdata/hcl/flat/terraform.tfvars "$project/failing/"
rm "$project/failing/endpoints.tf" # the same service, without its VPC endpoints
cd "$project"
git_quiet init && git_quiet add -A && git_quiet commit -m fixtures

# Runs pre-commit in the project; its output goes to $out, its exit code to $status.
out="$tmp/out.txt"
run_pre_commit() {
  status=0
  "$pre_commit" "$@" --color never >"$out" 2>&1 || status=$?
}
show() { sed 's/^/    | /' "$out"; }
expect() { # expect STATUS PATTERN WHAT
  if [ "$status" -ne "$1" ] || ! grep -Eq -- "$2" "$out"; then
    show
    die "$3: expected exit code $1 and output matching /$2/, got exit code $status"
  fi
}

# --- 3. both hooks, configured as the README shows -------------------------------------------
# The README's .pre-commit-config.yaml snippet, with this checkout as `repo` and its `rev`. Both
# hooks come from one repository and one `rev`, so pre-commit makes one hook environment: one
# `cargo install` (a pullpath build: minutes) serves both. (`try-repo` would clone the repository
# again and build a second environment; the wheel hooks below are proven through try-repo.)
awk '/<!-- pre-commit-config:start -->/{on=1; next} /<!-- pre-commit-config:end -->/{on=0} on' \
  "$checkout/README.md" | sed -e '/^```/d' \
  -e "s|^\( *- repo:\).*|\1 $hooks_repo|" -e "s|^\( *rev:\).*|\1 $rev|" \
  >.pre-commit-config.yaml
grep -Eq 'id: pullpath( |$)' .pre-commit-config.yaml ||
  die "README.md's snippet between the pre-commit-config markers has no pullpath hook"
grep -q 'id: pullpath-plan' .pre-commit-config.yaml ||
  die "README.md has no .pre-commit-config.yaml snippet between the pre-commit-config markers"
grep -q 'plan.json' .pre-commit-config.yaml ||
  die "the README's snippet does not give the pullpath-plan hook plan.json"
git_quiet add .pre-commit-config.yaml && git_quiet commit -m config

say "the README's snippet: pullpath on the failing configuration (builds pullpath: minutes)"
run_pre_commit run pullpath --verbose --files failing/*.tf failing/terraform.tfvars
expect 1 'error\[PP101\] ecr-dkr-endpoint-missing' "pullpath hook on failing/"
grep -q -- '- hook id: pullpath' "$out" || { show; die "pre-commit did not run the pullpath hook"; }
grep -Eq '^pullpath\.+Failed' "$out" || { show; die "pre-commit did not report the hook as Failed"; }
show | grep -E 'Failed|error\[PP|summary:' || true
rust_envs() { find "$PRE_COMMIT_HOME" -maxdepth 2 -type d -name 'rustenv-*' | wc -l; }
[ "$(rust_envs)" -eq 1 ] || die "expected one Rust hook environment in $PRE_COMMIT_HOME, found $(rust_envs)"

say "the README's snippet: pullpath on the passing configuration"
run_pre_commit run pullpath --verbose --files passing/*.tf passing/terraform.tfvars
expect 0 'summary: 1 input read \([0-9]+ resources\); 1 VPC with 1 workload checked: 0 errors' \
  "pullpath hook on passing/"
grep -Eq '^pullpath\.+Passed' "$out" || { show; die "pre-commit did not report the hook as Passed"; }
show | grep -E 'Passed|summary:' || true

# --- 4. the `pullpath-plan` hook of the same snippet ------------------------------------------
say "the README's snippet: pullpath-plan on testdata/examples/seed-incident.json (the same environment)"
cp "$checkout/testdata/examples/seed-incident.json" plan.json
run_pre_commit run pullpath-plan --all-files --verbose
expect 1 'error\[PP401\] s3-policy-blocks-layer-bucket' "pullpath-plan hook on seed-incident.json"
grep -Eq '^pullpath \(plan\)\.+Failed' "$out" || { show; die "pre-commit did not report pullpath-plan as Failed"; }
[ "$(rust_envs)" -eq 1 ] ||
  die "pre-commit made a second Rust hook environment for pullpath-plan (one build should serve both hooks)"
show | grep -E 'Failed|error\[PP|summary:' || true

say "pullpath-plan on testdata/examples/seed-incident-fixed.json"
cp "$checkout/testdata/examples/seed-incident-fixed.json" plan.json
run_pre_commit run pullpath-plan --all-files --verbose
expect 0 'summary: 1 input read \([0-9]+ resources\); 1 VPC with 1 workload checked: 0 errors' \
  "pullpath-plan hook on seed-incident-fixed.json"
grep -Eq '^pullpath \(plan\)\.+Passed' "$out" || { show; die "pre-commit did not report pullpath-plan as Passed"; }
show | grep -E 'Passed|summary:' || true

# --- 5. the hooks that install the wheel ------------------------------------------------------
wheels="$tmp/wheels"
mkdir -p "$wheels"
if [ -n "${PULLPATH_WHEEL_DIR:-}" ]; then
  cp "$PULLPATH_WHEEL_DIR"/pullpath-*.whl "$wheels/" || die "no wheel in PULLPATH_WHEEL_DIR=$PULLPATH_WHEEL_DIR"
else
  say "building the wheel with maturin (PULLPATH_WHEEL_DIR is not set)"
  "$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check "maturin>=1,<2" ||
    die "pip install maturin failed"
  (cd "$checkout" && "$tmp/venv/bin/maturin" build --quiet --release --out "$wheels") ||
    die "maturin build failed"
fi
# The placeholder package of the hook repository is built with setuptools: with it in the same
# directory, that directory can be the only index, so the hooks get this checkout's wheel.
"$tmp/venv/bin/python" -m pip download --quiet --disable-pip-version-check --dest "$wheels" \
  setuptools wheel || die "pip download setuptools failed"

# The hook repository as the release workflow publishes it: pre-commit-wheel/, one commit.
wheel_hooks="$tmp/wheel-hooks"
cp -R "$checkout/pre-commit-wheel" "$wheel_hooks"
(cd "$wheel_hooks" && git_quiet init && git_quiet add -A && git_quiet commit -m "pullpath hooks")
wheel_rev="$(git -C "$wheel_hooks" rev-parse HEAD)"
"$pre_commit" validate-manifest "$wheel_hooks/.pre-commit-hooks.yaml" ||
  die "pre-commit-wheel/.pre-commit-hooks.yaml is not a valid pre-commit manifest"

# PATH without cargo and rustc (pre-commit itself is called by its full path).
no_rust_path=""
IFS=: read -r -a path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
  [ -n "$d" ] && [ ! -x "$d/cargo" ] && [ ! -x "$d/rustc" ] && no_rust_path="$no_rust_path${no_rust_path:+:}$d"
done
command -v git >/dev/null || die "git not found"
without_rust() {
  PATH="$no_rust_path" PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels" RUSTUP_TOOLCHAIN=none "$@"
}
if PATH="$no_rust_path" command -v cargo >/dev/null 2>&1; then die "cargo is still on PATH"; fi

say "try-repo of the wheel hooks: pullpath on the failing configuration (no cargo on PATH)"
started=$(date +%s)
status=0
without_rust "$pre_commit" try-repo "$wheel_hooks" pullpath --ref "$wheel_rev" --verbose \
  --color never --files failing/*.tf failing/terraform.tfvars >"$out" 2>&1 || status=$?
expect 1 'error\[PP101\] ecr-dkr-endpoint-missing' "wheel hook pullpath on failing/"
grep -Eq '^pullpath\.+Failed' "$out" || { show; die "pre-commit did not report the wheel hook as Failed"; }
say "the wheel hook environment was made and run in $(($(date +%s) - started)) s"

status=0
without_rust "$pre_commit" try-repo "$wheel_hooks" pullpath --ref "$wheel_rev" --verbose \
  --color never --files passing/*.tf passing/terraform.tfvars >"$out" 2>&1 || status=$?
expect 0 'summary: 1 input read \([0-9]+ resources\); 1 VPC with 1 workload checked: 0 errors' \
  "wheel hook pullpath on passing/"

# The README's snippet for the wheel hooks, with this hook repository as `repo` and its `rev`.
awk '/<!-- pre-commit-config-wheel:start -->/{on=1; next} /<!-- pre-commit-config-wheel:end -->/{on=0} on' \
  "$checkout/README.md" | sed -e '/^```/d' \
  -e "s|^\( *- repo:\).*|\1 $wheel_hooks|" -e "s|^\( *rev:\).*|\1 $wheel_rev|" \
  >.pre-commit-config.yaml
grep -q 'id: pullpath-plan' .pre-commit-config.yaml ||
  die "README.md has no wheel hooks snippet between the pre-commit-config-wheel markers"
git_quiet add .pre-commit-config.yaml && git_quiet commit -m "config: wheel hooks"

say "the README's wheel snippet: pullpath-plan on seed-incident.json, then on its fix"
cp "$checkout/testdata/examples/seed-incident.json" plan.json
started=$(date +%s)
status=0
without_rust "$pre_commit" run pullpath-plan --all-files --verbose --color never >"$out" 2>&1 || status=$?
expect 1 'error\[PP401\] s3-policy-blocks-layer-bucket' "wheel hook pullpath-plan on seed-incident.json"
say "the wheel hook environment was made and run in $(($(date +%s) - started)) s"
# The hook environment pre-commit made holds the pullpath wheel, installed by pip.
find "$PRE_COMMIT_HOME" -path '*/py_env-*/site-packages/pullpath-*.dist-info/RECORD' | grep -q . ||
  die "the wheel hook environment in $PRE_COMMIT_HOME holds no installed pullpath wheel"
cp "$checkout/testdata/examples/seed-incident-fixed.json" plan.json
status=0
without_rust "$pre_commit" run pullpath-plan --all-files --verbose --color never >"$out" 2>&1 || status=$?
expect 0 'summary: 1 input read \([0-9]+ resources\); 1 VPC with 1 workload checked: 0 errors' \
  "wheel hook pullpath-plan on seed-incident-fixed.json"

say "ok: both hooks, built with cargo and installed from the wheel, fail on the failing input with the finding, and pass on the passing one"
