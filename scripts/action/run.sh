#!/usr/bin/env bash
# The shell of the GitHub Action (action.yml at the repository root): one subcommand per step.
#
#   run.sh install   puts pullpath on PATH (for the later steps: $GITHUB_PATH), from
#                    PULLPATH_ACTION_SOURCE: wheel (PyPI, no compile), release (the GitHub release
#                    binary, its SHA-256 checked), cargo (builds this checkout: minutes) or path
#                    (pullpath is already on PATH)
#   run.sh report    writes the SARIF report and the markdown report (--fail-on never: they are
#                    written whatever the verdict), adds the markdown to the job summary, and posts
#                    or updates the pull-request comment (the one starting with <!-- pullpath -->)
#   run.sh gate      annotations (--format github) and the exit code of --fail-on
#
# Inputs come as PULLPATH_ACTION_* variables (action.yml maps its inputs to them; no input is
# ever pasted into the script text). tests/action.rs runs this script as action.yml declares it,
# with stand-ins for pip, curl, cargo and gh.
set -euo pipefail

action_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/pullpath-action"

fail() {
  echo "::error title=pullpath action::$*"
  exit 2
}

# "true" or "false", as GitHub passes booleans to composite actions.
check_boolean() { # check_boolean NAME VALUE
  case "$2" in
  true | false) ;;
  *) fail "input $1 must be true or false, not '$2'" ;;
  esac
}

# The version of this checkout of the action (its Cargo.toml): the action at tag v0.2.0 installs
# pullpath 0.2.0 unless the `version` input says otherwise.
action_version() {
  sed -n 's/^version = "\(.*\)"$/\1/p' "$action_root/Cargo.toml" | head -n 1
}

add_to_path() {
  export PATH="$1:$PATH"
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$1" >>"$GITHUB_PATH"; fi
}

# The release asset's target for this runner.
release_target() {
  case "$(uname -s)/$(uname -m)" in
  Linux/x86_64 | Linux/amd64) echo x86_64-unknown-linux-musl ;;
  Linux/aarch64 | Linux/arm64) echo aarch64-unknown-linux-musl ;;
  Darwin/arm64 | Darwin/aarch64) echo aarch64-apple-darwin ;;
  Darwin/x86_64) echo x86_64-apple-darwin ;;
  MINGW* | MSYS* | CYGWIN*) echo x86_64-pc-windows-msvc ;;
  *) fail "no release binary for $(uname -s) $(uname -m); use source: wheel or cargo" ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  else
    shasum -a 256 "$1" | cut -d ' ' -f 1
  fi
}

install() {
  local source="${PULLPATH_ACTION_SOURCE:-wheel}"
  local version="${PULLPATH_ACTION_VERSION:-}"
  [ -n "$version" ] || version="$(action_version)"
  version="${version#v}"
  mkdir -p "$work"
  case "$source" in
  path)
    command -v pullpath >/dev/null 2>&1 || fail "source: path, but pullpath is not on PATH"
    ;;
  wheel)
    local python
    python="$(command -v python3 || command -v python)" || fail "source: wheel needs Python 3"
    "$python" -m venv "$work/venv" || fail "python -m venv failed"
    local bin="$work/venv/bin"
    [ -d "$bin" ] || bin="$work/venv/Scripts" # Windows
    "$bin/python" -m pip install --quiet --disable-pip-version-check "pullpath==$version" ||
      fail "pip install pullpath==$version failed (is that version on PyPI?)"
    add_to_path "$bin"
    ;;
  release)
    local target ext repo base asset expected actual
    target="$(release_target)"
    ext=tar.gz
    case "$target" in *windows*) ext=zip ;; esac
    repo="${PULLPATH_ACTION_REPOSITORY:-}"
    [ -n "$repo" ] || repo="${GITHUB_REPOSITORY:-}"
    [ -n "$repo" ] || fail "source: release needs the action's repository"
    base="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/v$version"
    asset="pullpath-$version-$target.$ext"
    curl -fsSL --retry 3 -o "$work/$asset" "$base/$asset" ||
      fail "could not download $base/$asset (is v$version released?)"
    curl -fsSL --retry 3 -o "$work/$asset.sha256" "$base/$asset.sha256" ||
      fail "could not download $base/$asset.sha256"
    expected="$(cut -d ' ' -f 1 <"$work/$asset.sha256")"
    actual="$(sha256_of "$work/$asset")"
    [ -n "$expected" ] && [ "$expected" = "$actual" ] ||
      fail "$asset: SHA-256 $actual, but $asset.sha256 says '$expected'"
    mkdir -p "$work/bin"
    if [ "$ext" = zip ]; then
      unzip -q -o "$work/$asset" -d "$work/bin"
    else
      tar -xzf "$work/$asset" -C "$work/bin"
    fi
    add_to_path "$work/bin"
    ;;
  cargo)
    cargo install --quiet --locked --path "$action_root" --root "$work/cargo" ||
      fail "cargo install --path $action_root failed"
    add_to_path "$work/cargo/bin"
    ;;
  *) fail "input source must be wheel, release, cargo or path, not '$source'" ;;
  esac
  pullpath --version
}

