import { DurableObject } from "cloudflare:workers";
import { deriveSessions, type SessionEvent } from "../shared/derive";
import type { TrackedEvent } from "../shared/events";
import {
  applyEvent, newVisitorState, rescore, setStage, viewOf,
  type LedgerEntry, type Transition, type VisitorState,
} from "../shared/engine";
import { byKey, emptyScore, foldScore, type ScoreState } from "../shared/scoring";
import type { Rules } from "../shared/rules";
import { counterShard, counterStub, utcDay } from "./counter";
import { migrate, readMeta, writeMeta } from "./db";
import { Deliveries, type DeliverySummary } from "./delivery";
import type { Env } from "./env";
import { JobQueue, type Job } from "./jobs";
import type { SiteTransition } from "./site";
import type { WebhookEndpoint } from "./site-config";
import { RATE_LIMIT, VISITOR_LADDER } from "./visitor-schema";
import { emailIndexStub, siteStub } from "./stubs";
import { iso } from "./time";
import { VisitorStore, type StoredEvent } from "./visitor-store";

/** What the route knows about the site, passed on every call so the object never asks the site. */
export interface VisitorContext {
  site: string;
  vid: string;
  rules: Rules;
  rulesVersion: number;
  allowAnonymousMql: boolean;
  /** With secrets: the object stores them with each delivery so retries sign as the first attempt did. */
  webhooks: WebhookEndpoint[];
}

export type IngestOutcome = { ok: true; accepted: number; duplicates: number } | { ok: false; retryAfter: number };

interface Profile {
  site: string;
  vid: string;
  firstSeen: number;
  lastSeen: number;
  indexedEmail: string | null;
  /** The last UTC day (`YYYY-MM-DD`) this visitor was counted as active in the site's counter. */
  countedDay?: string;
}

interface Change {
  state: VisitorState;
  ledger: LedgerEntry[];
  transitions: Transition[];
}

/**
 * One visitor of one site (named `site:vid`). It owns that visitor's truth: the event log, the
 * engine state (O(1) aggregates), the ledger of score changes, the transitions and the outbox.
 * Each call validates nothing the route already validated; it de-duplicates, runs the pure engine
 * and persists the result in one transaction, then lets the alarm carry the side effects.
 */
