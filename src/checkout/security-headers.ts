import type { RandomSource } from "../core/ids.ts";

export function newNonce(random: RandomSource): string {
  return random(18).toString("base64");
}

export interface PagePolicy {
  nonce: string;
  /**
   * Origins allowed to frame the page: `'self'` for the hosted page (it comes back inside its own 3-D Secure
   * frame), the merchant's registered origin when embedded, none for the rest.
   */
  frameAncestors: string[];
  /** Test mode on a loopback deployment: the simulators' 3-D Secure pages are on http://127.0.0.1. */
  loopbackFrames: boolean;
  /** Served over TLS: add HSTS. */
  tls: boolean;
}

/**
 * A strict policy: scripts only with this response's nonce (and what they load, `strict-dynamic`),
 * no third-party script, styles from our own files, requests to our own API only. 3-D Secure challenges
 * are issuer pages in a frame, hence `frame-src https:`.
 */
export function checkoutPageHeaders(policy: PagePolicy): Record<string, string> {
  const frames = ["'self'", "https:"];
  if (policy.loopbackFrames) frames.push("http://127.0.0.1:*", "http://localhost:*");
  const ancestors = policy.frameAncestors.length > 0 ? policy.frameAncestors.join(" ") : "'none'";
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${policy.nonce}' 'strict-dynamic'`,
    `style-src 'self' 'nonce-${policy.nonce}'`,
    "img-src 'self' data:",
    // Chrome fetches Google Pay's payment method manifest when the page asks whether Google Pay is there.
    "connect-src 'self' https://google.com https://pay.google.com",
    `frame-src ${frames.join(" ")}`,
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    `frame-ancestors ${ancestors}`,
  ].join("; ");
  const headers: Record<string, string> = {
    "content-security-policy": csp,
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cross-origin-opener-policy": "same-origin-allow-popups",
    "permissions-policy":
      "payment=(self), publickey-credentials-get=(self), publickey-credentials-create=(self)",
    "cache-control": "no-store",
  };
  if (policy.frameAncestors.length === 0) headers["x-frame-options"] = "DENY";
  else if (policy.frameAncestors.length === 1 && policy.frameAncestors[0] === "'self'")
    headers["x-frame-options"] = "SAMEORIGIN";
  if (policy.tls) headers["strict-transport-security"] = "max-age=63072000; includeSubDomains";
  return headers;
}

/** Headers for static files: hashed names are immutable; the SDK keeps one URL and revalidates. */
export function staticAssetHeaders(immutable: boolean, tls: boolean): Record<string, string> {
  return {
    "cache-control": immutable
      ? "public, max-age=31536000, immutable"
      : "public, max-age=300, must-revalidate",
    "x-content-type-options": "nosniff",
    // The SDK is loaded cross-origin with `integrity` and `crossorigin="anonymous"`: CORS must allow it.
    "access-control-allow-origin": "*",
    "cross-origin-resource-policy": "cross-origin",
    ...(tls ? { "strict-transport-security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** An origin as the browser sends it: scheme://host[:port], nothing else. */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) return null;
    return url.origin;
  } catch {
    return null;
  }
}
