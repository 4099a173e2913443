/**
 * API keys: any `sk_test_` key with at least 24 characters after the prefix is its own account. Bearer
 * and Basic (key as user name) both work. Error messages show a key only masked, as Stripe does.
 *
 * Publishable keys pair with secret keys by their suffix: `pk_test_<suffix>` belongs to the account of
 * `sk_test_<suffix>` (real Stripe issues the pair together; here the rule stands in for the dashboard).
 * A publishable key may only create tokens (`POST /v1/tokens`), as at Stripe; secret keys may too.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { StripeErrorFields } from "./outcomes.ts";

const SECRET_KEY = /^sk_test_[0-9A-Za-z]{24,}$/;
const PUBLISHABLE_KEY = /^pk_test_([0-9A-Za-z]{24,})$/;

/** `key` is the account's secret key, whichever key was presented. */
export type KeyCheck =
  | { ok: true; key: string; publishable: boolean }
  | { ok: false; error: StripeErrorFields };

export const publishableKeyRefused: StripeErrorFields = {
  type: "invalid_request_error",
  message: "This API call cannot be made with a publishable API key. Please use a secret API key.",
  code: "secret_key_required",
};

function presentedKey(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value = ""] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === "bearer") return value;
  if (scheme?.toLowerCase() === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    return decoded.split(":")[0] ?? "";
  }
  return null;
}

function masked(key: string): string {
  const prefix = /^(sk|pk|rk)_(test|live)_/.exec(key)?.[0] ?? "";
  const tail = key.length - prefix.length > 8 ? key.slice(-4) : "";
  return `${prefix}${"*".repeat(Math.max(0, Math.min(key.length - prefix.length - tail.length, 24)))}${tail}`;
}

export function checkApiKey(headers: IncomingHttpHeaders): KeyCheck {
  const key = presentedKey(headers.authorization);
  if (!key) {
    return {
      ok: false,
      error: {
        type: "invalid_request_error",
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using " +
          "Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication " +
          "for details, or we can help at https://support.stripe.com/.",
      },
    };
  }
  if (SECRET_KEY.test(key)) return { ok: true, key, publishable: false };
  const suffix = PUBLISHABLE_KEY.exec(key)?.[1];
  if (suffix !== undefined) return { ok: true, key: `sk_test_${suffix}`, publishable: true };
  return {
    ok: false,
    error: { type: "invalid_request_error", message: `Invalid API Key provided: ${masked(key)}` },
  };
}
