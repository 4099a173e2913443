/**
 * Validation of `POST /v2/payments` as Mollie answers it: 422 with the offending `field`, unknown
 * parameters refused by name. Only iDEAL in EUR is offered here.
 */
import { ERRORS, type MollieError } from "./errors.ts";
import { isIdealIssuer } from "./ideal.ts";
import { parseEurValue } from "./money.ts";

const ALLOWED = new Set([
  "amount",
  "description",
  "redirectUrl",
  "cancelUrl",
  "webhookUrl",
  "locale",
  "method",
  "metadata",
  "issuer",
  "sequenceType",
  "testmode",
]);
const LOCALE = /^[a-z]{2}_[A-Z]{2}$/;
const MIN_CENTS = 1n;
const MAX_CENTS = 5_000_000n;
const METADATA_MAX_BYTES = 1024;
const DESCRIPTION_MAX = 255;

export interface PaymentInput {
  amount: bigint;
  description: string;
  redirectUrl: string;
  cancelUrl: string | null;
  webhookUrl: string | null;
  locale: string | null;
  method: "ideal" | null;
  metadata: unknown;
  issuer: string | null;
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string" || !URL.canParse(value)) return false;
  const protocol = new URL(value).protocol;
  return protocol === "http:" || protocol === "https:";
}

export function unknownParameter(body: Record<string, unknown>, allowed: Set<string>): MollieError | null {
  for (const name of Object.keys(body)) if (!allowed.has(name)) return ERRORS.unknownParameter(name);
  return null;
}

/** The amount object of a payment or refund, in EUR cents. */
export function readEurAmount(
  amount: unknown,
  requiredDetail: string,
): { ok: true; cents: bigint } | { ok: false; error: MollieError } {
  if (amount === undefined || amount === null)
    return { ok: false, error: ERRORS.invalid(requiredDetail, "amount") };
  if (typeof amount !== "object" || Array.isArray(amount)) {
    return { ok: false, error: ERRORS.invalid("The amount is invalid.", "amount") };
  }
  const { currency, value } = amount as Record<string, unknown>;
  if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) {
    return { ok: false, error: ERRORS.invalid("The amount currency is invalid.", "amount.currency") };
  }
  if (currency !== "EUR") {
    return {
      ok: false,
      error: ERRORS.invalid(
        `The currency ${currency} is not supported for the payment method iDEAL.`,
        "amount.currency",
      ),
    };
  }
  const cents = parseEurValue(value);
  if (cents === null) {
    return {
      ok: false,
      error: ERRORS.invalid("The amount value is invalid, use a string with two decimals.", "amount.value"),
    };
  }
  return { ok: true, cents };
}

export function readPaymentInput(
  body: unknown,
): { ok: true; input: PaymentInput } | { ok: false; error: MollieError } {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, error: ERRORS.invalid("The amount is required for payments.", "amount") };
  }
  const b = body as Record<string, unknown>;
  const fail = (detail: string, field: string) => ({
    ok: false as const,
    error: ERRORS.invalid(detail, field),
  });
  const unknown = unknownParameter(b, ALLOWED);
  if (unknown) return { ok: false, error: unknown };

  const amount = readEurAmount(b.amount, "The amount is required for payments.");
  if (!amount.ok) return amount;
  if (amount.cents < MIN_CENTS) return fail("The amount is lower than the minimum.", "amount");
  if (amount.cents > MAX_CENTS) return fail("The amount is higher than the maximum.", "amount");

  if (b.description === undefined || b.description === null)
    return fail("The description is required.", "description");
  if (typeof b.description !== "string" || b.description.trim() === "") {
    return fail("The description is invalid.", "description");
  }
  if (b.redirectUrl === undefined || b.redirectUrl === null) {
    return fail("The redirect URL is required for one-off payments.", "redirectUrl");
  }
  if (!isHttpUrl(b.redirectUrl)) return fail("The redirect URL is invalid.", "redirectUrl");
  if (b.cancelUrl !== undefined && b.cancelUrl !== null && !isHttpUrl(b.cancelUrl)) {
    return fail("The cancel URL is invalid.", "cancelUrl");
  }
  if (b.webhookUrl !== undefined && b.webhookUrl !== null && !isHttpUrl(b.webhookUrl)) {
    return fail("The webhook URL is invalid.", "webhookUrl");
  }
  if (
    b.locale !== undefined &&
    b.locale !== null &&
    (typeof b.locale !== "string" || !LOCALE.test(b.locale))
  ) {
    return fail("The locale is invalid.", "locale");
  }
  const methods =
    b.method === undefined || b.method === null ? [] : Array.isArray(b.method) ? b.method : [b.method];
  if (methods.some((m) => m !== "ideal")) return fail("The payment method is invalid.", "method");
  if (b.issuer !== undefined && b.issuer !== null && !isIdealIssuer(b.issuer)) {
    return fail("The issuer is invalid.", "issuer");
  }
  if (b.sequenceType !== undefined && b.sequenceType !== "oneoff") {
    return fail("The sequence type is invalid, iDEAL supports only oneoff.", "sequenceType");
  }
  if (b.testmode !== undefined && typeof b.testmode !== "boolean")
    return fail("The testmode is invalid.", "testmode");
  const metadata = b.metadata ?? null;
  if (Buffer.byteLength(JSON.stringify(metadata), "utf8") > METADATA_MAX_BYTES) {
    return fail("The metadata is too large, at most 1 kB is allowed.", "metadata");
  }

  return {
    ok: true,
    input: {
      amount: amount.cents,
      // Mollie truncates a long description instead of refusing it.
      description: b.description.slice(0, DESCRIPTION_MAX),
      redirectUrl: b.redirectUrl,
      cancelUrl: (b.cancelUrl as string | null | undefined) ?? null,
      webhookUrl: (b.webhookUrl as string | null | undefined) ?? null,
      locale: (b.locale as string | null | undefined) ?? null,
      method: methods.length > 0 ? "ideal" : null,
      metadata,
      issuer: (b.issuer as string | null | undefined) ?? null,
    },
  };
}
