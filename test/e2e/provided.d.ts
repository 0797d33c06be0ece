import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The worker under `wrangler dev` for the browser tests; null when they are skipped. */
    e2eWorker: { url: string; adminToken: string } | null;
  }
}
