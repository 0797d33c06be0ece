/**
 * The wire format between the snippet and the worker (SPEC §4–§5), and its validation.
 *
 * Validation is hand-written rather than schema-library driven because it sits on the ingest hot
 * path of every batch and because each rejection must name the exact field ("events[3].props.sku")
 * in a sentence a site owner can act on. The snippet imports only the *types* from here
 * (`import type`), so nothing in this file ends up in the browser bundle.
 */

/** Event types the snippet captures by itself; anything else must be a custom `track` name. */
export const EVENT_TYPES = [
  "page_view",
  "cta_click",
  "download",
  "form_submit",
  "identify",
  "cart_add",
  "wishlist_add",
  "ad_click",
  "session_start",
  "dwell",
] as const;
/** Types the worker derives for a batch without sid (shared/derive.ts), so such a batch may not carry them. */
export const DERIVED_TYPES: ReadonlySet<string> = new Set(["session_start", "ad_click"]);

/** A built-in event type; TrackedEvent.type is wider because custom `track` names are allowed. */
export type EventType = (typeof EVENT_TYPES)[number];

/** Flat on purpose: nested data would make per-prop limits and rule matching ambiguous. */
export type Props = Record<string, string | number | boolean>;

/** One interaction. `type` is a string, not EventType, because custom `track` names are allowed. */
export interface TrackedEvent {
  id: string;
  type: string;
  ts: number;
  url?: string;
  props?: Props;
}

/**
 * What one `POST /e` carries: one visitor's events. Without `sid` (what mql.js sends) the worker
 * derives sessions and ad-click landings itself (shared/derive.ts); a sender that keeps its own
 * sessions names the session and sends its own `session_start` and `ad_click`.
 */
export interface IngestBatch {
  site: string;
  vid: string;
  sid?: string;
  events: TrackedEvent[];
}

/** An event refused on its own; the rest of its batch is stored. `index` is its place in the batch. */
export interface RejectedEvent {
  index: number;
  path: string;
  message: string;
}

/** Hard limits; they bound per-request work and per-visitor storage, not just tidiness. */
export const LIMITS = {
  maxBodyBytes: 65536,
  maxEvents: 100,
  maxProps: 20,
  maxStringLength: 1024,
  maxUrlLength: 2048,
  maxPropKeyLength: 40,
} as const;

/** Site ids appear in URLs and Durable Object names, so they stay lower-case and URL-safe. */
export const SITE_ID = /^[a-z0-9-]{1,64}$/;
/** Visitor, session and event ids: opaque, URL-safe, long enough to be unguessable when random. */
export const OPAQUE_ID = /^[A-Za-z0-9_-]{8,64}$/;
/** Custom `track` names; every built-in type matches it too, so rules can name either kind. */
export const CUSTOM_TYPE = /^[a-z0-9_]{1,40}$/;
/** Prop names: also what a derived event's keys must satisfy (shared/derive.ts). */
export const PROP_KEY = /^[A-Za-z0-9_]{1,40}$/;
const HTTP_URL = /^https?:\/\//i;
/** Deliberately loose: the goal is to refuse obvious garbage, not to implement RFC 5322. */
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const MAX_EMAIL_LENGTH = 254;

/** Plausible epoch-ms bounds: catches seconds-instead-of-ms and garbage clocks. */
const MIN_TS = 946_684_800_000; // 2000-01-01T00:00:00Z
const MAX_TS = 4_102_444_800_000; // 2100-01-01T00:00:00Z

/** A rejected body: `path` names the field ("events[3].props.sku"), `message` is a sentence about it. */
export type Invalid = { ok: false; code: "invalid_body" | "too_many_events"; path: string; message: string };
/** An accepted body, holding only the known fields. */
export type Valid<T> = { ok: true; value: T };
/** An accepted batch: the valid events, and the events refused one by one with the reason. */
export type ValidBatch = Valid<IngestBatch> & { rejected: RejectedEvent[] };

