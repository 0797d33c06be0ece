/**
 * Every capture SPEC §4 lists, from a real click in Chromium to the visitor's Durable Object:
 * page views (landing, SPA push/replace/hash/popstate without double counting, bfcache restore),
 * funnel meta, CTA clicks, downloads by type and by attribute, form submits, identify forms, cart
 * and wishlist by attribute and by GA4 dataLayer (before and after load), ad-click landings,
 * sessions, engaged time, the queue API and `mql('status')` — on a page with a strict CSP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ofType, startHarness, worker, type Harness, type StoredEvent } from "./browser";

const PAGE = {
  title: "Pricing — Acme",
  funnel: "mofu",
  before: `
    window.dataLayer = [{ event: "add_to_cart", ecommerce: { currency: "EUR", value: 99, items: [{ item_id: "pre-1" }] } }];
    mql("track", "early_bird", { plan: "pro" });
  `,
  body: `
    <a id="cta" href="#" data-mql-cta="start-trial">  Start
       trial </a>
    <button id="cart" data-mql-cart="sku-42" data-mql-value="49.5" data-mql-currency="EUR"><span id="cart-inner">Add</span></button>
    <button id="wish" data-mql-wishlist="sku-7">Save</button>
    <a id="pdf" href="/files/guide.pdf">Guide</a>
    <a id="export" href="/export?id=1" download="report">Export</a>
    <button id="gtag">gtag</button>
    <a id="anchor" href="#section">Jump</a>
    <form id="news" data-mql-form="newsletter" data-mql-identify action="/subscribe">
      <input type="email" name="email" value=" Ada@Example.com ">
      <input type="checkbox" name="opt_in" checked>
      <button id="subscribe">Subscribe</button>
    </form>
    ${"<p>Long pricing copy.</p>".repeat(150)}`,
  after: `
    function gtag() { dataLayer.push(arguments); }
    document.getElementById("gtag").addEventListener("click", function () {
      gtag("event", "add_to_cart", { currency: "USD", value: 10, items: [{ item_id: "g-1" }, { item_name: "Widget" }] });
    });
    document.getElementById("news").addEventListener("submit", function (e) { e.preventDefault(); });`,
};

const attachment = (name: string) => (_req: unknown, res: any) => {
  res.writeHead(200, { "content-type": "application/octet-stream", "content-disposition": `attachment; filename="${name}"` });
  res.end("file");
};

describe.skipIf(!worker)("captures", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness("captures");
    h.route("/", PAGE);
    h.route("/pricing", PAGE);
    h.route("/files/guide.pdf", attachment("guide.pdf"));
    h.route("/export", attachment("report.csv"));
  });
  afterAll(() => h?.close());

  it("sends every capture to the visitor's object, each once, with its props", async () => {
    const w = await h.newPage();
    const { page } = w;
    await page.goto(`${h.origin}/?utm_source=linkedin&utm_medium=paid&utm_campaign=q3&gclid=abc123`);
    const vid = await w.vid();
    expect(vid).toMatch(/^[A-Za-z0-9_-]{8,64}$/);

    await page.click("#cta");
    await page.click("#cart-inner");
    await page.click("#wish");
    await page.click("#pdf");
    await page.click("#export");
    await page.click("#gtag");
    await page.click("#subscribe");
    await page.click("#anchor"); // an in-page anchor is not a page view

    // SPA navigation: each distinct route once, whatever mix of history calls got there.
    const settle = () => page.waitForTimeout(1_300);
    await page.evaluate(() => history.pushState({}, "", "/pricing"));
    await settle();
    await page.evaluate(() => history.replaceState({ x: 1 }, "", "/pricing")); // same URL: not a view
    await settle();
    await page.evaluate(() => (location.hash = "#/plans")); // hash route: a view
    await settle();
    await page.goBack(); // popstate + hashchange for one change: one view
    await settle();

    await page.evaluate(() => {
      const mql = (window as any).mql;
      // One batch: the worker refuses the bad calls one by one and stores the rest.
      mql("track", "pricing_calculator", { seats: 12, ok: true });
      mql("track", "broken_calculator", { nested: { no: 1 } });
      mql("track", "Bad Name", { dropped: 1 });
      mql("identify", { email: "ada@example.com", name: "Ada Lovelace", company: "Analytical Engines", title: "CTO" });
    });

    // Engaged time: input while visible and focused, then the tab is hidden.
    for (let i = 0; i < 6; i++) {
      await page.mouse.move(50 + i * 10, 80);
      await page.waitForTimeout(500);
    }
    await page.evaluate(() => {
      Object.defineProperty(document, "hidden", { value: true, configurable: true });
      Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    });

    const events = await h.events(vid, (e) => ofType(e, "dwell").length > 0 && ofType(e, "identify").length > 1);
    const one = (type: string, match: (e: StoredEvent) => boolean = () => true) => {
      const found = ofType(events, type).filter(match);
      expect(found, `${type} in ${JSON.stringify(events.map((e) => [e.type, e.props]))}`).toHaveLength(1);
      return found[0]!;
    };

    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    // The worker derives the session (no sid on the wire) at the time of the event that opened it.
    for (const body of w.posts) expect(JSON.parse(body)).not.toHaveProperty("sid");
    expect(one("session_start").props).toEqual({ visit: 1 });
    expect(one("session_start").ts).toBe(events[0]!.ts);

    const views = ofType(events, "page_view");
    expect(views.map((e) => new URL(e.url!).pathname + new URL(e.url!).hash)).toEqual(["/", "/pricing", "/pricing#/plans", "/pricing"]);
    expect(views[0]!.props).toEqual({ funnel: "mofu" });

    expect(one("ad_click").props).toEqual({ utm_source: "linkedin", utm_medium: "paid", utm_campaign: "q3", click_id: "gclid" });
    expect(one("early_bird").props).toEqual({ plan: "pro" });
    expect(one("cart_add", (e) => e.props?.sku === "pre-1").props).toEqual({ sku: "pre-1", value: 99, currency: "EUR" });
    expect(one("cart_add", (e) => e.props?.sku === "g-1,Widget").props).toEqual({ sku: "g-1,Widget", value: 10, currency: "USD" });
    expect(one("cta_click").props).toEqual({ name: "start-trial" });
    // Attribute values arrive as written; numeric strings count as numbers in rule ranges.
    expect(one("cart_add", (e) => e.props?.sku === "sku-42").props).toEqual({ sku: "sku-42", value: "49.5", currency: "EUR" });
    expect(one("wishlist_add").props).toEqual({ sku: "sku-7" });
    expect(one("download", (e) => /pdf$/.test(String(e.props?.file))).props).toEqual({ file: `${h.origin}/files/guide.pdf` });
    expect(one("download", (e) => /export/.test(String(e.props?.file))).props).toEqual({ file: `${h.origin}/export?id=1` });
    expect(one("form_submit").props).toEqual({ kind: "newsletter", form: "news", action: "/subscribe", fields: "email,opt_in" });
    // The field's value as the browser gives it (an email input trims it); the worker lower-cases
    // it into the email trait (below).
    expect(one("identify", (e) => !e.props?.name).props).toEqual({ email: "Ada@Example.com" });
    expect(one("identify", (e) => !!e.props?.name).props).toEqual({
      email: "ada@example.com", name: "Ada Lovelace", company: "Analytical Engines", title: "CTO",
    });
    expect(one("pricing_calculator").props).toEqual({ seats: 12, ok: true });
    expect(events.some((e) => /broken|bad/i.test(e.type))).toBe(false);

    const dwell = ofType(events, "dwell");
    const last = dwell[dwell.length - 1]!;
    expect(last.props!.seconds).toBeGreaterThanOrEqual(1);
    expect(last.props!.total).toBeGreaterThanOrEqual(last.props!.seconds as number);

    // Identified, and with this much bottom-of-funnel activity past the default threshold too.
    const v = await h.visitor(vid);
    expect(v.traits.email).toBe("ada@example.com");
    expect(["lead", "mql"]).toContain(v.stage);

    // mql('status') from the page, cross-origin to the worker.
    const status = await page.evaluate(() => new Promise((r) => (window as any).mql("status", r)));
    expect(status).toEqual({ stage: v.stage, score: expect.any(Number) });
    expect((status as any).score).toBeGreaterThan(0);

    // Strict CSP held, listeners were passive and never unload/beforeunload, nothing thrown.
    const audit = await w.audit();
    expect(audit.csp).toEqual([]);
    expect(audit.listeners.length).toBeGreaterThan(5);
    expect(audit.listeners.filter((l) => !l.passive)).toEqual([]);
    expect(audit.listeners.filter((l) => /unload/.test(l.type))).toEqual([]);
    expect(w.errors).toEqual([]);
    // Bodies were plain strings (text/plain), ≤100 events each.
    for (const body of w.posts) expect(JSON.parse(body).events.length).toBeLessThanOrEqual(100);
  });

  it("a back/forward-cache restore is a new page view, and a new visit is counted after 30 minutes", async () => {
    const w = await h.newPage();
    const { page } = w;
    // The page's clock runs 31 minutes behind until we set it right: what it sends first is "old".
    await page.addInitScript(() => {
      const real = Date.now;
      (window as any).__skew = -31 * 60_000;
      Date.now = () => real() + (window as any).__skew;
    });
    await page.goto(`${h.origin}/pricing`);
    const vid = await w.vid();
    await h.events(vid, (e) => ofType(e, "page_view").length === 1);
    await page.evaluate(() => dispatchEvent(new PageTransitionEvent("pageshow", { persisted: true })));
    await h.events(vid, (e) => ofType(e, "page_view").length === 2);

    await page.evaluate(() => {
      (window as any).__skew = 0;
      (window as any).mql("track", "came_back");
    });
    const events = await h.events(vid, (e) => ofType(e, "came_back").length === 1);
    expect(ofType(events, "session_start").map((e) => e.props)).toEqual([{ visit: 1 }, { visit: 2 }]);
    expect(ofType(events, "session_start")[1]!.ts).toBe(ofType(events, "came_back")[0]!.ts);
    expect(w.errors).toEqual([]);
  });
});
