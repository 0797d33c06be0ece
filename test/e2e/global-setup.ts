/**
 * Starts what the browser tests need once for all files: a fresh snippet build and the real worker
 * under `wrangler dev` with throwaway persistence. Without a browser the suite says so loudly and
 * skips (a developer without Chromium can still run everything else); with CI=true that is a
 * failure, so a CI machine that lost its browser cannot go green by skipping.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ROOT, startWorker } from "../support/worker-process";
import { CHROME_PATH } from "./chrome";

export default async function setup(project: TestProject) {
  if (!existsSync(CHROME_PATH)) {
    const message = `no Chromium at ${CHROME_PATH} (set CHROME_PATH, or: apt-get install -y chromium)`;
    if (process.env.CI === "true") throw new Error(`e2e: ${message} — CI must run the browser tests`);
    const bar = "!".repeat(78);
    console.warn(`\n${bar}\n!! E2E BROWSER TESTS SKIPPED: ${message}\n${bar}\n`);
    project.provide("e2eWorker", null);
    return;
  }
  const build = spawnSync(process.execPath, [join(ROOT, "snippet/build.mjs")], { cwd: ROOT, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`snippet build failed:\n${build.stdout}${build.stderr}`);

  const state = mkdtempSync(join(tmpdir(), "mql-e2e-"));
  const worker = await startWorker({ persistTo: state });
  project.provide("e2eWorker", { url: worker.url, adminToken: worker.adminToken });
  return async () => {
    await worker.stop();
    rmSync(state, { recursive: true, force: true });
  };
}
