import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

/**
 * Browser end-to-end tests: real Chromium (playwright-core, CHROME_PATH or /usr/bin/chromium)
 * against the real worker under `wrangler dev`, pages served from a different origin. One file at
 * a time: the machine has two cores, and Chromium plus workerd already use both.
 */
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
});
