import { describe, expect, it } from "vitest";
import { emptyScore, foldScore, viewOf } from "../../shared/engine";
import { DEFAULT_RULES } from "../../shared/rules";
import { DAY, ev, HOUR, MINUTE, page, resolveOrThrow, run, T0 } from "./helpers";

/** The undecayed total a rule has awarded after `events`. */
function totals(events: ReturnType<typeof ev>[], rules = DEFAULT_RULES): Record<string, number> {
  const score = foldScore(emptyScore(), events, rules);
  return Object.fromEntries(Object.entries(score.rules).map(([id, agg]) => [id, agg.total]));
}

describe("signal rules and caps", () => {
  it("awards each default signal its SPEC points", () => {
    const at = (i: number) => T0 + i * MINUTE;
    expect(
      totals([
        ev("cta_click", at(0), { name: "start-trial" }),
        ev("download", at(1), { file: "a.pdf", ext: "pdf" }),
        ev("form_submit", at(2), { kind: "newsletter", form: "nl", action: "/s", fields: "email" }),
        ev("form_submit", at(3), { kind: "demo", form: "d", action: "/s", fields: "email,name" }),
        ev("cart_add", at(4), { sku: "A", source: "button" }),
        ev("wishlist_add", at(5), { sku: "B", source: "button" }),
        ev("ad_click", at(6), { utm_source: "google" }),
        ev("session_start", at(7), { visit: 2 }),
        ev("webinar_signup", at(8), { webinar: "q3" }),
      ]),
    ).toEqual({
      cta_click: 5,
      download: 10,
      newsletter_signup: 10,
      demo_request: 30,
      cart_add: 8,
      wishlist_add: 5,
      ad_click: 3,
      return_visit: 5,
    });
  });

  it("matches forms by kind or id, case-insensitively, and ignores other kinds", () => {
    expect(totals([ev("form_submit", T0, { kind: "Contact" })])).toEqual({ demo_request: 30 });
    expect(totals([ev("form_submit", T0, { form: "demo" })])).toEqual({ demo_request: 30 });
    expect(totals([ev("form_submit", T0, { kind: "signup" })])).toEqual({});
  });

  it("gives a once rule at most one award ever", () => {
    const events = [0, 1, 2].map((d) => ev("form_submit", T0 + d * DAY, { kind: "newsletter" }));
    const score = foldScore(emptyScore(), events, DEFAULT_RULES);
    expect(score.rules.newsletter_signup).toMatchObject({ count: 1, total: 10 });
  });

  it("caps maxPerDay per UTC day and starts afresh after midnight UTC", () => {
    const lateEvening = Date.UTC(2025, 0, 6, 23, 50);
    const clicks = [0, 1, 2, 3, 4].map((i) => ev("cta_click", lateEvening + i * MINUTE, { name: "x" }));
    const nextDay = [0, 1, 2, 3].map((i) => ev("cta_click", Date.UTC(2025, 0, 7, 0, 1) + i * MINUTE, { name: "x" }));
    const score = foldScore(emptyScore(), [...clicks, ...nextDay], DEFAULT_RULES);
    // 15 a day: three clicks before midnight, three after.
    expect(score.rules.cta_click).toMatchObject({ count: 6, total: 30, dayPoints: 15 });
  });

  it("clips the last award to what the cap leaves", () => {
    const rules = resolveOrThrow({ signals: [{ id: "c", label: "C", type: "cta_click", points: 4, maxPerDay: 10 }] });
    const score = foldScore(emptyScore(), [0, 1, 2, 3].map((i) => ev("cta_click", T0 + i)), rules);
    expect(score.rules.c).toMatchObject({ count: 3, total: 10 });
  });

  it("caps maxTotal across days, also for negative points", () => {
    const rules = resolveOrThrow({
      signals: [
        { id: "dl", label: "Download", type: "download", points: 10, maxTotal: 25 },
        { id: "neg", label: "Unsubscribe", type: "unsubscribe", points: -7, maxTotal: 10 },
      ],
    });
    const events = [0, 1, 2, 3].flatMap((d) => [ev("download", T0 + d * DAY), ev("unsubscribe", T0 + d * DAY + 1)]);
    const score = foldScore(emptyScore(), events, rules);
    expect(score.rules.dl).toMatchObject({ count: 3, total: 25 });
    expect(score.rules.neg).toMatchObject({ count: 2, total: -10 });
  });

  it("scores careers pages negatively, once", () => {
    const events = [page(T0, "/careers"), page(T0 + 1, "/jobs/123"), page(T0 + 2, "/Careers/eng")];
    expect(totals(events)).toEqual({ careers_page: -15, page_view_tofu: 3 });
  });

  it("matches prop conditions: strings case-insensitively, numbers by range", () => {
    const rules = resolveOrThrow({
      signals: [
        { id: "plan", label: "Plan", type: "cart_add", when: { props: { sku: "pro-plan", qty: { gte: 2, lte: 5 } } }, points: 4 },
        { id: "flag", label: "Flag", type: "cart_add", when: { props: { gift: true } }, points: 1 },
      ],
    });
    expect(totals([ev("cart_add", T0, { sku: "PRO-PLAN", qty: 3, gift: true })], rules)).toEqual({ plan: 4, flag: 1 });
    expect(totals([ev("cart_add", T0, { sku: "pro-plan", qty: 6 })], rules)).toEqual({});
    expect(totals([ev("cart_add", T0, { sku: "pro-plan", qty: "2" })], rules)).toEqual({ plan: 4 });
    expect(totals([ev("cart_add", T0, { gift: "true" })], rules)).toEqual({});
  });

  it("matches cta names and url globs", () => {
    const rules = resolveOrThrow({
      signals: [{ id: "trial", label: "Trial CTA", type: "cta_click", when: { cta: ["start-trial"], url: "/pricing*" }, points: 9 }],
    });
    const cta = (name: string, path: string) => ev("cta_click", T0, { name }, `https://x.com${path}`);
    expect(totals([cta("Start-Trial", "/pricing/teams")], rules)).toEqual({ trial: 9 });
    expect(totals([cta("start-trial", "/blog")], rules)).toEqual({});
    expect(totals([cta("contact", "/pricing")], rules)).toEqual({});
    expect(totals([ev("cta_click", T0, { name: "start-trial" })], rules)).toEqual({});
  });
});

