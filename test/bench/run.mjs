#!/usr/bin/env node
/**
 * `npm run bench`: every benchmark in turn. Each prints its own figures as ratios or rates measured
 * in one run on this machine; nothing here is asserted by `npm test`.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");
const benches = [
  ["snippet size", join(root, "snippet/build.mjs"), ["--report"]],
  ["scoring engine", join(here, "engine.mjs"), []],
  ["webhook latency", join(here, "webhook-latency.mjs"), []],
];
let failed = 0;
for (const [label, file, args] of benches) {
  if (!existsSync(file)) continue;
  console.log(`\n== ${label}`);
  const status = spawnSync(process.execPath, [file, ...args], { stdio: "inherit", cwd: root }).status;
  if (status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
