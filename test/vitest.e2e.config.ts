import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

/** End-to-end: the real worker under wrangler dev, real Chromium; one file at a time on 2 cores. */
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["test/e2e/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
