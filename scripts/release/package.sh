#!/usr/bin/env bash
# Packages a release build for the GitHub release (run by .github/workflows/release.yml):
#
#   scripts/release/package.sh TARGET [OUT_DIR]
#
# takes target/TARGET/release/pullpath (pullpath.exe on Windows) and writes to OUT_DIR (default
# dist/) pullpath-VERSION-TARGET.tar.gz (.zip on Windows) holding the binary, README.md and
# LICENSE, and beside it pullpath-VERSION-TARGET.tar.gz.sha256 ("HASH  NAME", as sha256sum -c
# reads it). scripts/action/run.sh (source: release) and the README's install lines take these
# names; tests/action.rs checks that they agree.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
target="${1:?usage: package.sh TARGET [OUT_DIR]}"
out="${2:-dist}"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
build="${CARGO_TARGET_DIR:-target}/$target/release"
name="pullpath-$version-$target"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cp README.md "$stage/"
[ -f LICENSE ] && cp LICENSE "$stage/"
case "$target" in
*windows*)
  cp "$build/pullpath.exe" "$stage/"
  archive="$name.zip"
  (cd "$stage" && 7z a -tzip -bd "$out/$archive" -- * >/dev/null)
  ;;
*)
  cp "$build/pullpath" "$stage/"
  archive="$name.tar.gz"
  # Members without a leading ./: `tar -xzf ARCHIVE pullpath` extracts the binary alone.
  (cd "$stage" && tar -czf "$out/$archive" -- *)
  ;;
esac
(
  cd "$out"
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$archive" >"$archive.sha256"
  else
    shasum -a 256 "$archive" >"$archive.sha256"
  fi
)
echo "$out/$archive"
