import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError, errorBody } from "./errors";
import type { AppEnv } from "./env";
import { admin } from "./routes/admin";
import { docs } from "./routes/docs";
import { api } from "./routes/api";
import { dashboard } from "./routes/dashboard";
import { ingest } from "./routes/ingest";
import { publicRoutes } from "./routes/public";
import { stats } from "./routes/stats";

/** The Hono app: routes are thin, and every error leaves in the SPEC's `{error:{code,message}}` shape. */
export const app = new Hono<AppEnv>();

app.route("/", ingest);
app.route("/", publicRoutes);
app.route("/", docs);
app.route("/", admin);
app.route("/", dashboard);
// Before `api`: stats carries the same key check (siteAuth), and a route mounted after `api` would run it twice.
app.route("/", stats);
app.route("/", api);

app.notFound((c) => c.json(errorBody("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`), 404));

app.onError((error, c) => {
  if (error instanceof ApiError) return c.json(errorBody(error.code, error.message), error.status, error.headers);
  if (error instanceof HTTPException) return c.json(errorBody("bad_request", error.message), error.status);
  console.error("unhandled", error);
  return c.json(errorBody("internal_error", "Something failed on our side. Retrying is safe: events are de-duplicated by id."), 500);
});
