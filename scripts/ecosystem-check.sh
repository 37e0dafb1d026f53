#!/usr/bin/env bash
# The ecosystem check (issue 16): runs pullpath on real public Terraform projects whose verdicts
# were audited from the AWS documentation before pullpath was run on them
# (testdata/ecosystem/MANIFEST.md), and prints per row and mode AGREE / FALSE-PASS / FALSE-FAIL /
# DIFFER / UNDECIDED, with the totals.
#
#   scripts/ecosystem-check.sh [ROW...]
#
# Environment:
#   ECOSYSTEM_REPOS  a directory holding the repositories, each as `owner+name/repo` (a bare git
#                    directory, as the project's fetch tool lays them out), `owner+name/.git` or
#                    `owner/name/.git` (a clone). A repository that is missing is cloned from
#                    GitHub into it when `ECOSYSTEM_CLONE=1` (needs the network); otherwise its
#                    rows are SKIPPED (never counted as agreeing).
#   PULLPATH         the pullpath binary to measure (default: a release build of this checkout)
#   PULLPATH_BASE    a second binary: the findings that changed between the two are printed per
#                    row (the review aid of a change to the rules or the evaluator)
#   ECOSYSTEM_OUT    where the projects are laid out (default: target/ecosystem)
#   ECOSYSTEM_ROWS   another rows file in the same format (default: testdata/ecosystem/rows.tsv),
#                    e.g. new rows being audited
#
# Rows are read from testdata/ecosystem/rows.tsv (tab-separated, `#` comments):
#   id  repo  commit  root  expected-reach  expected-strict  args  modules
# expected: PASS | FAIL:PP101,PP102 | UNKNOWN | NOWORKLOAD. args: extra pullpath arguments
# (relative to the root) or `-`; `input=FILE` first checks FILE (a committed plan or state)
# instead of the root directory; `@VARS@` stands for testdata/ecosystem/vars, where the variable
# files an audit wrote for a repository that ships none are kept. modules: space-separated `KEY=owner/name@REF[//SUBDIR]`, laid
# out under ROOT/.terraform/modules/KEY with a modules.json as `terraform init` writes it, or `-`.
#
# Verdicts: the gate is `--fail-on error --unknown warn` (the default). PASS: exit 0 with
# workloads and no unknown finding; FAIL: exit 1, the set of rule codes of error findings;
# UNKNOWN: exit 0 with an unknown finding or PP901; NOWORKLOAD: exit 0 without a workload;
# ERROR: exit 2. A row AGREEs when the class (and for FAIL the codes) match exactly;
# FALSE-PASS: exit 0 where 1 was expected (the gate lets a broken deploy through); FALSE-FAIL:
# exit 1 where 0 was expected; DIFFER: both fail, with other codes; UNDECIDED: anything else
# (unknown where a verdict was expected, a read error).
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$(pwd)
rows_file=${ECOSYSTEM_ROWS:-testdata/ecosystem/rows.tsv}
repos=${ECOSYSTEM_REPOS:-}
out=${ECOSYSTEM_OUT:-$root_dir/target/ecosystem}
if [ -z "${PULLPATH:-}" ]; then
  cargo build --quiet --release
  PULLPATH=$root_dir/target/release/pullpath
fi
[ -n "$repos" ] || { echo "set ECOSYSTEM_REPOS to the directory holding the repositories (see the header)"; exit 2; }
mkdir -p "$out"

