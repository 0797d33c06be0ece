#!/usr/bin/env node
/**
 * `npm test`: build the snippet, typecheck, then every suite — unit (Node), worker integration
 * (workerd through the Workers pool) and browser end-to-end (Chromium). Prints one closing line,
 * `N passed, N failed, N skipped`, summed from vitest's JSON reports.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const reports = mkdtempSync(join(tmpdir(), "mql-test-"));
const run = (cmd, args) => spawnSync(cmd, args, { stdio: "inherit", cwd: root, env: process.env }).status ?? 1;

let failedSteps = 0;
for (const [label, args] of [
  ["build", ["snippet/build.mjs"]],
  ["typecheck", ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"]],
  ["typecheck shared", ["node_modules/typescript/bin/tsc", "-p", "shared/tsconfig.json"]],
  ["typecheck snippet", ["node_modules/typescript/bin/tsc", "-p", "snippet/tsconfig.json"]],
  ["typecheck tests", ["node_modules/typescript/bin/tsc", "-p", "test/tsconfig.json"]],
]) {
  console.log(`\n— ${label}`);
  if (run(process.execPath, args) !== 0) {
    failedSteps += 1;
    console.error(`✗ ${label} failed`);
  }
}

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const suite of ["unit", "worker", "e2e"]) {
  const config = `test/vitest.${suite}.config.ts`;
  if (!existsSync(join(root, config))) continue;
  console.log(`\n— ${suite} tests`);
  const out = join(reports, `${suite}.json`);
  const status = run(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--config", config, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, "utf8"));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
  }
  if (status !== 0) failedSteps += 1;
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps > 0 || totals.failed > 0 ? 1 : 0);
