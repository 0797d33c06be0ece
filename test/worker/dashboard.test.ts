import { SELF, env, runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, api, apiKey, event, eventually, id, putSite, send } from "./helpers";

const SITE = "dash";

async function page() {
  const res = await SELF.fetch("https://edge.test/dashboard");
  return { res, html: await res.text() };
}

async function script(): Promise<string> {
  const res = await SELF.fetch("https://edge.test/dashboard/app.js");
  expect(res.status).toBe(200);
  return res.text();
}

beforeAll(async () => {
  expect((await putSite(SITE, { botFilter: false })).status).toBe(201);
});

describe("GET /dashboard", () => {
  it("serves the sign-in form without credentials, under a strict CSP", async () => {
    const { res, html } = await page();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(html).toContain('<form id="signin-form"');
    expect(html).toMatch(/<input[^>]+name="site"/);
    expect(html).toMatch(/<input[^>]+name="key"[^>]+type="password"/);
    // Nothing inline the CSP would block, and nothing from another origin.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    // No data and no secrets in the shell.
    expect(html).not.toContain(apiKey(SITE));
  });

  it("serves the script and stylesheet the page references", async () => {
    const { html } = await page();
    const refs = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
    expect(refs.sort()).toEqual(["/dashboard/app.css", "/dashboard/app.js"]);
    const js = await SELF.fetch("https://edge.test/dashboard/app.js");
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(js.headers.get("x-content-type-options")).toBe("nosniff");
    const css = await SELF.fetch("https://edge.test/dashboard/app.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    expect(await css.text()).toContain("system-ui");
    const code = await js.text();
    expect(code).toContain("sessionStorage");
    // Text-only DOM, no cookies, no third-party requests (the SVG namespace is a name, not a fetch).
    expect(code.replaceAll("http://www.w3.org/2000/svg", "")).not.toMatch(/innerHTML|document\.cookie|https?:\/\//);
  });

  it("calls only API paths that exist and answer with the site key", async () => {
    const code = await script();
    const match = /var PATHS = (\{[^}]*\});/.exec(code);
    expect(match).not.toBeNull();
    const paths = JSON.parse(match![1]!) as Record<string, string>;
    expect(Object.keys(paths).sort()).toEqual(["failures", "mqls", "stats", "visitor"]);
    for (const key of Object.keys(paths)) expect(code).toContain(`PATHS.${key}`);

    // A qualified visitor, so the visitor path has something to show.
    const vid = id("vid");
    await send(SITE, vid, [
      event("page_view", { funnel: "bofu" }),
      event("form_submit", { kind: "demo" }),
      event("cta_click", { name: "x" }),
      event("download", { file: "https://www.example.com/a.pdf", ext: "pdf" }),
      event("identify", { email: "dash@example.com" }),
    ]);
    await runDurableObjectAlarm(env.VISITOR.get(env.VISITOR.idFromName(`${SITE}:${vid}`)));
    await eventually(async () => ((await (await api(SITE, "/mqls")).json()) as any).items.length > 0);

    const urls: Record<string, string> = {
      stats: `${paths.stats}30`, mqls: paths.mqls!, failures: paths.failures!, visitor: `${paths.visitor}${vid}`,
    };
    for (const [name, path] of Object.entries(urls)) {
      for (const key of [apiKey(SITE), ADMIN]) {
        const res = await api(SITE, path, {}, key);
        expect(res.status, `${name}: ${path}`).toBe(200);
      }
    }
    const stats = (await (await api(SITE, urls.stats!)).json()) as any;
    expect(stats.health).toEqual({ pending: 0, delivered: 0, failed: 0 });
    const feed = (await (await api(SITE, urls.mqls!)).json()) as any;
    expect(feed.items[0]).toMatchObject({ vid, reason: expect.stringContaining("threshold") });
    const visitor = (await (await api(SITE, urls.visitor!)).json()) as any;
    expect(visitor.breakdown.length).toBeGreaterThan(0);
  });
});
