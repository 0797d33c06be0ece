import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

/** Worker integration tests run inside workerd with the real Durable Objects from wrangler.toml. */
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { bindings: { ADMIN_TOKEN: "test-admin-token-0123456789" } },
    }),
  ],
  test: { include: ["test/worker/**/*.test.ts"], globalSetup: ["test/support/webhook-receiver.ts"] },
});