describe("funnel weighting", () => {
  it("uses props.funnel (the page's meta) first", () => {
    expect(totals([page(T0, "/blog/x", { funnel: "bofu" })])).toEqual({ page_view_bofu: 8 });
    expect(totals([page(T0, "/pricing", { funnel: "tofu" })])).toEqual({ page_view_tofu: 1 });
  });

  it("falls back to the first matching funnel URL rule, then tofu", () => {
    expect(totals([page(T0, "/pricing")])).toEqual({ page_view_bofu: 8 });
    expect(totals([page(T0, "/case-studies/acme")])).toEqual({ page_view_mofu: 3 });
    expect(totals([page(T0, "/blog/x", { funnel: "nonsense" })])).toEqual({ page_view_tofu: 1 });
    expect(totals([ev("page_view", T0)])).toEqual({ page_view_tofu: 1 });
  });

  it("honours site funnel rules in order", () => {
    const rules = resolveOrThrow({ funnel: [{ pattern: "/docs/pricing*", stage: "mofu" }, { pattern: "*pricing*", stage: "bofu" }] });
    expect(totals([page(T0, "/docs/pricing-api")], rules)).toEqual({ page_view_mofu: 3 });
    expect(totals([page(T0, "/pricing")], rules)).toEqual({ page_view_bofu: 8 });
  });

  it("caps page views per day per stage", () => {
    const views = Array.from({ length: 5 }, (_, i) => page(T0 + i * MINUTE, "/pricing"));
    expect(totals(views)).toEqual({ page_view_bofu: 24 });
  });
});

