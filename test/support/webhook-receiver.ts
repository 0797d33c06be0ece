/**
 * A real HTTP webhook receiver for the worker tests, started in Node by vitest's globalSetup; the
 * worker inside workerd posts to it over loopback. Scenarios are chosen by path:
 *   /hook/flaky/<name>  503 twice per webhook-id, then 200
 *   /hook/ok/<name>     200
 *   /hook/gone/<name>   410
 *   /hook/down/<name>   503, always
 *   /hook/slow/<name>   answers 200 only after 12 s (past the sender's 10 s timeout)
 * `GET /log/<name>` returns every request received under that name, headers and body.
 */
import { createServer, type Server } from "node:http";
import type { TestProject } from "vitest/node";

export interface Received {
  at: number;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export default async function setup(project: TestProject) {
  const log = new Map<string, Received[]>();
  const server: Server = createServer((req, res) => {
    const [, kind, scenario, name] = (req.url ?? "").split("/");
    if (req.method === "GET" && kind === "log") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(log.get(scenario ?? "") ?? []));
      return;
    }
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const entries = log.get(name ?? "") ?? [];
      const id = String(req.headers["webhook-id"]);
      const seen = entries.filter((e) => e.headers["webhook-id"] === id).length;
      const status = scenario === "gone" ? 410 : scenario === "down" || (scenario === "flaky" && seen < 2) ? 503 : 200;
      entries.push({ at: Date.now(), status, headers: req.headers as Record<string, string>, body });
      log.set(name ?? "", entries);
      const answer = () => {
        res.statusCode = status;
        res.end(status === 200 ? "ok" : "nope");
      };
      if (scenario === "slow") setTimeout(answer, 12_000).unref();
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  project.provide("receiverUrl", `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
