import { SELF } from "cloudflare:test";

export const ADMIN = "test-admin-token-0123456789";
export const ORIGIN = "https://www.example.com";
let counter = 0;

/** A fresh valid id; unique per call so tests in one file never collide. */
export function id(prefix = "id"): string {
  counter += 1;
  return `${prefix}-${counter.toString(36).padStart(6, "0")}-${Math.random().toString(36).slice(2, 10)}`;
}

export async function putSite(site: string, body: Record<string, unknown> = {}, token = ADMIN) {
  return SELF.fetch(`https://edge.test/v1/sites/${site}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ origins: [ORIGIN], apiKey: `key-${site}-0123456789`, ...body }),
  });
}

export function apiKey(site: string) {
  return `key-${site}-0123456789`;
}

export interface EventInput {
  id?: string;
  type: string;
  ts?: number;
  url?: string;
  props?: Record<string, string | number | boolean>;
}

export function event(type: string, props?: EventInput["props"], extra: Partial<EventInput> = {}): EventInput {
  return { id: id("evt"), type, ts: Date.now(), url: `${ORIGIN}/`, ...(props ? { props } : {}), ...extra };
}

/** Posts a batch as a sender with its own sessions (`sid`), or as mql.js does (`sid: null`, derived). */
export async function send(
  site: string,
  vid: string,
  events: EventInput[],
  init: { origin?: string | null; contentType?: string; raw?: string; sid?: string | null } = {},
) {
  const headers: Record<string, string> = { "content-type": init.contentType ?? "text/plain;charset=UTF-8" };
  if (init.origin !== null) headers.origin = init.origin ?? ORIGIN;
  return SELF.fetch("https://edge.test/e", {
    method: "POST",
    headers,
    body: init.raw ?? JSON.stringify(init.sid === null ? { site, vid, events } : { site, vid, sid: init.sid ?? "session-0001", events }),
  });
}

export async function api(site: string, path: string, init: RequestInit = {}, key = apiKey(site)) {
  return SELF.fetch(`https://edge.test/v1/sites/${site}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...(init.headers ?? {}) },
  });
}

export async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, code: body.error.code, message: body.error.message };
}

/** Waits for work the visitor's alarm does just after a request (site feed, email index). */
export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
