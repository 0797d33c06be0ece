/**
 * Where webhooks may go (SPEC §5, §7). Production: https only, and never to a host that names
 * this machine or a private network — a site admin must not be able to make the worker probe
 * internal services (SSRF). Development: also http:// to loopback, for a receiver on the laptop.
 * Hostnames are checked as written; Cloudflare's egress does not route to private networks, so
 * a public name resolving to a private address does not reach one.
 */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
const PRIVATE_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa)$/i;

function ipv4Private(host: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return (
    a === 0 || a === 10 || a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

function ipv6Private(host: string): boolean {
  if (!host.startsWith("[")) return false;
  const ip = host.slice(1, -1).toLowerCase();
  return (
    ip === "::" || ip === "::1" || ip.startsWith("fc") || ip.startsWith("fd") || ip.startsWith("fe80") ||
    ip.startsWith("::ffff:") // IPv4-mapped: judged as private rather than decoded
  );
}

export function isPrivateHost(hostname: string): boolean {
  return PRIVATE_NAMES.test(hostname) || ipv4Private(hostname) || ipv6Private(hostname) || (!hostname.includes(".") && !hostname.startsWith("["));
}

/** Null when the URL is acceptable, else the reason, phrased for an error message. */
export function webhookUrlProblem(value: string, development: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL";
  }
  if (url.username || url.password) return "must not carry credentials";
  if (development && url.protocol === "http:" && LOOPBACK.test(url.hostname)) return null;
  if (url.protocol !== "https:") return development ? "must be an https:// URL (or http:// to loopback in development)" : "must be an https:// URL";
  if (!development && isPrivateHost(url.hostname)) return "must not point at a private, loopback or link-local address";
  return null;
}