function invalid(path: string, message: string, code: Invalid["code"] = "invalid_body"): Invalid {
  return { ok: false, code, path, message };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** True when `value` looks like an email address (after trimming and lower-casing by the caller). */
export function isEmail(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && EMAIL.test(value);
}

function checkId(value: unknown, path: string, pattern: RegExp, what: string): Invalid | null {
  if (typeof value !== "string") return invalid(path, `${path} must be a string, got ${describe(value)}.`);
  if (!pattern.test(value)) return invalid(path, `${path} must be ${what}.`);
  return null;
}

const OPAQUE_WHAT = "8 to 64 characters of A-Z, a-z, 0-9, '_' or '-'";

/** Flat props; a null value counts as absent and is dropped. */
function validateProps(value: unknown, path: string): Valid<Props> | Invalid {
  if (!isPlainObject(value)) return invalid(path, `${path} must be a flat object, got ${describe(value)}.`);
  const keys = Object.keys(value);
  if (keys.length > LIMITS.maxProps) {
    return invalid(path, `${path} has ${keys.length} keys; at most ${LIMITS.maxProps} are allowed.`);
  }
  const out: Props = {};
  for (const key of keys) {
    const at = `${path}.${key}`;
    if (!PROP_KEY.test(key)) {
      return invalid(at, `${at}: prop names must be 1 to ${LIMITS.maxPropKeyLength} characters of A-Z, a-z, 0-9 or '_'.`);
    }
    const v = value[key];
    // null is "no value" in JSON (a form without an action attribute): dropped like a missing key.
    if (v === null) continue;
    if (typeof v === "string") {
      if (v.length > LIMITS.maxStringLength) {
        return invalid(at, `${at} must be at most ${LIMITS.maxStringLength} characters long (got ${v.length}).`);
      }
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) return invalid(at, `${at} must be a finite number.`);
    } else if (typeof v !== "boolean") {
      return invalid(at, `${at} must be a string, number or boolean, got ${describe(v)}.`);
    }
    out[key] = v;
  }
  return { ok: true, value: out };
}

function validateEvent(value: unknown, path: string): Valid<TrackedEvent> | Invalid {
  if (!isPlainObject(value)) return invalid(path, `${path} must be an object, got ${describe(value)}.`);
  const idError = checkId(value.id, `${path}.id`, OPAQUE_ID, OPAQUE_WHAT);
  if (idError) return idError;
  const type = value.type;
  if (typeof type !== "string" || !CUSTOM_TYPE.test(type)) {
    return invalid(
      `${path}.type`,
      `${path}.type must be a known event type or a custom name of 1 to 40 characters of a-z, 0-9 or '_'.`,
    );
  }
  const ts = value.ts;
  if (typeof ts !== "number" || !Number.isInteger(ts)) {
    return invalid(`${path}.ts`, `${path}.ts must be an integer timestamp in epoch milliseconds.`);
  }
  if (ts < MIN_TS || ts >= MAX_TS) {
    return invalid(`${path}.ts`, `${path}.ts must be epoch milliseconds between the years 2000 and 2100.`);
  }
  const event: TrackedEvent = { id: value.id as string, type, ts };
  if (value.url !== undefined) {
    const url = value.url;
    if (typeof url !== "string" || url.length > LIMITS.maxUrlLength || !HTTP_URL.test(url)) {
      return invalid(
        `${path}.url`,
        `${path}.url must be an http(s):// URL of at most ${LIMITS.maxUrlLength} characters.`,
      );
    }
    event.url = url;
  }
  if (value.props !== undefined) {
    const props = validateProps(value.props, `${path}.props`);
    if (!props.ok) return props;
    event.props = props.value;
  }
  if (type === "identify" && event.props?.email !== undefined) {
    const email = event.props.email;
    if (typeof email !== "string" || !isEmail(email.trim().toLowerCase())) {
      return invalid(`${path}.props.email`, `${path}.props.email must be an email address.`);
    }
  }
  return { ok: true, value: event };
}

/**
 * Validates a parsed JSON body; `path` names the bad field like "events[3].props.sku"; message is a
 * human sentence naming it. More than LIMITS.maxEvents events → code "too_many_events".
 *
 * The envelope (site, vid, sid, the events array) is all-or-nothing. Events are checked one by
 * one: a bad event is refused alone and listed in `rejected`, because a batch carries unrelated
 * interactions (a page view, a click, a page's own `track` call) and one bad prop must not lose
 * the others — which is also what lets mql.js leave all checking to this function. A batch none of
 * whose events is valid is refused whole, with the first event's reason.
 *
 * Unknown keys are dropped rather than rejected so that a newer snippet adding a field does not turn
 * every batch into a 400; the returned value holds only known fields. Duplicate event ids are
 * allowed here because delivery is at-least-once: the visitor's object dedupes them.
 */
