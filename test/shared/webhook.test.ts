import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  RETRY_SCHEDULE_MS, RETRY_WINDOW_MS, classify, nextDelay, parseRetryAfter, signedHeaders, typesFor, webhookId,
} from "../../shared/webhook";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

describe("signing", () => {
  it("produces headers the standardwebhooks verifier accepts, and rejects tampering", () => {
    const body = JSON.stringify({ type: "visitor.qualified", data: { vid: "v" } });
    const now = Math.floor(Date.now() / 1000);
    const headers = signedHeaders(SECRET, "msg_1", now, body);
    expect(headers["webhook-id"]).toBe("msg_1");
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(SECRET).verify(body.replace("v", "w"), headers)).toThrow();
    expect(() => new Webhook("whsec_" + "A".repeat(32)).verify(body, headers)).toThrow();
  });
});

describe("classification", () => {
  it.each([
    [200, "delivered"], [204, "delivered"],
    [408, "retry"], [429, "retry"], [500, "retry"], [503, "retry"], [null, "retry"],
    [400, "failed"], [401, "failed"], [404, "failed"], [410, "failed"], [301, "failed"],
  ] as const)("HTTP %s → %s", (status, kind) => {
    expect(classify(status, null, 0).kind).toBe(kind);
  });

  it("reads Retry-After as seconds or an HTTP date, capped at a day", () => {
    const now = Date.parse("2026-12-03T12:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Thu, 03 Dec 2026 12:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("999999999", now)).toBe(24 * 3_600_000);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(classify(429, "7", now)).toEqual({ kind: "retry", reason: "HTTP 429", retryAfterMs: 7000 });
  });
});

describe("retry schedule", () => {
  it("follows 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h within ±20 % jitter", () => {
    RETRY_SCHEDULE_MS.forEach((base, i) => {
      expect(nextDelay(i + 1, 0, 0.5)).toBe(base);
      expect(nextDelay(i + 1, 0, 0)).toBe(Math.round(base * 0.8));
      expect(nextDelay(i + 1, 0, 0.999999)).toBeLessThanOrEqual(Math.round(base * 1.2));
    });
    expect(nextDelay(15, 0, 0.5)).toBe(8 * 3_600_000);
  });

  it("honours a longer Retry-After but never a shorter one", () => {
    expect(nextDelay(1, 0, 0.5, 60_000)).toBe(60_000);
    expect(nextDelay(5, 0, 0.5, 1000)).toBe(30 * 60_000);
  });

  it("gives up once the next attempt would fall beyond 3 days", () => {
    expect(nextDelay(12, RETRY_WINDOW_MS - 1000, 0.5)).toBeNull();
    expect(nextDelay(12, RETRY_WINDOW_MS - 9 * 3_600_000, 0.5)).toBe(8 * 3_600_000);
  });

  it("walking the whole schedule ends within 3 days after a bounded number of attempts", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.999999, noNaN: true }), { minLength: 40, maxLength: 40 }), (randoms) => {
        let elapsed = 0;
        let attempts = 1;
        for (;;) {
          const delay = nextDelay(attempts, elapsed, randoms[attempts % randoms.length]!);
          if (delay === null) break;
          elapsed += delay;
          attempts += 1;
        }
        expect(elapsed).toBeLessThanOrEqual(RETRY_WINDOW_MS);
        expect(attempts).toBeGreaterThanOrEqual(14);
        expect(attempts).toBeLessThanOrEqual(20);
      }),
    );
  });
});

describe("ids and types", () => {
  it("is deterministic per transition, endpoint and type", () => {
    const a = webhookId("vid-12345678", 1_700_000_000_000, 3, 0, "visitor.qualified");
    expect(a).toBe(webhookId("vid-12345678", 1_700_000_000_000, 3, 0, "visitor.qualified"));
    expect(a).not.toBe(webhookId("vid-12345678", 1_700_000_000_000, 3, 1, "visitor.qualified"));
    expect(a).not.toBe(webhookId("vid-12345678", 1_700_000_000_000, 3, 0, "visitor.stage_changed"));
  });

  it("maps transitions to event types", () => {
    expect(typesFor("mql")).toEqual(["visitor.qualified", "visitor.stage_changed"]);
    expect(typesFor("sql")).toEqual(["visitor.stage_changed"]);
  });
});
