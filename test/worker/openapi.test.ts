import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { documentedRoutes } from "../../worker/openapi";

const API_PREFIXES = ["/e", "/mql.js", "/v/", "/v1/"];

describe("public documents", () => {
  it("describes exactly the routes the app serves (no drift either way)", () => {
    const served = new Set(
      app.routes
        .filter((r) => r.method !== "ALL" && API_PREFIXES.some((p) => r.path === p || r.path.startsWith(p)))
        .map((r) => `${r.method} ${r.path}`),
    );
    expect(new Set(documentedRoutes())).toEqual(served);
  });

  it("serves /openapi.json and a /docs page", async () => {
    const doc = (await (await SELF.fetch("https://edge.test/openapi.json")).json()) as any;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.schemas.Rules.properties.threshold).toBeDefined();
    const page = await SELF.fetch("https://edge.test/docs");
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain("/v1/sites/{site}/visitors/{vid}/ledger");
  });
});
