import type { FitRule, Rules, SignalRule } from "./rules";

/**
 * The default rule set (SPEC §6): bottom-of-funnel actions weigh more than top-of-funnel ones.
 *
 * The SPEC fixes the points; the caps are ours. They exist so that one enthusiastic (or scripted)
 * session cannot qualify a visitor by repetition alone — a day of reloading the pricing page is
 * worth at most three bofu views, not fifty:
 *
 * | rule                | points          | cap                              |
 * |---------------------|-----------------|----------------------------------|
 * | page view tofu      | 1               | 10 a UTC day                     |
 * | page view mofu      | 3               | 15 a day                         |
 * | page view bofu      | 8               | 24 a day                         |
 * | CTA click           | 5               | 15 a day                         |
 * | download            | 10              | 30 a day                         |
 * | newsletter form     | 10              | once ever                        |
 * | demo/contact form   | 30              | 30 a day                         |
 * | cart add            | 8               | 24 a day                         |
 * | wishlist add        | 5               | 15 a day                         |
 * | engaged time        | 1 per 30 s      | 10 per page view                 |
 * | return visit (≥ 2)  | 5               | 15 a day                         |
 * | ad-click landing    | 3               | 3 a day                          |
 * | careers/jobs page   | −15             | once ever (a job seeker, not a buyer) |
 */
const SIGNALS: SignalRule[] = [
  { id: "page_view_tofu", label: "Page view (top of funnel)", type: "page_view", when: { funnel: "tofu" }, points: 1, maxPerDay: 10 },
  { id: "page_view_mofu", label: "Page view (middle of funnel)", type: "page_view", when: { funnel: "mofu" }, points: 3, maxPerDay: 15 },
  { id: "page_view_bofu", label: "Page view (bottom of funnel)", type: "page_view", when: { funnel: "bofu" }, points: 8, maxPerDay: 24 },
  { id: "cta_click", label: "CTA click", type: "cta_click", points: 5, maxPerDay: 15 },
  { id: "download", label: "Download", type: "download", points: 10, maxPerDay: 30 },
  { id: "newsletter_signup", label: "Newsletter sign-up", type: "form_submit", when: { form: "newsletter" }, points: 10, once: true },
  { id: "demo_request", label: "Demo request / contact form", type: "form_submit", when: { form: ["demo", "contact"] }, points: 30, maxPerDay: 30 },
  { id: "cart_add", label: "Cart add", type: "cart_add", points: 8, maxPerDay: 24 },
  { id: "wishlist_add", label: "Wishlist add", type: "wishlist_add", points: 5, maxPerDay: 15 },
  { id: "engaged_time", label: "Engaged time", type: "dwell", points: 1, every: 30, maxPerPage: 10 },
  { id: "return_visit", label: "Return visit", type: "session_start", when: { props: { visit: { gte: 2 } } }, points: 5, maxPerDay: 15 },
  { id: "ad_click", label: "Ad-click landing", type: "ad_click", points: 3, maxPerDay: 3 },
  { id: "careers_page", label: "Careers / jobs page", type: "page_view", when: { url: ["*/careers*", "*/jobs*"] }, points: -15, once: true },
];

/**
 * B2B fit. A trait earns the points of its best matching rule (tiers, not sums), and a phrase inside
 * a longer matched phrase does not count, so "Vice President" is a VP (25), not a president (30),
 * and "Product Owner" is a manager-level title, not an owner.
 */
const FIT_RULES: FitRule[] = [
  {
    id: "title_executive",
    label: "Executive title",
    trait: "title",
    anyOf: ["ceo", "cto", "cfo", "coo", "cmo", "cio", "cro", "cpo", "chief", "founder", "co-founder", "cofounder", "owner", "president"],
    points: 30,
  },
  { id: "title_vp", label: "VP / head of", trait: "title", anyOf: ["vp", "svp", "evp", "vice president", "head of"], points: 25 },
  { id: "title_director", label: "Director", trait: "title", anyOf: ["director"], points: 20 },
  { id: "title_manager", label: "Manager / lead", trait: "title", anyOf: ["manager", "lead", "product owner"], points: 10 },
  { id: "employees_1000", label: "1,000+ employees", trait: "employees", min: 1000, points: 25 },
  { id: "employees_200", label: "200–999 employees", trait: "employees", min: 200, max: 999, points: 20 },
  { id: "employees_50", label: "50–199 employees", trait: "employees", min: 50, max: 199, points: 15 },
  { id: "employees_10", label: "10–49 employees", trait: "employees", min: 10, max: 49, points: 5 },
  {
    id: "industry_tech",
    label: "Software / technology / financial services",
    trait: "industry",
    anyOf: ["software", "saas", "technology", "internet", "financial services"],
    points: 15,
  },
];

const FUNNEL: Rules["funnel"] = [
  ...["*/pricing*", "*/demo*", "*/contact*", "*/trial*", "*/signup*", "*/checkout*", "*/cart*"].map((pattern) => ({
    pattern,
    stage: "bofu" as const,
  })),
  ...["*/case-stud*", "*/customers*", "*/webinar*", "*/compare*", "*/features*", "*/product*", "*/solutions*"].map(
    (pattern) => ({ pattern, stage: "mofu" as const }),
  ),
];

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Frozen, because it is shared by every site that does not override a key. */
export const DEFAULT_RULES: Rules = deepFreeze({
  threshold: 50,
  decay: { halfLifeDays: 30 },
  minFit: null,
  signals: SIGNALS,
  fit: { rules: FIT_RULES, grades: { A: 60, B: 40, C: 20 } },
  funnel: FUNNEL,
});
