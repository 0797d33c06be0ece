/**
 * Privacy promises, checked on the wire: consent-required sends and stores nothing before consent;
 * DNT and Global Privacy Control are honoured when the tag asks; form values never leave the page
 * (password, card and hidden fields not even through an identify form).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { ofType, startHarness, worker, type Harness } from "./browser";

const mqlKeys = (page: Page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("mql_") && localStorage.getItem(k)));
const status = (page: Page) =>
  page.evaluate(() => new Promise((r) => { (window as any).mql("status", r); setTimeout(() => r("no answer"), 1_500); }));

describe.skipIf(!worker)("privacy", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness("privacy");
  });
  afterAll(() => h?.close());

  it("with data-consent=required sends and stores nothing until mql('consent', true)", async () => {
    h.route("/consent", { attrs: 'data-consent="required"', body: `<button id="b" data-mql-cta="before-consent">B</button>` });
    const ctx = await h.browser.newContext();
    const w = await h.newPage(ctx);
    await w.page.goto(`${h.origin}/consent`);
    await w.page.click("#b");
    await w.page.mouse.move(10, 10);
    expect(await status(w.page)).toBe("no answer");
    await w.page.waitForTimeout(2_000);
    expect(w.posts).toEqual([]);
    expect(await mqlKeys(w.page)).toEqual([]);
    expect(await ctx.cookies()).toEqual([]);

    await w.page.evaluate(() => (window as any).mql("consent", true));
    const vid = await w.vid();
    const events = await h.events(vid, (e) => ofType(e, "cta_click").length === 1);
    expect(ofType(events, "page_view")).toHaveLength(1); // captured before consent, sent after
    expect((await ctx.cookies()).map((c) => c.name)).toEqual(["mql_vid"]);

    // Consent persists for the next page; withdrawing it blanks what we stored and stops sending.
    await w.page.goto(`${h.origin}/consent`);
    await h.events(vid, (e) => ofType(e, "page_view").length === 2);
    await w.page.evaluate(() => (window as any).mql("consent", false));
    expect(await mqlKeys(w.page)).toEqual([]);
    const before = w.posts.length;
    await w.page.click("#b");
    await w.page.waitForTimeout(2_000);
    expect(w.posts.length).toBe(before);
    await ctx.close();
  });

  for (const [signal, init] of [
    ["Global Privacy Control", () => Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true })],
    ["Do Not Track", () => Object.defineProperty(Navigator.prototype, "doNotTrack", { get: () => "1" })],
  ] as const) {
    it(`honours ${signal} with data-dnt=respect, and only then`, async () => {
      h.route("/dnt", { attrs: 'data-dnt="respect"', body: `<button id="b" data-mql-cta="dnt">B</button>` });
      h.route("/nodnt", { body: `<button id="b" data-mql-cta="dnt">B</button>` });
      const ctx = await h.browser.newContext();
      await ctx.addInitScript(init);
      const w = await h.newPage(ctx);
      await w.page.goto(`${h.origin}/dnt`);
      await w.page.click("#b");
      await w.page.evaluate(() => (window as any).mql("track", "should_not_send"));
      expect(await status(w.page)).toBe("no answer");
      await w.page.waitForTimeout(2_000);
      expect(w.posts).toEqual([]);
      expect(await mqlKeys(w.page)).toEqual([]);
      expect(w.errors).toEqual([]);

      await w.page.goto(`${h.origin}/nodnt`); // the site did not ask to honour it: measured as usual
      await w.page.click("#b");
      await expect.poll(() => w.posts.length, { timeout: 10_000 }).toBeGreaterThan(0);
      await ctx.close();
    });
  }

  it("never lets form values leave the page, not even through an identify form", async () => {
    const SECRETS = ["hunter2-PASSWORD", "4111111111111111", "CARDHOLDER-NAME", "HIDDEN-COMPANY", "MESSAGE-TEXT", "CVV-123", "other@example.org"];
    h.route("/forms", {
      body: `
      <form id="signup" data-mql-form="signup" data-mql-identify action="/thanks">
        <input type="email" name="email" value="ada@example.com">
        <input type="password" name="password" value="hunter2-PASSWORD">
        <input name="cardnumber" autocomplete="cc-number" value="4111111111111111">
        <input name="name" autocomplete="cc-name" value="CARDHOLDER-NAME">
        <input name="cvc" value="CVV-123">
        <input type="hidden" name="company" value="HIDDEN-COMPANY">
        <textarea name="message">MESSAGE-TEXT</textarea>
        <button id="go1">Sign up</button>
      </form>
      <form id="contact" data-mql-form="contact">
        <input type="email" name="email" value="other@example.org">
        <button id="go2">Send</button>
      </form>`,
      after: `document.querySelectorAll("form").forEach(function (f) { f.addEventListener("submit", function (e) { e.preventDefault(); }); });`,
    });
    const w = await h.newPage();
    await w.page.goto(`${h.origin}/forms`);
    const vid = await w.vid();
    await w.page.click("#go1");
    await w.page.click("#go2");
    const events = await h.events(vid, (e) => ofType(e, "form_submit").length === 2 && ofType(e, "identify").length === 1);

    const wire = w.posts.join("\n");
    for (const secret of SECRETS) expect(wire, secret).not.toContain(secret);
    expect(JSON.stringify(events)).not.toMatch(new RegExp(SECRETS.join("|")));
    expect(ofType(events, "identify")[0]!.props).toEqual({ email: "ada@example.com" });
    expect(ofType(events, "form_submit").map((e) => e.props)).toEqual([
      { kind: "signup", form: "signup", action: "/thanks", fields: "email,password,cardnumber,name,cvc,company,message" },
      { kind: "contact", form: "contact", fields: "email" },
    ]);
  });
});
