#!/usr/bin/env node
/**
 * `npm start`: build the snippet, make sure `.dev.vars` holds an ADMIN_TOKEN, start `wrangler dev`
 * with local persistence (extra arguments pass through), then provision the `demo` site once the
 * worker answers. Everything runs on local workerd; nothing leaves the machine.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("../..", import.meta.url));
const passThrough = process.argv.slice(2);

const build = spawnSync(process.execPath, [join(root, "snippet/build.mjs")], { stdio: "inherit", cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

const varsPath = join(root, ".dev.vars");
let vars = existsSync(varsPath) ? readFileSync(varsPath, "utf8") : "";
let token = /^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?/m.exec(vars)?.[1];
if (!token) {
  token = randomBytes(24).toString("base64url");
  vars += `${vars && !vars.endsWith("\n") ? "\n" : ""}ADMIN_TOKEN="${token}"\n`;
  writeFileSync(varsPath, vars, { mode: 0o600 });
  console.log(`[mql-edge] created ${varsPath} with a random ADMIN_TOKEN`);
}

const portArg = passThrough.findIndex((a) => a === "--port" || a.startsWith("--port="));
const port = portArg < 0 ? 8787 : Number(passThrough[portArg].includes("=") ? passThrough[portArg].split("=")[1] : passThrough[portArg + 1]);
const hasPersist = passThrough.some((a) => a.startsWith("--persist-to"));
const args = ["wrangler", "dev", "--ip", "127.0.0.1", ...(portArg < 0 ? ["--port", "8787"] : []), ...(hasPersist ? [] : ["--persist-to", join(root, ".wrangler/state")]), ...passThrough];
const child = spawn("npx", args, { stdio: "inherit", cwd: root, env: process.env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));

const base = `http://127.0.0.1:${port}`;
const demoKey = `demo-${createHashKey(token)}`;
for (let i = 0; i < 120; i++) {
  await new Promise((r) => setTimeout(r, 500));
  try {
    const res = await fetch(`${base}/v1/sites/demo`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ origins: [base, `http://localhost:${port}`], apiKey: demoKey, botFilter: false }),
    });
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
    console.log(`
[mql-edge] ready on ${base}
  demo page   ${base}/demo
  dashboard   ${base}/dashboard
  snippet     ${base}/mql.js
  demo site   "demo", API key ${demoKey}
  admin token in ${varsPath}
  try         curl -H "Authorization: Bearer ${demoKey}" ${base}/v1/sites/demo/mqls
`);
    break;
  } catch (error) {
    if (i === 119) console.error(`[mql-edge] could not provision the demo site: ${error}`);
  }
}

/** The demo key derives from the admin token so restarts keep it stable without storing it twice. */
function createHashKey(secret) {
  return createHash("sha256").update(`demo:${secret}`).digest("hex").slice(0, 24);
}