export class VisitorObject extends DurableObject<Env> {
  private readonly store: VisitorStore;
  private readonly jobs: JobQueue;
  private readonly deliveries: Deliveries;
  private state: VisitorState = newVisitorState();
  private base: ScoreState = emptyScore();
  private rules: { rules: Rules; version: number } | null = null;
  private profile: Profile | null = null;
  private eventCount = 0;
  private tokens: number = RATE_LIMIT.burst;
  private refilledAt = Date.now();
  private jobsRunning: Promise<void> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new VisitorStore(ctx.storage.sql);
    this.jobs = new JobQueue(ctx.storage);
    this.deliveries = new Deliveries(ctx.storage, this.jobs);
    ctx.blockConcurrencyWhile(async () => this.load());
  }

  private load(): void {
    migrate(this.ctx.storage, VISITOR_LADDER);
    const sql = this.ctx.storage.sql;
    this.state = readMeta<VisitorState>(sql, "state") ?? newVisitorState();
    this.base = readMeta<ScoreState>(sql, "base") ?? emptyScore();
    this.rules = readMeta(sql, "rules") ?? null;
    this.profile = readMeta<Profile>(sql, "profile") ?? null;
    this.eventCount = this.store.eventCount();
  }

  /**
   * Stores and scores a batch. `sid` undefined (mql.js) means the sender keeps no sessions: the
   * sessions and ad-click landings are derived here from the visitor's event times and page URLs.
   */
  async ingest(ctx: VisitorContext, sid: string | undefined, events: TrackedEvent[]): Promise<IngestOutcome> {
    const now = Date.now();
    const retryAfter = this.takeTokens(events.length, now);
    if (retryAfter > 0) return { ok: false, retryAfter };

    const known = this.store.knownIds(events.map((e) => e.id));
    const fresh = new Map<string, TrackedEvent>();
    for (const e of events) {
      // A clock ahead of ours must not push decay into the future: score at the time we received it.
      if (!known.has(e.id) && !fresh.has(e.id)) fresh.set(e.id, { ...e, ts: Math.min(e.ts, now) });
    }
    const accepted = fresh.size;
    if (accepted === 0) return { ok: true, accepted: 0, duplicates: events.length };
    const sorted = [...fresh.values()].sort(byKey);
    const batch: SessionEvent[] =
      sid === undefined
        ? deriveSessions(sorted, {
            lastTs: this.state.score.lastKey?.ts ?? null,
            visits: this.state.score.visits,
            sid: this.store.latestSid(),
          }).events
        : sorted.map((event) => ({ event, sid }));

    this.atomically(() => {
      const rules = this.adoptRules(ctx, now);
      let change: Change = { state: this.state, ledger: [], transitions: [] };
      let replay = false;
      for (const { event, sid } of batch) {
        this.store.insertEvent(event, sid, now);
        if (replay) continue;
        const result = applyEvent(change.state, event, rules.rules, now, ctx);
        if (result.kind === "replay") replay = true;
        else change = merge(change, result);
      }
      // An event older than what the state has seen: re-fold the whole log so order never matters.
      if (replay) change = merge(change, rescore(change.state, this.base, this.store.allEvents(), rules.rules, now, ctx));
      this.eventCount += batch.length;
      let profile = this.touchProfile(ctx, now);
      // Daily active visitors (SPEC §8): one report per visitor per UTC day, to a sharded counter.
      const day = utcDay(now);
      if (profile.countedDay !== day) {
        this.jobs.enqueue("visitor_day", { day }, now);
        profile = { ...profile, countedDay: day };
      }
      this.commit(ctx, change, rules, profile, now, sorted.some((e) => e.type === "identify"));
    });
    await this.jobs.schedule(now);
    return { ok: true, accepted, duplicates: events.length - accepted };
  }

  /** The backend's view; null when this visitor has never sent an event. Decay is applied at read time. */
  async details(ctx: VisitorContext) {
    if (!this.profile) return null;
    const now = Date.now();
    const rules = this.atomically(() => this.adoptRules(ctx, now));
    const view = viewOf(this.state, rules.rules, now);
    return {
      vid: this.profile.vid,
      site: this.profile.site,
      ...view,
      qualifiedAt: iso(view.qualifiedAt),
      firstSeen: iso(this.profile.firstSeen),
      lastSeen: iso(this.profile.lastSeen),
      rulesVersion: rules.version,
      transitions: this.store.transitions(),
      deliveries: this.deliveries.list(this.profile.vid),
      recent: this.store.recentEvents(100),
    };
  }

  /** What the page may know about itself (`mql('status')`): stage and score only. */
  async status(ctx: VisitorContext) {
    if (!this.profile) return { stage: "visitor", score: 0 };
    const rules = this.rules && this.rules.version >= ctx.rulesVersion ? this.rules.rules : ctx.rules;
    const view = viewOf(this.state, rules, Date.now());
    return { stage: view.stage, score: view.score };
  }

  /** Sales hand-off: the lifecycle decides which moves are allowed (SPEC §6). */
  async changeStage(ctx: VisitorContext, stage: "sql" | "recycled" | "customer", reason: string) {
    if (!this.profile) return { kind: "not_found" as const };
    const now = Date.now();
    const outcome = this.atomically(() => {
      const rules = this.adoptRules(ctx, now);
      const result = setStage(this.state, stage, reason, rules.rules, now);
      if (!result.ok) return result;
      this.commit(ctx, { state: result.state, ledger: [], transitions: result.transitions }, rules, this.profile!, now, false);
      return result;
    });
    await this.jobs.schedule(now);
    if (!outcome.ok) return { kind: "refused" as const, code: outcome.code, message: outcome.message };
    return { kind: "changed" as const, changed: outcome.transitions.length > 0, visitor: await this.details(ctx) };
  }

  async ledger(limit: number, before: number | null) {
    return this.profile ? this.store.ledgerPage(limit, before) : null;
  }

  /** Replays one webhook delivery now, with its original webhook-id; null when it is not this visitor's. */
  async retryDelivery(id: string) {
    if (!this.profile) return null;
    const summary = this.deliveries.retry(id, this.profile.vid);
    await this.jobs.schedule(Date.now());
    return summary;
  }

  async exportEvents(): Promise<StoredEvent[] | null> {
    return this.profile ? this.store.allEvents() : null;
  }

  /**
   * Erases everything stored for this visitor, the email index and the site's feed included. The
   * remote removals come first, so a failure leaves the visitor intact for a retry rather than
   * leaving orphans behind; other calls wait until the erasure is over.
   */
  async erase(): Promise<boolean> {
    if (!this.profile) return false;
    await this.ctx.blockConcurrencyWhile(async () => {
      await this.jobsRunning;
      const { site, vid, indexedEmail } = this.profile!;
      if (indexedEmail) await (await emailIndexStub(this.env, site, indexedEmail)).remove(vid);
      await siteStub(this.env, site).forget(vid);
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      this.state = newVisitorState();
      this.base = emptyScore();
      this.rules = null;
      this.profile = null;
      this.eventCount = 0;
      migrate(this.ctx.storage, VISITOR_LADDER);
    });
    return true;
  }

  override async alarm(): Promise<void> {
    const run = this.jobsRunning.then(() =>
      this.jobs.runDue(
        {
          site_transition: (job) => siteStub(this.env, this.profile!.site).recordTransition(job.payload as SiteTransition),
          email_add: (job) => this.updateEmailIndex(job, "add"),
          email_remove: (job) => this.updateEmailIndex(job, "remove"),
          webhook: (job) => this.deliveries.attempt((job.payload as { id: string }).id, this.profile!.vid),
          site_delivery: (job) => siteStub(this.env, this.profile!.site).recordDelivery(job.payload as DeliverySummary),
          visitor_day: (job) =>
            counterStub(this.env, this.profile!.site, counterShard(this.profile!.vid)).add((job.payload as { day: string }).day),
        },
        () => Date.now(),
      ),
    );
    this.jobsRunning = run.catch(() => {});
    await run;
    await this.jobs.schedule(Date.now());
  }

  // --- internals -------------------------------------------------------------------------------

  /**
   * One storage transaction; if anything in it throws, storage rolls back and the in-memory copy
   * is reloaded from storage, so a bad event or an engine bug can never leave the two apart.
   */
  private atomically<T>(work: () => T): T {
    try {
      return this.ctx.storage.transactionSync(work);
    } catch (error) {
      this.load();
      throw error;
    }
  }

  /** Newer site rules re-score the visitor from its stored events; older (a stale cache) are ignored. */
  private adoptRules(ctx: VisitorContext, now: number): { rules: Rules; version: number } {
    if (this.rules && this.rules.version >= ctx.rulesVersion) return this.rules;
    const next = { rules: ctx.rules, version: ctx.rulesVersion };
    if (this.rules && this.profile) {
      const change = rescore(this.state, this.base, this.store.allEvents(), next.rules, now, ctx);
      this.commit(ctx, change, next, this.profile, now, false);
    }
    writeMeta(this.ctx.storage.sql, "rules", next);
    this.rules = next;
    return next;
  }

  /** Writes one change — state, ledger, transitions and their outbox jobs — inside the caller's transaction. */
  private commit(
    ctx: VisitorContext, change: Change, rules: { rules: Rules; version: number }, profile: Profile, now: number, identified: boolean,
  ): void {
    const sql = this.ctx.storage.sql;
    this.store.appendLedger(change.ledger, rules.version);
    const seqs = this.store.appendTransitions(change.transitions);
    const view = change.transitions.length || identified ? viewOf(change.state, rules.rules, now) : null;
    change.transitions.forEach((t, i) => {
      const report: SiteTransition = {
        vid: profile.vid, from: t.from, to: t.to, at: t.at, reason: t.reason,
        score: view!.score, fit: view!.fit, email: view!.traits.email ?? null,
      };
      this.jobs.enqueue("site_transition", report, now);
      // The payload carries the breakdown, so the receiver sees why the lead qualified.
      this.deliveries.enqueue(ctx.webhooks, seqs[i]!, {
        site: profile.site, vid: profile.vid, stage: t.to, from: t.from, score: view!.score, fit: view!.fit,
        traits: view!.traits, breakdown: view!.breakdown, qualifiedAt: iso(view!.qualifiedAt), reason: t.reason,
      }, t.at, now);
    });
    const email = view?.traits.email ?? null;
    if (identified && email && email !== profile.indexedEmail) {
      if (profile.indexedEmail) this.jobs.enqueue("email_remove", { email: profile.indexedEmail }, now);
      this.jobs.enqueue("email_add", { email, at: now }, now);
      profile = { ...profile, indexedEmail: email };
    }
    const expired = this.store.takeExpired(now, this.eventCount);
    if (expired.length) {
      this.base = foldScore(this.base, expired, rules.rules);
      this.eventCount -= expired.length;
      writeMeta(sql, "base", this.base);
    }
    writeMeta(sql, "state", change.state);
    writeMeta(sql, "profile", profile);
    this.state = change.state;
    this.profile = profile;
  }

  private touchProfile(ctx: VisitorContext, now: number): Profile {
    return this.profile
      ? { ...this.profile, lastSeen: now }
      : { site: ctx.site, vid: ctx.vid, firstSeen: now, lastSeen: now, indexedEmail: null };
  }

  /** Token bucket; returns 0 when the events may pass, else the seconds to wait. */
  private takeTokens(cost: number, now: number): number {
    this.tokens = Math.min(RATE_LIMIT.burst, this.tokens + ((now - this.refilledAt) / 1000) * RATE_LIMIT.perSecond);
    this.refilledAt = now;
    if (cost <= this.tokens) {
      this.tokens -= cost;
      return 0;
    }
    return Math.ceil((cost - this.tokens) / RATE_LIMIT.perSecond);
  }

  private async updateEmailIndex(job: Job, op: "add" | "remove"): Promise<void> {
    const { email, at } = job.payload as { email: string; at?: number };
    const stub = await emailIndexStub(this.env, this.profile!.site, email);
    if (op === "add") await stub.add(this.profile!.vid, at ?? Date.now());
    else await stub.remove(this.profile!.vid);
  }
}

function merge(a: Change, b: Change): Change {
  return { state: b.state, ledger: [...a.ledger, ...b.ledger], transitions: [...a.transitions, ...b.transitions] };
}