export function validateBatch(input: unknown): ValidBatch | Invalid {
  if (!isPlainObject(input)) return invalid("body", `The body must be a JSON object, got ${describe(input)}.`);
  const siteError = checkId(input.site, "site", SITE_ID, "1 to 64 characters of a-z, 0-9 or '-'");
  if (siteError) return siteError;
  const vidError = checkId(input.vid, "vid", OPAQUE_ID, OPAQUE_WHAT);
  if (vidError) return vidError;
  const sidError = input.sid === undefined ? null : checkId(input.sid, "sid", OPAQUE_ID, OPAQUE_WHAT);
  if (sidError) return sidError;
  const raw = input.events;
  if (!Array.isArray(raw)) return invalid("events", `events must be an array, got ${describe(raw)}.`);
  if (raw.length === 0) return invalid("events", "events must hold at least one event.");
  if (raw.length > LIMITS.maxEvents) {
    return invalid(
      "events",
      `events holds ${raw.length} events; at most ${LIMITS.maxEvents} are allowed per batch.`,
      "too_many_events",
    );
  }
  const derived = input.sid === undefined;
  const events: TrackedEvent[] = [];
  const rejected: RejectedEvent[] = [];
  let first: Invalid | null = null;
  for (let i = 0; i < raw.length; i++) {
    let result = validateEvent(raw[i], `events[${i}]`);
    if (result.ok && derived && DERIVED_TYPES.has(result.value.type)) {
      result = invalid(
        `events[${i}].type`,
        `events[${i}].type ${result.value.type} is derived by the worker for a batch without sid; send sid to send your own.`,
      );
    }
    if (result.ok) events.push(result.value);
    else {
      first ??= result;
      rejected.push({ index: i, path: result.path, message: result.message });
    }
  }
  if (events.length === 0) return first!;
  const value: IngestBatch = { site: input.site as string, vid: input.vid as string, events };
  if (!derived) value.sid = input.sid as string;
  return { ok: true, value, rejected };
}

/** What identify tells us about a person, normalised by {@link toTraits}; fit rules read these. */
export interface Traits {
  email?: string;
  name?: string;
  company?: string;
  title?: string;
  industry?: string;
  employees?: number;
  country?: string;
}

/** "250", "1,000", "50-200" (lower bound), "1000+", "10 – 49" → the leading whole number. */
const EMPLOYEES = /^(\d+)(?:\.\d+)?(?:[-–—](?:\d+)?|\+)?$/;

function employeesOf(value: string | number | boolean): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  if (typeof value !== "string") return undefined;
  const match = EMPLOYEES.exec(value.replace(/[\s,_]/g, ""));
  return match ? Number(match[1]) : undefined;
}

function textOf(value: string | number | boolean | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/**
 * Normalises identify props to traits: email trimmed+lowercased and must look like an email,
 * employees number (accept numeric strings like "250"; a range "50-200" → its lower bound), country
 * upper-cased. Unknown keys dropped.
 *
 * Values that do not normalise are dropped rather than kept raw, so fit rules and the API never
 * see a half-valid trait.
 */
export function toTraits(props: Props | undefined): Traits {
  const traits: Traits = {};
  if (!props) return traits;
  const email = textOf(props.email)?.toLowerCase();
  if (email !== undefined && isEmail(email)) traits.email = email;
  const name = textOf(props.name);
  if (name !== undefined) traits.name = name;
  const company = textOf(props.company);
  if (company !== undefined) traits.company = company;
  const title = textOf(props.title);
  if (title !== undefined) traits.title = title;
  const industry = textOf(props.industry);
  if (industry !== undefined) traits.industry = industry;
  const employees = props.employees === undefined ? undefined : employeesOf(props.employees);
  if (employees !== undefined) traits.employees = employees;
  const country = textOf(props.country)?.toUpperCase();
  if (country !== undefined) traits.country = country;
  return traits;
}