describe("engaged time (dwell)", () => {
  const dwell = (ts: number, seconds: number, total: number) => ev("dwell", ts, { seconds, total }, "https://x.com/a");

  it("awards a point per 30 s of cumulative page time, however it is sliced", () => {
    expect(totals([dwell(T0, 20, 20), dwell(T0 + 1, 20, 40), dwell(T0 + 2, 25, 65)])).toEqual({ engaged_time: 2 });
    expect(totals([dwell(T0, 65, 65)])).toEqual({ engaged_time: 2 });
  });

  it("caps one page view at maxPerPage, but each page view has its own cap", () => {
    expect(totals([dwell(T0, 600, 600), dwell(T0 + 1, 300, 900)])).toEqual({ engaged_time: 10 });
    expect(totals([dwell(T0, 600, 600), dwell(T0 + 1, 600, 600)])).toEqual({ engaged_time: 20 });
  });

  it("ignores dwell without positive seconds and treats a missing total as the seconds", () => {
    expect(totals([ev("dwell", T0, { total: 90 }), ev("dwell", T0 + 1, { seconds: 0, total: 90 })])).toEqual({});
    expect(totals([ev("dwell", T0, { seconds: 61 })])).toEqual({ engaged_time: 2 });
  });
});

describe("return visits", () => {
  it("gives 5 per visit from the second, at most 15 a day, and tracks the visit count", () => {
    const events = [1, 2, 3, 4, 5].map((visit) => ev("session_start", T0 + visit * HOUR, { visit }));
    const score = foldScore(emptyScore(), events, DEFAULT_RULES);
    expect(score.rules.return_visit).toMatchObject({ count: 3, total: 15 });
    expect(score.visits).toBe(5);
  });
});

describe("decay", () => {
  it("halves the score per half-life, including fractional half-lives", () => {
    const rules = resolveOrThrow({ decay: { halfLifeDays: 0.5 } });
    const { state } = run([ev("form_submit", T0, { kind: "demo" })], rules);
    expect(viewOf(state, rules, T0).score).toBe(30);
    expect(viewOf(state, rules, T0 + 12 * HOUR).score).toBe(15);
    expect(viewOf(state, rules, T0 + DAY).score).toBe(7.5);
    expect(viewOf(state, DEFAULT_RULES, T0 + 30 * DAY).score).toBe(15);
  });

  it("decays each award from its own time", () => {
    const rules = resolveOrThrow({ decay: { halfLifeDays: 1 } });
    const { state } = run([ev("download", T0), ev("download", T0 + DAY)], rules);
    // 10 halved once plus 10 fresh.
    expect(viewOf(state, rules, T0 + DAY).score).toBe(15);
    expect(state.score.rules.download?.total).toBe(20);
  });

  it("never inflates a score read before its last event", () => {
    const { state } = run([ev("download", T0)], DEFAULT_RULES);
    expect(viewOf(state, DEFAULT_RULES, T0 - DAY).score).toBe(10);
  });
});

describe("fold order and traits", () => {
  it("merges identify traits in key order, later values winning per trait", () => {
    const a = ev("identify", T0, { email: "a@x.com", title: "CTO" });
    const b = ev("identify", T0 + 1, { company: "Acme", title: "CEO" });
    expect(foldScore(emptyScore(), [b, a], DEFAULT_RULES).traits).toEqual({ email: "a@x.com", title: "CEO", company: "Acme" });
  });

  it("dedupes by id and is independent of input order", () => {
    const events = [page(T0, "/pricing"), ev("cta_click", T0 + 1, { name: "x" }), page(T0 + 2, "/blog")];
    const once = foldScore(emptyScore(), events, DEFAULT_RULES);
    expect(foldScore(emptyScore(), [...events].reverse().concat(events), DEFAULT_RULES)).toEqual(once);
  });

  it("applies events older than lastKey as late additions, letting traits only fill gaps", () => {
    const base = foldScore(emptyScore(), [ev("identify", T0 + DAY, { title: "CEO" }), ev("download", T0 + DAY)], DEFAULT_RULES);
    const late = foldScore(base, [ev("identify", T0, { title: "Intern", company: "Acme" }), ev("download", T0)], DEFAULT_RULES);
    expect(late.traits).toEqual({ title: "CEO", company: "Acme" });
    expect(late.rules.download).toMatchObject({ count: 2, total: 20, at: T0 + DAY });
    expect(late.lastKey).toEqual(base.lastKey);
    expect(late.firstTs).toBe(T0);
  });
});
