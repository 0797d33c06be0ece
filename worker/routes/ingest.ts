import { Hono } from "hono";
import { isbot } from "isbot";
import { LIMITS, validateBatch } from "../../shared/events";
import { ApiError } from "../errors";
import type { AppEnv } from "../env";
import { loadSite, visitorContext } from "../site-cache";
import { visitorStub } from "../stubs";
import { corsFor, requireAllowedOrigin, unknownSite } from "./origin";

/**
 * `POST /e`, the snippet's only write. The body arrives as text/plain (no CORS preflight) or JSON.
 * Checks run cheapest first — size, JSON, schema, then the cached site, origin and bot filter —
 * and the batch reaches its visitor object in a single RPC.
 */
export const ingest = new Hono<AppEnv>();

ingest.options("/e", (c) => {
  const origin = c.req.header("origin");
  return c.body(null, 204, {
    ...corsFor(origin),
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
  });
});

ingest.post("/e", async (c) => {
  const origin = c.req.header("origin");
  // Until the site is known, answer readable errors: they reveal nothing and stop pointless retries.
  const early = corsFor(origin);
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > LIMITS.maxBodyBytes) throw tooLarge(early);
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > LIMITS.maxBodyBytes) throw tooLarge(early);

  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ApiError(400, "invalid_json", "The body is not valid JSON.", early);
  }
  const batch = validateBatch(body);
  if (!batch.ok) {
    const status = batch.code === "too_many_events" ? 413 : 400;
    throw new ApiError(status, batch.code, batch.message, early);
  }
  const { site, vid, sid, events } = batch.value;
  // Events refused one by one: named in every answer, so a sender can see what was not stored and why.
  const rejected = batch.rejected;

  const config = await loadSite(c.env, site);
  if (!config) throw unknownSite(site, early);
  // Readable on purpose: a snippet that cannot read the 403 would take it for a network error and retry forever.
  requireAllowedOrigin(config, origin, early);
  const cors = corsFor(origin);
  if (config.botFilter && isbot(c.req.header("user-agent") ?? "")) {
    return c.json({ accepted: 0, duplicates: 0, ignored: events.length, rejected }, 202, cors);
  }

  const outcome = await visitorStub(c.env, site, vid).ingest(visitorContext(config, vid), sid, events);
  if (!outcome.ok) {
    throw new ApiError(429, "rate_limited", `Too many events for this visitor; retry in ${outcome.retryAfter} s.`, {
      ...cors,
      "Retry-After": String(outcome.retryAfter),
    });
  }
  return c.json({ accepted: outcome.accepted, duplicates: outcome.duplicates, rejected }, 202, cors);
});

function tooLarge(headers: Record<string, string>) {
  return new ApiError(
    413,
    "body_too_large",
    `The body is over ${LIMITS.maxBodyBytes} bytes; send at most ${LIMITS.maxEvents} events per request.`,
    headers,
  );
}
