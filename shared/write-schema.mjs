#!/usr/bin/env node
/**
 * Regenerates shared/rules.schema.json from the zod schema in shared/rules-schema.ts, the single
 * source of truth for the rules format. test/shared/rules.test.ts fails when the committed file
 * drifts, so run this after changing the schema:
 *
 *   node shared/write-schema.mjs
 *
 * shared/ is TypeScript, so the module is bundled with esbuild into a temporary ES module first.
 */
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const result = await build({
  entryPoints: [join(here, "rules-schema.ts")],
  bundle: true,
  write: false,
  format: "esm",
  platform: "node",
});
const dir = mkdtempSync(join(tmpdir(), "mql-schema-"));
try {
  const file = join(dir, "rules-schema.mjs");
  writeFileSync(file, result.outputFiles[0].text);
  const { RULES_JSON_SCHEMA } = await import(pathToFileURL(file).href);
  const target = join(here, "rules.schema.json");
  writeFileSync(target, `${JSON.stringify(RULES_JSON_SCHEMA, null, 2)}\n`);
  console.log(`wrote ${target}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
