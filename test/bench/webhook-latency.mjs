#!/usr/bin/env node
/**
 * Latency from a qualifying `POST /e` to the signed webhook's arrival at a local receiver, through
 * the real worker on local workerd (wrangler dev): ingest → engine → outbox row → alarm → fetch.
 *
 *   node test/bench/webhook-latency.mjs [--qualifications 200]
 *
 * Prints median and p99 over the qualifications, and the ingest round trip alone for comparison.
 */
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importTs, root } from "./load-ts.mjs";

const at = process.argv.indexOf("--qualifications");
const N = at > 0 ? Number(process.argv[at + 1]) : 200;

const loadHarness = () =>
  importTs(`export * from "./test/support/worker-process.ts";`, join(root, "test/support/bench-entry.ts"));

const arrivals = new Map();
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const t = performance.now();
    try {
      const vid = JSON.parse(body).data.vid;
      if (!arrivals.has(vid)) arrivals.set(vid, t);
    } catch {}
    res.end("ok");
  });
});
await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hook`;

const { startWorker, provisionSite } = await loadHarness();
const state = mkdtempSync(join(tmpdir(), "mql-latency-"));
const worker = await startWorker({ persistTo: state });
try {
  await provisionSite(worker, "bench", { origins: ["http://127.0.0.1:1"], botFilter: false, webhooks: [{ url: receiverUrl, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }] });
  const post = (vid, events) =>
    fetch(`${worker.url}/e`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ site: "bench", vid, sid: "session-0001", events }) });

  const webhook = [];
  const ingest = [];
  for (let i = -10; i < N; i++) {
    const vid = `bench-${i + 10}-${Date.now().toString(36)}`;
    const now = Date.now();
    // Warm-up visitor (anonymous, 53 points) first, then the identify that qualifies: the measured request.
    await post(vid, [
      { id: `a-${vid}`, type: "form_submit", ts: now, props: { kind: "demo" } },
      { id: `b-${vid}`, type: "page_view", ts: now + 1, url: "https://x.example/pricing" },
      { id: `c-${vid}`, type: "download", ts: now + 2, props: { file: "https://x.example/a.pdf", ext: "pdf" } },
      { id: `d-${vid}`, type: "cta_click", ts: now + 3, props: { name: "buy" } },
    ]);
    const t0 = performance.now();
    const res = await post(vid, [{ id: `e-${vid}`, type: "identify", ts: now + 4, props: { email: `${vid}@example.com` } }]);
    const t1 = performance.now();
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
    const deadline = t0 + 10_000;
    while (!arrivals.has(vid) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    if (!arrivals.has(vid)) throw new Error(`no webhook for ${vid} within 10 s`);
    if (i >= 0) {
      webhook.push(arrivals.get(vid) - t0);
      ingest.push(t1 - t0);
    }
  }
  const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  const f = (ms) => `${ms.toFixed(1)} ms`;
  console.log(`webhook latency over ${N} qualifications (POST /e → receiver): median ${f(pct(webhook, 50))}, p99 ${f(pct(webhook, 99))}, max ${f(Math.max(...webhook))}`);
  console.log(`ingest round trip alone: median ${f(pct(ingest, 50))}, p99 ${f(pct(ingest, 99))}`);
  console.log(`ratio webhook/ingest (median): ${(pct(webhook, 50) / pct(ingest, 50)).toFixed(2)}`);
} finally {
  await worker.stop();
  receiver.close();
  rmSync(state, { recursive: true, force: true });
}
