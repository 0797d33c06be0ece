import { z } from "zod";
import { resolveRules, type Rules } from "../shared/rules";
import { ApiError } from "./errors";
import { webhookUrlProblem } from "./webhook-url";

/** What a webhook endpoint may subscribe to (SPEC §7); no `events` means `visitor.qualified` only. */
export const WEBHOOK_EVENT_TYPES = ["visitor.qualified", "visitor.stage_changed"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEndpoint {
  url: string;
  secret: string;
  events: WebhookEventType[];
}

/** A site as stored by its SiteObject and cached in each isolate. */
export interface SiteConfig {
  site: string;
  origins: string[];
  apiKey: string;
  rules: Rules;
  rulesVersion: number;
  webhooks: WebhookEndpoint[];
  allowAnonymousMql: boolean;
  botFilter: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The validated body of `PUT /v1/sites/:site`, before the SiteObject stamps versions and times. */
export type SiteConfigInput = Omit<SiteConfig, "site" | "rulesVersion" | "createdAt" | "updatedAt">;

/** An origin is scheme://host[:port] and nothing else, matched exactly against the Origin header. */
const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
  } catch {
    return false;
  }
}, "must be an origin like https://www.example.com (scheme, host and optional port; no path or trailing slash)");

function webhookUrl(development: boolean) {
  return z.string().superRefine((value, ctx) => {
    const problem = webhookUrlProblem(value, development);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

function siteInputSchema(development: boolean) {
  return z.strictObject({
    origins: z.array(origin).min(1, "must list at least one origin").max(50),
    apiKey: z.string().min(16, "must be at least 16 characters").max(256),
    rules: z.unknown().optional(),
    webhooks: z
      .array(
        z.strictObject({
          url: webhookUrl(development),
          secret: z
            .string()
            .regex(/^whsec_[A-Za-z0-9+/]{24,}={0,2}$/, "must be 'whsec_' followed by base64 of at least 18 bytes"),
          events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).optional(),
        }),
      )
      .max(10)
      .default([]),
    allowAnonymousMql: z.boolean().default(false),
    botFilter: z.boolean().default(true),
  });
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === "number" ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    "",
  );
}

/** Validates a site body; throws a 400 naming the first bad field. */
export function parseSiteInput(body: unknown, development: boolean): SiteConfigInput {
  const parsed = siteInputSchema(development).safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = pathOf(issue.path) || "body";
    throw new ApiError(400, "invalid_config", `${field}: ${issue.message}`);
  }
  const rules = resolveRules(parsed.data.rules ?? {});
  if (!rules.ok) throw new ApiError(400, "invalid_rules", `rules${rules.path ? `.${rules.path}` : ""}: ${rules.message}`);
  const { rules: _input, webhooks, ...rest } = parsed.data;
  return {
    ...rest,
    rules: rules.value,
    webhooks: webhooks.map((w) => ({ url: w.url, secret: w.secret, events: w.events ?? ["visitor.qualified"] })),
  };
}

/** The config as the API shows it: secrets never leave the server. */
export function maskSite(config: SiteConfig) {
  return {
    ...config,
    apiKey: `${config.apiKey.slice(0, 4)}…`,
    webhooks: config.webhooks.map((w) => ({ url: w.url, events: w.events, secret: "whsec_…" })),
  };
}