# What to check and the extra options, split on white space as a shell would (no globbing).
read_inputs() {
  read -r -a inputs <<<"${PULLPATH_ACTION_INPUT:-plan.json}"
  [ "${#inputs[@]}" -gt 0 ] || fail "input is empty: give a plan JSON or a directory"
  read -r -a args <<<"${PULLPATH_ACTION_ARGS:-}"
}

report() {
  local sarif="${PULLPATH_ACTION_SARIF:-true}" comment="${PULLPATH_ACTION_COMMENT:-true}" status
  check_boolean sarif "$sarif"
  check_boolean comment "$comment"
  read_inputs
  mkdir -p "$work"
  if [ "$sarif" = true ]; then
    pullpath check "${inputs[@]}" ${args[@]+"${args[@]}"} --format sarif -o "$work/pullpath.sarif" \
      --fail-on never
    if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "sarif-file=$work/pullpath.sarif" >>"$GITHUB_OUTPUT"; fi
  fi
  pullpath check "${inputs[@]}" ${args[@]+"${args[@]}"} --format markdown -o "$work/comment.md" --fail-on never
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "comment-file=$work/comment.md" >>"$GITHUB_OUTPUT"; fi
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$work/comment.md" >>"$GITHUB_STEP_SUMMARY"; fi
  [ "$comment" = true ] || return 0
  if [ -z "${PULLPATH_ACTION_PR:-}" ]; then
    echo "not a pull request: no comment (the report is in the job summary)"
    return 0
  fi
  local repo="${GITHUB_REPOSITORY:?}" id
  # The comment to update is the one that starts with the marker; a failure to read or write
  # comments (a pull request from a fork gets a read-only token) is a warning, not a failed check.
  status=0
  id=$(gh api "repos/$repo/issues/$PULLPATH_ACTION_PR/comments" --paginate \
    --jq '.[] | select(.body | startswith("<!-- pullpath -->")) | .id' | head -n 1) || status=$?
  if [ "$status" -eq 0 ]; then
    if [ -n "$id" ]; then
      gh api -X PATCH "repos/$repo/issues/comments/$id" -F "body=@$work/comment.md" >/dev/null ||
        status=$?
    else
      gh api "repos/$repo/issues/$PULLPATH_ACTION_PR/comments" -F "body=@$work/comment.md" \
        >/dev/null || status=$?
    fi
  fi
  if [ "$status" -ne 0 ]; then
    echo "::warning title=pullpath action::could not post the pull-request comment (gh exited $status; does the job have pull-requests: write?)"
  elif [ -n "$id" ]; then
    echo "updated the pull-request comment $id"
  else
    echo "posted the pull-request comment"
  fi
}

gate() {
  read_inputs
  local status=0
  pullpath check "${inputs[@]}" ${args[@]+"${args[@]}"} --format github \
    --fail-on "${PULLPATH_ACTION_FAIL_ON:-error}" || status=$?
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "exit-code=$status" >>"$GITHUB_OUTPUT"; fi
  exit "$status"
}

case "${1:-}" in
install | report | gate) "$1" ;;
*)
  echo "usage: $0 install|report|gate" >&2
  exit 2
  ;;
esac
