import { Hono } from "hono";
import type { AppEnv } from "../env";
import { APP_JS } from "../dashboard/app-js";
import { CHARTS_JS } from "../dashboard/charts-js";
import { DASHBOARD_HTML } from "../dashboard/page";
import { APP_CSS } from "../dashboard/styles";

/**
 * `GET /dashboard` (SPEC §9): a static shell, its script and its stylesheet. The page carries no
 * data, so it needs no credentials; the script signs in against the JSON API (`/stats`, `/mqls`,
 * `/visitors/:vid`, `/webhooks/deliveries`) with the key the user types, sent as a Bearer token.
 * Everything is same-origin and nothing is inline, so the CSP is `default-src 'self'` and tighter.
 */
export const dashboard = new Hono<AppEnv>();

export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SCRIPT = CHARTS_JS + APP_JS;
const common = { "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" };
// Short-lived: a deploy reaches open dashboards within minutes.
const asset = { ...common, "Cache-Control": "public, max-age=300" };

dashboard.get("/dashboard", (c) =>
  c.body(DASHBOARD_HTML, 200, {
    ...common,
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": DASHBOARD_CSP,
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
  }),
);

dashboard.get("/dashboard/app.js", (c) => c.body(SCRIPT, 200, { ...asset, "Content-Type": "text/javascript; charset=utf-8" }));
dashboard.get("/dashboard/app.css", (c) => c.body(APP_CSS, 200, { ...asset, "Content-Type": "text/css; charset=utf-8" }));