# The git directory of a repository, or nothing.
git_dir() {
  local repo=$1 flat=${1/\//+}
  for d in "$repos/$flat/repo" "$repos/$flat/.git" "$repos/$repo/.git"; do
    if [ -d "$d" ]; then echo "$d"; return; fi
  done
  if [ "${ECOSYSTEM_CLONE:-0}" = 1 ]; then
    git clone --quiet --bare "https://github.com/$repo" "$repos/$flat/repo" && echo "$repos/$flat/repo"
  fi
}

# Lays out a repository at a commit into a directory. Snapshots may lack their largest files
# (and `git archive` then fails): those are skipped and counted, never a reason to stop.
lay_out() {
  local gd=$1 ref=$2 into=$3
  rm -rf "$into"; mkdir -p "$into"
  python3 - "$gd" "$ref" "$into" <<'PY'
import os, subprocess, sys
gd, ref, into = sys.argv[1:4]
tree = subprocess.run(["git", "--git-dir", gd, "ls-tree", "-r", "-z", ref],
                      check=True, capture_output=True).stdout.split(b"\0")
entries = []
for e in tree:
    if not e:
        continue
    meta, path = e.split(b"\t", 1)
    mode, kind, sha = meta.split()
    if kind == b"blob":
        entries.append((mode, sha, path))
cat = subprocess.Popen(["git", "--git-dir", gd, "cat-file", "--batch"],
                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
missing = 0
for mode, sha, path in entries:
    cat.stdin.write(sha + b"\n"); cat.stdin.flush()
    header = cat.stdout.readline().split()
    if len(header) < 3 or header[1] == b"missing":
        missing += 1
        continue
    data = cat.stdout.read(int(header[2])); cat.stdout.read(1)
    target = os.path.join(into.encode(), path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if mode == b"120000":
        os.symlink(data, target)
    else:
        with open(target, "wb") as f:
            f.write(data)
cat.stdin.close(); cat.wait()
if missing:
    print(f"  ({missing} files absent from the snapshot of {ref[:12]} were skipped)", file=sys.stderr)
PY
}

# One run: prints "CLASS CODES" and keeps the JSON report.
run_one() {
  local bin=$1 dir=$2 mode=$3 report=$4; shift 4
  local code=0 input=.
  # `input=FILE` first among the args: check that file (a committed plan or state) instead of
  # the root directory.
  if [[ "${1:-}" == input=* ]]; then input=${1#input=}; shift; fi
  (cd "$dir" && "$bin" check "$input" --format json --mode "$mode" "$@") >"$report" 2>"$report.err" || code=$?
  python3 - "$report" "$code" <<'PY'
import json, sys
path, code = sys.argv[1], int(sys.argv[2])
if code == 2:
    print("ERROR -"); sys.exit()
try:
    r = json.load(open(path))
except Exception:
    print("ERROR -"); sys.exit()
f = [x for x in r.get("findings", []) if not x.get("suppressed")]
errors = sorted({x["rule"] for x in f if x.get("severity") == "error"})
unknown = any(x.get("verdict") == "unknown" or x.get("rule") == "PP901" for x in f)
if code == 1:
    print("FAIL " + ",".join(errors))
elif r.get("summary", {}).get("workloads", 0) == 0:
    print("NOWORKLOAD -")
elif unknown:
    print("UNKNOWN -")
else:
    print("PASS -")
PY
}

# AGREE / FALSE-PASS / FALSE-FAIL / DIFFER / UNDECIDED for an expected and an actual verdict.
judge() {
  local expected=$1 actual_class=$2 actual_codes=$3
  local e_class=${expected%%:*} e_codes=-
  [[ "$expected" == *:* ]] && e_codes=${expected#*:}
  if [ "$e_class" = "$actual_class" ]; then
    if [ "$e_class" != FAIL ] || [ "$(tr , '\n' <<<"$e_codes" | sort | paste -sd,)" = "$actual_codes" ]; then
      echo AGREE; return
    fi
    echo DIFFER; return
  fi
  if [ "$e_class" = FAIL ]; then
    [ "$actual_class" = ERROR ] && { echo UNDECIDED; return; }
    echo FALSE-PASS; return
  fi
  if [ "$actual_class" = FAIL ]; then echo FALSE-FAIL; return; fi
  echo UNDECIDED
}

declare -A total=()
printf '%-4s %-58s %-7s %-11s %-26s %s\n' row project mode result expected actual
while IFS=$'\t' read -r id repo commit root exp_reach exp_strict args modules; do
  [[ -z "$id" || "$id" == \#* ]] && continue
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$id"; then continue; fi
  gd=$(git_dir "$repo" || true)
  if [ -z "$gd" ]; then
    printf '%-4s %-58s %-7s %-11s\n' "$id" "$repo/$root" - SKIPPED
    total[SKIPPED]=$(( ${total[SKIPPED]:-0} + 2 ))
    continue
  fi
  work="$out/row-$id"
  lay_out "$gd" "$commit" "$work"
  # As a checkout has: pullpath confines file functions to the git repository holding the root
  # (DOMAIN.md §7b), so `templatefile("../../modules/x.json")` from `envs/dev` is read in a
  # clone; without this marker the root alone would be the limit, and the result would depend
  # on whether ECOSYSTEM_OUT lies inside some other git work tree.
  mkdir -p "$work/.git"
  dir="$work/$root"
  if [ "$modules" != - ]; then
    mkdir -p "$dir/.terraform/modules"
    entries='{"Key":"","Source":"","Dir":"."}'
    for m in $modules; do
      key=${m%%=*}; spec=${m#*=}
      src=${spec%%@*}; rest=${spec#*@}; ref=${rest%%//*}; sub=
      [[ "$rest" == *//* ]] && sub=${rest#*//}
      mgd=$(git_dir "$src" || true)
      [ -n "$mgd" ] || { echo "row $id: module $key: repository $src is missing" >&2; continue; }
      lay_out "$mgd" "$ref" "$dir/.terraform/modules/$key"
      mdir=".terraform/modules/$key${sub:+/$sub}"
      entries+=",{\"Key\":\"$key\",\"Source\":\"$src\",\"Version\":\"$ref\",\"Dir\":\"$mdir\"}"
    done
    echo "{\"Modules\":[$entries]}" >"$dir/.terraform/modules/modules.json"
  fi
  extra=(); [ "$args" != - ] && read -r -a extra <<<"${args//@VARS@/$root_dir/testdata/ecosystem/vars}"
  for mode in reachability strict; do
    expected=$exp_reach; [ $mode = strict ] && expected=$exp_strict
    read -r class codes < <(run_one "$PULLPATH" "$dir" $mode "$work/$mode.json" "${extra[@]}")
    result=$(judge "$expected" "$class" "$codes")
    total[$result]=$(( ${total[$result]:-0} + 1 ))
    actual=$class; [ "$codes" != - ] && actual="$class:$codes"
    printf '%-4s %-58s %-7s %-11s %-26s %s\n' "$id" "$repo/$root" "${mode:0:7}" "$result" "$expected" "$actual"
    if [ -n "${PULLPATH_BASE:-}" ]; then
      run_one "$PULLPATH_BASE" "$dir" $mode "$work/$mode.base.json" "${extra[@]}" >/dev/null
      python3 - "$work/$mode.base.json" "$work/$mode.json" <<'PY'
import json, sys
def keys(p):
    try:
        r = json.load(open(p))
    except Exception:
        return set()
    return {(f["rule"], f.get("resource", ""), f.get("verdict", ""), f.get("severity", "")) for f in r.get("findings", [])}
a, b = keys(sys.argv[1]), keys(sys.argv[2])
for k in sorted(a - b):
    print("       - %s %s (%s, %s)" % k)
for k in sorted(b - a):
    print("       + %s %s (%s, %s)" % k)
PY
    fi
  done
done <"$rows_file"

echo
runs=0; for k in "${!total[@]}"; do runs=$(( runs + total[$k] )); done
for k in AGREE FALSE-PASS FALSE-FAIL DIFFER UNDECIDED SKIPPED; do
  printf '%-11s %d\n' "$k" "${total[$k]:-0}"
done
checked=$(( runs - ${total[SKIPPED]:-0} ))
if [ "$checked" -gt 0 ]; then
  echo "agreement: ${total[AGREE]:-0}/$checked verdicts ($(( 100 * ${total[AGREE]:-0} / checked ))%); false passes: ${total[FALSE-PASS]:-0}"
fi
