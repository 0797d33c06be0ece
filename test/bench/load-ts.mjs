/**
 * Imports TypeScript from the repo into a plain Node benchmark: esbuild bundles it to a temporary
 * ES module (packages stay external), which is imported and then deleted. `import.meta.url` inside
 * the bundle is pinned to the entry's own URL, so path arithmetic in the source keeps working.
 */
import { build } from "esbuild";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

/** `source` is module text resolved from the repo root, e.g. `export * from "./shared/engine.ts"`. */
export async function importTs(source, entryPath = join(root, "bench-entry.ts")) {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: "ts", sourcefile: entryPath },
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    define: { "import.meta.url": JSON.stringify(pathToFileURL(entryPath).href) },
  });
  const dir = mkdtempSync(join(tmpdir(), "mql-bench-"));
  const file = join(dir, "module.mjs");
  // Bare imports (packages: external) must resolve from the repo, not from the temp dir.
  writeFileSync(file, result.outputFiles[0].text.replace(/from "(?![./])([^"]+)"/g, (_, pkg) => `from ${JSON.stringify(import.meta.resolve(pkg))}`));
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
