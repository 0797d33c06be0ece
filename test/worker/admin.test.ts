import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, errorOf, putSite } from "./helpers";

describe("admin API: PUT/GET /v1/sites/:site", () => {
  it("creates a site with default rules and rulesVersion 1, masking secrets", async () => {
    const res = await putSite("admin-create", {
      webhooks: [{ url: "https://hooks.example.com/mql", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }],
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ site: "admin-create", rulesVersion: 1, allowAnonymousMql: false, botFilter: true });
    expect(body.rules.threshold).toBe(50);
    expect(body.apiKey).toBe("key-…");
    expect(JSON.stringify(body)).not.toContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    expect(body.webhooks[0]).toEqual({ url: "https://hooks.example.com/mql", events: ["visitor.qualified"], secret: "whsec_…" });
  });

  it("replaces a site; the rules version moves only when the rules change", async () => {
    expect((await putSite("admin-version")).status).toBe(201);
    const same = (await (await putSite("admin-version", { botFilter: false })).json()) as any;
    expect(same.rulesVersion).toBe(1);
    expect(same.botFilter).toBe(false);
    const changed = (await (await putSite("admin-version", { rules: { threshold: 80 } })).json()) as any;
    expect(changed.rulesVersion).toBe(2);
    expect(changed.rules.threshold).toBe(80);
    expect(changed.rules.decay.halfLifeDays).toBe(30);
    const got = await SELF.fetch("https://edge.test/v1/sites/admin-version", { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(((await got.json()) as any).rulesVersion).toBe(2);
  });

  it("refuses without, or with a wrong, admin token and changes nothing", async () => {
    const none = await SELF.fetch("https://edge.test/v1/sites/admin-auth", { method: "PUT", body: "{}" });
    expect(await errorOf(none)).toMatchObject({ status: 401, code: "unauthorized" });
    const wrong = await putSite("admin-auth", {}, "not-the-admin-token");
    expect(await errorOf(wrong)).toMatchObject({ status: 403, code: "forbidden" });
    const got = await SELF.fetch("https://edge.test/v1/sites/admin-auth", { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(await errorOf(got)).toMatchObject({ status: 404, code: "unknown_site" });
  });

  it.each([
    [{ origins: ["https://www.example.com/"] }, "origins[0]"],
    [{ origins: [] }, "origins"],
    [{ apiKey: "short" }, "apiKey"],
    [{ rules: { threshold: "high" } }, "rules.threshold"],
    [{ webhooks: [{ url: "http://hooks.example.com/", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }] }, "webhooks[0].url"],
    [{ webhooks: [{ url: "https://hooks.example.com/", secret: "nope" }] }, "webhooks[0].secret"],
    [{ surprise: true }, "surprise"],
  ])("rejects %j with a 400 naming %s", async (override, field) => {
    const res = await putSite("admin-invalid", override);
    const error = await errorOf(res);
    expect(error.status).toBe(400);
    expect(error.message).toContain(field);
  });

  it("accepts http:// loopback webhooks in development and port-specific origins", async () => {
    const res = await putSite("admin-loopback", {
      origins: ["http://127.0.0.1:3000"],
      webhooks: [{ url: "http://127.0.0.1:9999/hook", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", events: ["visitor.stage_changed"] }],
    });
    expect(res.status).toBe(201);
  });

  it("rejects malformed JSON and bad site ids", async () => {
    const bad = await SELF.fetch("https://edge.test/v1/sites/admin-json", {
      method: "PUT",
      headers: { authorization: `Bearer ${ADMIN}` },
      body: "{not json",
    });
    expect(await errorOf(bad)).toMatchObject({ status: 400, code: "invalid_json" });
    const badId = await putSite("Bad_Site");
    expect(await errorOf(badId)).toMatchObject({ status: 400, code: "invalid_site" });
  });
});
