#!/usr/bin/env node
/**
 * Throughput of the pure scoring engine (shared/engine.ts) on one core, without workerd, storage
 * or the network: how many events per second applyEvent folds into a visitor state.
 *
 *   node test/bench/engine.mjs [--events 200000] [--seconds 3]
 *
 * shared/ is TypeScript, so it is bundled on the fly with esbuild into a temporary ES module.
 * Two streams are measured: one long-lived visitor threaded through every event (the headline
 * figure), and many short visitors (state reset every 40 events), which keeps most events in the
 * lead stage where every event runs the qualification check.
 */
import { importTs } from "./load-ts.mjs";

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? Number(args[at + 1]) : fallback;
};
const EVENTS = arg("events", 200_000);
const SECONDS = arg("seconds", 3);

const loadEngine = () =>
  importTs(`export * from "./shared/engine.ts"; export { DEFAULT_RULES } from "./shared/rules.ts";`);

/** Deterministic PRNG so every run measures the same stream. */
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PAGES = [
  "https://www.example.com/",
  "https://www.example.com/blog/how-to-scale?utm_source=x",
  "https://www.example.com/blog/lead-scoring-101",
  "https://www.example.com/features/workflows",
  "https://www.example.com/case-studies/acme",
  "https://www.example.com/pricing",
  "https://www.example.com/compare/rival",
  "https://www.example.com/careers/engineer",
  "https://www.example.com/docs/getting-started#install",
];

/** A visitor's plausible life: sessions of page views with dwell, clicks, downloads, forms, carts. */
function makeStream(count) {
  const random = mulberry32(42);
  const events = [];
  let ts = Date.UTC(2025, 0, 6, 9);
  let visit = 0;
  let n = 0;
  const push = (type, url, props) => {
    ts += 1 + Math.floor(random() * 20_000);
    events.push({ id: `evt_${(n++).toString(36).padStart(8, "0")}`, type, ts, url, props });
  };
  while (events.length < count) {
    ts += 1_800_000 + Math.floor(random() * 86_400_000); // next session: half an hour to a day later
    push("session_start", PAGES[0], { visit: ++visit });
    if (random() < 0.2) push("ad_click", PAGES[0], { utm_source: "google", click_id: "abc" });
    const pages = 2 + Math.floor(random() * 6);
    for (let p = 0; p < pages && events.length < count; p++) {
      const url = PAGES[Math.floor(random() * PAGES.length)];
      const props = random() < 0.3 ? { funnel: ["tofu", "mofu", "bofu"][Math.floor(random() * 3)], title: "Page" } : { title: "Page" };
      push("page_view", url, props);
      let total = 0;
      for (let d = Math.floor(random() * 4); d > 0; d--) {
        const seconds = 5 + Math.floor(random() * 40);
        total += seconds;
        push("dwell", url, { seconds, total });
      }
      const roll = random();
      if (roll < 0.15) push("cta_click", url, { name: "start-trial" });
      else if (roll < 0.22) push("download", url, { file: "ebook.pdf", ext: "pdf" });
      else if (roll < 0.25) push("form_submit", url, { kind: random() < 0.5 ? "newsletter" : "demo", form: "f1", action: "/s", fields: "email" });
      else if (roll < 0.3) push("cart_add", url, { sku: "SKU-1", source: "button" });
      else if (roll < 0.32) push("wishlist_add", url, { sku: "SKU-2", source: "button" });
      else if (roll < 0.33) push("identify", url, { email: "ada@example.com", title: "VP Engineering", employees: "250", industry: "Software" });
      else if (roll < 0.34) push("webinar_signup", url, { webinar: "q3" });
    }
  }
  return events.slice(0, count);
}

function measure(label, run) {
  run(); // warm-up: lets V8 optimise before the clock starts
  let events = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < SECONDS) {
    events += run();
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const rate = Math.round(events / elapsed);
  const [name, ...rest] = label.split(" (");
  console.log(`${name}: ${rate} events/s${rest.length ? ` (${rest.join(" (")}` : ""}`);
  return rate;
}

const engine = await loadEngine();
const rules = engine.DEFAULT_RULES;
const opts = { allowAnonymousMql: false };
// `now` is the event's own ts plus a little: the worker clamps ts to its clock, so they stay close.
const events = makeStream(EVENTS);

let sink = 0;
/** Threads one state through the stream, starting a new visitor every `visitorLength` events. */
const visitors = (visitorLength) => () => {
  let state = engine.newVisitorState();
  for (let i = 0; i < events.length; i++) {
    if (i % visitorLength === 0) state = engine.newVisitorState();
    const result = engine.applyEvent(state, events[i], rules, events[i].ts + 50, opts);
    if (result.kind !== "applied") throw new Error("stream must be in order");
    state = result.state;
    sink += result.ledger.length + result.transitions.length;
  }
  return events.length;
};
const oneVisitor = visitors(Infinity);
const shortVisitors = visitors(40);
const baseline = () => {
  let acc = 0;
  for (let i = 0; i < events.length; i++) acc += events[i].ts & 1;
  sink += acc;
  return events.length;
};

const headline = measure("engine (applyEvent, one core)", oneVisitor);
measure("engine, visitors of 40 events", shortVisitors);
const floor = measure("baseline loop (read each event)", baseline);
console.log(`ratio engine/baseline: ${(headline / floor).toFixed(4)}`);
if (sink === 0.5) console.log(""); // keeps the work observable to the optimiser
