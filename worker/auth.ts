import type { Context } from "hono";
import { ApiError } from "./errors";
import type { AppEnv } from "./env";

const encoder = new TextEncoder();

/**
 * Compares secrets in constant time. Both sides are hashed first so their lengths match, which
 * `timingSafeEqual` requires, and so the comparison leaks neither content nor length.
 */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(given)),
    crypto.subtle.digest("SHA-256", encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

export function bearerToken(c: Context<AppEnv>): string | null {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** Requires the deployment's ADMIN_TOKEN; a deployment without one refuses all admin calls. */
export async function requireAdmin(c: Context<AppEnv>): Promise<void> {
  const token = bearerToken(c);
  const admin = c.env.ADMIN_TOKEN;
  if (!token) throw new ApiError(401, "unauthorized", "Send the admin token as 'Authorization: Bearer <ADMIN_TOKEN>'.");
  if (!admin) throw new ApiError(503, "admin_disabled", "ADMIN_TOKEN is not configured for this deployment.");
  if (!(await secretsEqual(token, admin))) throw new ApiError(403, "forbidden", "The admin token is not valid.");
}

/** True when the bearer token is the ADMIN_TOKEN (without throwing), for routes that accept either key. */
export async function isAdmin(c: Context<AppEnv>, token: string): Promise<boolean> {
  const admin = c.env.ADMIN_TOKEN;
  return !!admin && (await secretsEqual(token, admin));
}
