import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

/** Pure code (shared/) runs in plain Node: it has no bindings to need workerd. */
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: { include: ["test/shared/**/*.test.ts", "test/snippet/**/*.test.ts"] },
});
