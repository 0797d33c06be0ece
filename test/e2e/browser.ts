/**
 * The browser-test harness: Chromium through playwright-core, a page server on its own origin
 * (so the snippet runs cross-origin to the worker, as on a customer's site), a site provisioned
 * for that origin, and helpers that read what landed in the visitor's object.
 *
 * Every test page is served with a strict Content-Security-Policy (no 'unsafe-inline', no
 * 'unsafe-eval'; scripts and connections only to the worker; inline page code by nonce), and the
 * harness records the snippet's own listeners, page errors and CSP violations, so each test also
 * proves: no eval or injected inline code, only passive listeners, never `unload`, never a throw.
 */
import { chromium, type Browser, type BrowserContext, type Page, type Request } from "playwright-core";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { freePort } from "../support/worker-process";

import { CHROME_PATH } from "./chrome";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const worker = inject("e2eWorker");

export interface StoredEvent {
  id: string;
  type: string;
  ts: number;
  url?: string;
  props?: Record<string, string | number | boolean>;
}

export interface PageOptions {
  /** Markup of <body>. */
  body?: string;
  /** Extra attributes on the snippet's script tag, e.g. `data-consent="required"`. */
  attrs?: string;
  /** Page code that runs before the snippet loads (nonce'd inline script). */
  before?: string;
  /** Page code that runs after the body is parsed (nonce'd inline script). */
  after?: string;
  /** Content of <meta name="mql:funnel">. */
  funnel?: string;
  title?: string;
}

const NONCE = "e2e-nonce";

/** One test page: the queue stub, the snippet tag, the page's own code. */
export function html(o: PageOptions = {}, site = "site"): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${o.title ?? "E2E page"}</title>
${o.funnel ? `<meta name="mql:funnel" content="${o.funnel}">` : ""}
<script nonce="${NONCE}">
window.mql = window.mql || function () { (mql.q = mql.q || []).push(arguments) };
${o.before ?? ""}
</script>
<script defer src="${worker!.url}/mql.js" data-site="${site}" ${o.attrs ?? ""}></script>
</head><body>${o.body ?? "<p>hello</p>"}
<script nonce="${NONCE}">${o.after ?? ""}</script></body></html>`;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Harness {
  site: string;
  apiKey: string;
  origin: string;
  /** Another origin that is *not* in the site's allow-list and runs no snippet. */
  elsewhere: string;
  browser: Browser;
  /** Serves `html(options)` at `path` (strict CSP) or a custom handler. */
  route: (path: string, page: PageOptions | Handler) => void;
  newPage: (context?: BrowserContext) => Promise<Watched>;
  visitor: (vid: string) => Promise<any | null>;
  /** Polls the visitor's object until `until(events)` holds; events oldest first. */
  events: (vid: string, until: (events: StoredEvent[]) => boolean, timeoutMs?: number) => Promise<StoredEvent[]>;
  close: () => Promise<void>;
}

export interface Watched {
  page: Page;
  /** Bodies of every POST to the ingest endpoint, fetch and beacon alike, in order. */
  posts: string[];
  errors: string[];
  vid: () => Promise<string>;
  /** CSP violations and the snippet's addEventListener calls, as recorded in the page. */
  audit: () => Promise<{ csp: string[]; listeners: { type: string; passive: boolean }[] }>;
}

export async function startHarness(name: string, config: Record<string, unknown> = {}): Promise<Harness> {
  if (!worker) throw new Error("e2e harness started without a worker (the suite should have been skipped)");
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  // Another origin (another port) with no snippet and not in the site's allow-list.
  const away: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>elsewhere</title><p>no snippet here</p>");
  });
  await new Promise<void>((r) => away.listen(0, "127.0.0.1", r));
  const elsewhere = `http://127.0.0.1:${(away.address() as { port: number }).port}`;
  const site = `e2e-${name}-${randomBytes(4).toString("hex")}`;
  const apiKey = `e2e-key-${randomBytes(12).toString("hex")}`;

  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${worker.url}/v1/sites/${site}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${worker.adminToken}`, "content-type": "application/json" },
      // botFilter off: headless Chromium announces itself as HeadlessChrome.
      body: JSON.stringify({ origins: [origin], apiKey, botFilter: false, ...config }),
    });
    if (res.ok) break;
    // 503 while wrangler dev reloads changed worker code: a PUT is not retried for us.
    if (res.status !== 503 || attempt === 5) throw new Error(`provisioning ${site}: ${res.status} ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }

  const routes = new Map<string, PageOptions | Handler>();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${NONCE}' ${worker.url}`,
    `connect-src ${worker.url}`,
    "form-action 'self'",
    "base-uri 'none'",
  ].join("; ");
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const page = routes.get(path);
    if (typeof page === "function") return page(req, res);
    if (!page) {
      res.writeHead(404, { "content-type": "text/plain" });
      return res.end("not found");
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-security-policy": csp });
    res.end(html(page, site));
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));

  const browser = await chromium.launch({ executablePath: CHROME_PATH, args: ARGS });

  const visitor = async (vid: string) => {
    const r = await fetch(`${worker.url}/v1/sites/${site}/visitors/${vid}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    if (r.status === 404) return null;
    if (!r.ok) throw new Error(`visitor ${vid}: ${r.status} ${await r.text()}`);
    return r.json();
  };

  const events = async (vid: string, until: (events: StoredEvent[]) => boolean, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    let last: StoredEvent[] = [];
    for (;;) {
      const v = await visitor(vid);
      last = v ? [...(v.recent as StoredEvent[])].reverse() : [];
      if (until(last)) return last;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for events; stored: ${JSON.stringify(last.map((e) => [e.type, e.props]))}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const newPage = async (context?: BrowserContext): Promise<Watched> => {
    const ctx = context ?? (await browser.newContext());
    const page = await ctx.newPage();
    const posts: string[] = [];
    const errors: string[] = [];
    page.on("request", (r: Request) => {
      if (r.method() === "POST" && r.url() === `${worker.url}/e`) posts.push(r.postData() ?? "");
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.addInitScript(() => {
      const w = window as any;
      w.__csp = [];
      w.__listeners = [];
      addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
      const add = EventTarget.prototype.addEventListener;
      EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, fn: any, opts?: any) {
        if (/\/mql\.js/.test(new Error().stack ?? "")) w.__listeners.push({ type, passive: !!(opts && opts.passive) });
        return add.call(this, type, fn, opts);
      };
    });
    return {
      page,
      posts,
      errors,
      vid: async () => {
        for (let i = 0; i < 40; i++) {
          const v = await page.evaluate(() => localStorage.getItem("mql_vid"));
          if (v) return v;
          await page.waitForTimeout(100);
        }
        throw new Error("no visitor id in localStorage");
      },
      audit: () => page.evaluate(() => ({ csp: (window as any).__csp, listeners: (window as any).__listeners })),
    };
  };

  return {
    site,
    apiKey,
    origin,
    elsewhere,
    browser,
    route: (path, page) => routes.set(path, page),
    newPage,
    visitor,
    events,
    close: async () => {
      await browser.close();
      await new Promise((r) => server.close(r));
      await new Promise((r) => away.close(r));
    },
  };
}

export const types = (events: StoredEvent[]) => events.map((e) => e.type);
export const ofType = (events: StoredEvent[], type: string) => events.filter((e) => e.type === type);
