import { RULES_JSON_SCHEMA } from "../shared/rules";

/**
 * The OpenAPI 3.1 description of every public route (SPEC §5), served at /openapi.json and
 * rendered at /docs. Written by hand, next to the routes it describes; a test compares it with
 * the Hono app's route table, so a route added without its description fails the build.
 */
type Op = Record<string, unknown>;

const error = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });
const json = (description: string, schema: object = { type: "object" }) => ({ description, content: { "application/json": { schema } } });
const site = { name: "site", in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9-]{1,64}$" } };
const vid = { name: "vid", in: "path", required: true, schema: { type: "string", pattern: "^[A-Za-z0-9_-]{8,64}$" } };
const limit = (max: number) => ({ name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: max } });
const cursor = { name: "cursor", in: "query", schema: { type: "string" }, description: "The `next` value of the previous page." };
const backend = { security: [{ siteKey: [] }], tags: ["Backend"] };
const common = { "400": error("Invalid parameter or body; the message names it."), "401": error("No bearer token."), "403": error("Wrong key for this site."), "404": error("Unknown site or visitor.") };

const paths: Record<string, Record<string, Op>> = {
  "/e": {
    post: {
      tags: ["Ingest"], summary: "Ingest a batch of events from the snippet",
      description:
        "Body is JSON, sent as text/plain by the snippet to avoid a CORS preflight. Idempotent by event id. " +
        "A bad event is refused alone and listed in `rejected`; the rest of the batch is stored (400 only when no event is valid). " +
        "Without `sid` (what mql.js sends) the worker derives `session_start` (30 minutes without events opens a session) " +
        "and `ad_click` (a page view whose URL has `utm_*`, `gclid`, `fbclid` or `msclkid`), and such a batch may not carry those types.",
      requestBody: { required: true, content: { "text/plain": { schema: { $ref: "#/components/schemas/Batch" } }, "application/json": { schema: { $ref: "#/components/schemas/Batch" } } } },
      responses: {
        "202": json("Accepted", {
          type: "object",
          required: ["accepted", "duplicates", "rejected"],
          properties: {
            accepted: { type: "integer" }, duplicates: { type: "integer" }, ignored: { type: "integer", description: "Events of a bot-filtered request." },
            rejected: { type: "array", items: { type: "object", properties: { index: { type: "integer" }, path: { type: "string" }, message: { type: "string" } } } },
          },
        }),
        "400": error("Malformed JSON, a bad envelope (site, vid, sid, events), or no valid event."), "403": error("Origin not in the site's allow-list."), "404": error("Unknown site."),
        "413": error("Body over 64 KiB or more than 100 events."), "429": error("Visitor over its rate limit; see Retry-After."),
      },
    },
    options: { tags: ["Ingest"], summary: "CORS preflight for application/json senders", responses: { "204": { description: "Preflight answer" } } },
  },
  "/mql.js": { get: { tags: ["Public"], summary: "The snippet", responses: { "200": { description: "JavaScript, with ETag and Cache-Control" }, "304": { description: "Not modified" } } } },
  "/v/{site}/{vid}/status": {
    get: { tags: ["Public"], summary: "A visitor's own stage and score (for mql('status'))", parameters: [site, vid], responses: { "200": json("Status", { type: "object", properties: { stage: { type: "string" }, score: { type: "number" } } }), "403": error("Origin not allowed."), "404": error("Unknown site.") } },
  },
  "/v1/sites/{site}": {
    put: {
      tags: ["Admin"], security: [{ adminToken: [] }], summary: "Create or replace a site", parameters: [site],
      requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/SiteInput" } } } },
      responses: { "200": json("Replaced; secrets masked"), "201": json("Created; secrets masked"), "400": error("Invalid config; the message names the field."), "401": error("No token."), "403": error("Wrong token.") },
    },
    get: { tags: ["Admin"], security: [{ adminToken: [] }], summary: "Read a site's config, secrets masked", parameters: [site], responses: { "200": json("Config"), ...common } },
  },
  "/v1/sites/{site}/visitors/{vid}": {
    get: { ...backend, summary: "A visitor: stage, score, fit, breakdown, transitions, deliveries, recent events", parameters: [site, vid], responses: { "200": json("Visitor", { $ref: "#/components/schemas/Visitor" }), ...common } },
    delete: { ...backend, summary: "Erase everything stored for a visitor (email index and MQL feed included)", parameters: [site, vid], responses: { "200": json("Erased"), ...common } },
  },
  "/v1/sites/{site}/visitors": {
    get: { ...backend, summary: "Visitors identified with an email", parameters: [site, { name: "email", in: "query", required: true, schema: { type: "string" } }], responses: { "200": json("List of visitors"), ...common } },
  },
  "/v1/sites/{site}/mqls": {
    get: { ...backend, summary: "Qualifications, newest first", parameters: [site, { name: "since", in: "query", schema: { type: "string", format: "date-time" } }, limit(500), cursor], responses: { "200": json("Page of qualifications"), ...common } },
  },
  "/v1/sites/{site}/stats": {
    get: {
      ...backend, summary: "Funnel per UTC day: visitors, leads, MQLs, SQLs, conversion rates, webhook delivery health",
      description: "visitors = daily active visitors (sharded counters; summed over days, a visitor active on three days counts three times). leads/mqls/sqls/customers = distinct visitors entering the stage each day. Rates = next stage / previous stage, null when the previous is 0.",
      parameters: [site, { name: "days", in: "query", schema: { type: "integer", minimum: 1, maximum: 365, default: 30 } }],
      responses: { "200": json("Stats", { $ref: "#/components/schemas/Stats" }), ...common },
    },
  },
  "/v1/sites/{site}/visitors/{vid}/stage": {
    post: {
      ...backend, summary: "Sales hand-off: sql, recycled or customer", parameters: [site, vid],
      requestBody: { required: true, content: { "application/json": { schema: { type: "object", required: ["stage"], properties: { stage: { enum: ["sql", "recycled", "customer"] }, reason: { type: "string", maxLength: 500 } } } } } },
      responses: { "200": json("The visitor after the change; `changed` false when it was already there"), "409": error("The lifecycle does not allow that move."), ...common },
    },
  },
  "/v1/sites/{site}/visitors/{vid}/events": {
    get: { ...backend, summary: "Export a visitor's stored events as JSON lines", parameters: [site, vid, { name: "format", in: "query", schema: { enum: ["jsonl"] } }], responses: { "200": { description: "application/x-ndjson" }, ...common } },
  },
  "/v1/sites/{site}/visitors/{vid}/ledger": {
    get: { ...backend, summary: "Every score change: event id, rule id, rules version, points, time", parameters: [site, vid, limit(1000), cursor], responses: { "200": json("Page of ledger entries, newest first"), ...common } },
  },
  "/v1/sites/{site}/webhooks/deliveries": {
    get: { ...backend, summary: "Webhook delivery log with attempts, status codes and latencies", parameters: [site, { name: "status", in: "query", schema: { enum: ["pending", "delivered", "failed"] } }, limit(500), cursor], responses: { "200": json("Page of deliveries"), ...common } },
  },
  "/v1/sites/{site}/webhooks/deliveries/{id}/retry": {
    post: { ...backend, summary: "Replay a delivery now, with its original webhook-id", parameters: [site, { name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "202": json("The delivery, pending again"), ...common } },
  },
};

const components = {
  securitySchemes: {
    siteKey: { type: "http", scheme: "bearer", description: "The site's API key (the admin token is accepted too)." },
    adminToken: { type: "http", scheme: "bearer", description: "The deployment's ADMIN_TOKEN." },
  },
  schemas: {
    Error: { type: "object", required: ["error"], properties: { error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" } } } } },
    Event: {
      type: "object", required: ["id", "type", "ts"],
      properties: {
        id: { type: "string", pattern: "^[A-Za-z0-9_-]{8,64}$" }, type: { type: "string", pattern: "^[a-z0-9_]{1,40}$" }, ts: { type: "integer", description: "epoch ms" },
        url: { type: "string", maxLength: 2048 }, props: { type: "object", maxProperties: 20, additionalProperties: { type: ["string", "number", "boolean"] } },
      },
    },
    Batch: {
      type: "object", required: ["site", "vid", "events"],
      properties: { site: site.schema, vid: vid.schema, sid: { ...vid.schema, description: "The sender's own session id; leave it out to have sessions and ad clicks derived." }, events: { type: "array", minItems: 1, maxItems: 100, items: { $ref: "#/components/schemas/Event" } } },
    },
    SiteInput: {
      type: "object", required: ["origins", "apiKey"],
      properties: {
        origins: { type: "array", minItems: 1, items: { type: "string" } }, apiKey: { type: "string", minLength: 16 },
        rules: { $ref: "#/components/schemas/Rules" },
        webhooks: { type: "array", items: { type: "object", required: ["url", "secret"], properties: { url: { type: "string" }, secret: { type: "string", pattern: "^whsec_" }, events: { type: "array", items: { enum: ["visitor.qualified", "visitor.stage_changed"] } } } } },
        allowAnonymousMql: { type: "boolean" }, botFilter: { type: "boolean" },
      },
    },
    Rules: RULES_JSON_SCHEMA,
    Stats: {
      type: "object",
      properties: {
        site: { type: "string" }, from: { type: "string", format: "date" }, to: { type: "string", format: "date" },
        totals: { type: "object", properties: Object.fromEntries(["visitors", "leads", "mqls", "sqls", "customers"].map((k) => [k, { type: "integer" }])) },
        rates: { type: "object", properties: Object.fromEntries(["leadRate", "mqlRate", "sqlRate"].map((k) => [k, { type: ["number", "null"] }])) },
        days: { type: "array", items: { type: "object", properties: { day: { type: "string", format: "date" }, ...Object.fromEntries(["visitors", "leads", "mqls", "sqls"].map((k) => [k, { type: "integer" }])) } } },
        health: { type: "object", properties: Object.fromEntries(["pending", "delivered", "failed"].map((k) => [k, { type: "integer" }])) },
      },
    },
    Visitor: {
      type: "object",
      properties: {
        vid: { type: "string" }, site: { type: "string" }, stage: { enum: ["visitor", "lead", "mql", "sql", "recycled", "customer"] }, score: { type: "number" },
        fit: { type: "object", properties: { grade: { enum: ["A", "B", "C", "D", null] }, score: { type: "number" } } },
        identified: { type: "boolean" }, traits: { type: "object" }, qualifiedAt: { type: ["string", "null"] }, firstSeen: { type: "string" }, lastSeen: { type: "string" },
        breakdown: { type: "array", description: "Sums to score.", items: { type: "object", properties: { rule: { type: "string" }, label: { type: "string" }, count: { type: "integer" }, points: { type: "number" } } } },
        transitions: { type: "array", items: { type: "object", properties: { from: { type: "string" }, to: { type: "string" }, at: { type: "string" }, reason: { type: "string" } } } },
        deliveries: { type: "array", items: { type: "object" } }, recent: { type: "array", items: { $ref: "#/components/schemas/Event" } },
      },
    },
  },
};

export const OPENAPI = {
  openapi: "3.1.0",
  info: { title: "mql-edge", version: "1", description: "First-party lead qualification at the edge. Errors are `{ error: { code, message } }`; lists are `{ items, next }`." },
  paths,
  components,
} as const;

/** Every (METHOD, path) the document describes, with Hono-style `:param` paths, for the drift test. */
export function documentedRoutes(): string[] {
  return Object.entries(paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
  );
}
