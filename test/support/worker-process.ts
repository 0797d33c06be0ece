/**
 * Runs the real worker under `wrangler dev` (local workerd, local persistence) for end-to-end tests
 * and benchmarks. `stop()` ends it politely; `crash()` SIGKILLs the whole process group, as a
 * power cut would, so tests can prove what survives a restart.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface WorkerProcess {
  url: string;
  port: number;
  adminToken: string;
  output: () => string;
  stop: () => Promise<void>;
  crash: () => Promise<void>;
}

export interface WorkerOptions {
  persistTo: string;
  adminToken?: string;
  port?: number;
  vars?: Record<string, string>;
}

export async function startWorker(options: WorkerOptions): Promise<WorkerProcess> {
  const port = options.port ?? (await freePort());
  const inspector = await freePort();
  const adminToken = options.adminToken ?? "e2e-admin-token-0123456789";
  const vars = { ADMIN_TOKEN: adminToken, ...options.vars };
  const args = [
    join(ROOT, "node_modules/wrangler/bin/wrangler.js"), "dev",
    "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector),
    "--persist-to", options.persistTo, "--show-interactive-dev-session=false", "--log-level", "warn",
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));

  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* already gone */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  };

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${log}`);
    try {
      const res = await fetch(`${url}/mql.js`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await signal("SIGKILL");
      throw new Error(`wrangler dev did not answer within 90 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, port, adminToken, output: () => log, stop: () => signal("SIGTERM"), crash: () => signal("SIGKILL") };
}

/** PUTs a site through the admin API and returns its API key. */
export async function provisionSite(worker: WorkerProcess, site: string, body: Record<string, unknown>): Promise<string> {
  const apiKey = `e2e-key-${site}-0123456789`;
  const res = await fetch(`${worker.url}/v1/sites/${site}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${worker.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ apiKey, ...body }),
  });
  if (!res.ok) throw new Error(`provisioning ${site} failed: ${res.status} ${await res.text()}`);
  return apiKey;
}
