/**
 * A pending webhook delivery survives the worker being killed: the outbox row and the alarm are
 * in the visitor object's persisted storage, so after `wrangler dev` restarts on the same state
 * the retry goes out by itself — no request needs to wake the visitor.
 */
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provisionSite, startWorker, type WorkerProcess } from "../support/worker-process";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
let mode: "refuse" | "accept" = "refuse";
const hits: { status: number; id: string; body: string; headers: Record<string, string> }[] = [];
let receiver: Server;
let receiverUrl = "";
let worker: WorkerProcess | undefined;
const state = mkdtempSync(join(tmpdir(), "mql-restart-"));

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const status = mode === "refuse" ? 503 : 200;
      hits.push({ status, id: String(req.headers["webhook-id"]), body, headers: req.headers as Record<string, string> });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const address = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/hook`;
});

afterAll(async () => {
  await worker?.stop();
  await new Promise((r) => receiver.close(r));
  rmSync(state, { recursive: true, force: true });
});

async function until<T>(probe: () => T | undefined | null | false, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; worker output:\n${worker?.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("webhook delivery across a crash", () => {
  it("goes out after wrangler dev is killed and restarted on the same state", async () => {
    worker = await startWorker({ persistTo: state });
    const apiKey = await provisionSite(worker, "restart", {
      origins: ["http://127.0.0.1:1"],
      botFilter: false,
      webhooks: [{ url: receiverUrl, secret: SECRET }],
    });
    const vid = `restart-${Date.now()}`;
    const now = Date.now();
    const events = [
      { id: `e1-${now}`, type: "form_submit", ts: now, props: { kind: "demo" } },
      { id: `e2-${now}`, type: "page_view", ts: now + 1, url: "https://x.example/pricing" },
      { id: `e3-${now}`, type: "cta_click", ts: now + 2, props: { name: "buy" } },
      { id: `e4-${now}`, type: "download", ts: now + 3, props: { file: "https://x.example/a.pdf", ext: "pdf" } },
      { id: `e5-${now}`, type: "identify", ts: now + 4, props: { email: "restart@example.com" } },
    ];
    const res = await fetch(`${worker.url}/e`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ site: "restart", vid, sid: "session-0001", events }),
    });
    expect(res.status).toBe(202);

    const first = await until(() => hits[0], 10_000, "the first attempt");
    expect(first.status).toBe(503);

    await worker.crash();
    mode = "accept";
    const before = hits.length;
    worker = await startWorker({ persistTo: state });

    // The retry is due about 5 s after the first attempt; nothing but the stored alarm wakes the visitor.
    const delivered = await until(() => hits.slice(before).find((h) => h.status === 200), 40_000, "the retry after restart");
    expect(delivered.id).toBe(first.id);
    expect((new Webhook(SECRET).verify(delivered.body, delivered.headers) as any).data.vid).toBe(vid);

    const visitor = (await (await fetch(`${worker.url}/v1/sites/restart/visitors/${vid}`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as any;
    const delivery = visitor.deliveries.find((d: any) => d.id === first.id);
    expect(delivery.status).toBe("delivered");
    expect(delivery.attempts.map((a: any) => a.status)).toEqual([503, 200]);
  }, 150_000);
});
