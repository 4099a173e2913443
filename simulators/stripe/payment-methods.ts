/**
 * PaymentMethods made from `payment_method_data` (raw card or decrypted wallet token) or named by
 * `payment_method`. The card number is read once, to check it and pick its test behaviour, and is
 * never stored, logged or echoed.
 */
import { createHmac } from "node:crypto";
import {
  CARD_INPUT_ERRORS,
  cardBehavior,
  detectBrand,
  expiryProblem,
  luhnValid,
  normalizeExpiryYear,
  TEST_PAYMENT_METHODS,
} from "./cards.ts";
import { type Call, type SimContext, unixNow } from "./context.ts";
import { invalidParam, type Responded, stripeError } from "./outcomes.ts";
import type { Params } from "./params.ts";
import type { Account, Address, BillingDetails, PaymentMethodRecord } from "./store.ts";

export type PaymentMethodChoice =
  | { kind: "none" }
  | { kind: "chosen"; paymentMethod: PaymentMethodRecord }
  | { kind: "refused"; outcome: Responded };

type Fields = Record<string, unknown>;

const asFields = (value: unknown): Fields | undefined =>
  typeof value === "object" && value !== null ? (value as Fields) : undefined;
const asText = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

function cardError(code: keyof typeof CARD_INPUT_ERRORS, param: string): PaymentMethodChoice {
  return {
    kind: "refused",
    outcome: stripeError(402, { type: "card_error", code, message: CARD_INPUT_ERRORS[code], param }),
  };
}

function missing(param: string): PaymentMethodChoice {
  return {
    kind: "refused",
    outcome: invalidParam(`Missing required param: ${param}.`, param, "parameter_missing"),
  };
}

function fingerprint(key: string, number: string): string {
  const digest = createHmac("sha256", key).update(number).digest("base64");
  return digest.replace(/[^0-9A-Za-z]/g, "").slice(0, 16);
}

function billingDetails(input: Fields | undefined): BillingDetails {
  const address = asFields(input?.address);
  const line = (name: keyof Address) => asText(address?.[name]);
  return {
    address: {
      city: line("city"),
      country: line("country"),
      line1: line("line1"),
      line2: line("line2"),
      postal_code: line("postal_code"),
      state: line("state"),
    },
    email: asText(input?.email),
    name: asText(input?.name),
    phone: asText(input?.phone),
  };
}

interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string | null;
  last4: string;
  wallet: PaymentMethodRecord["card"]["wallet"];
}

function readCard(card: Fields, now: Date): CardInput | PaymentMethodChoice {
  const base = "payment_method_data[card]";
  const token = asFields(card.network_token);
  const prefix = token ? `${base}[network_token]` : base;
  const number = asText(token ? token.number : card.number);
  if (number === null) return missing(`${prefix}[number]`);
  const month = (token?.exp_month ?? card.exp_month) as number | undefined;
  const rawYear = (token?.exp_year ?? card.exp_year) as number | undefined;
  if (month === undefined) return missing(`${prefix}[exp_month]`);
  if (rawYear === undefined) return missing(`${prefix}[exp_year]`);
  if (!luhnValid(number)) return cardError("incorrect_number", `${prefix}[number]`);
  const expYear = normalizeExpiryYear(rawYear);
  const problem = expiryProblem(month, expYear, now);
  if (problem === "invalid_expiry_month") return cardError(problem, `${prefix}[exp_month]`);
  if (problem === "invalid_expiry_year") return cardError(problem, `${prefix}[exp_year]`);
  const cvc = asText(card.cvc);
  if (cvc !== null && !/^\d{3,4}$/.test(cvc)) return cardError("invalid_cvc", `${base}[cvc]`);
  const method = asText(token?.tokenization_method);
  const wallet = method
    ? {
        type: method === "apple_pay" ? ("apple_pay" as const) : ("google_pay" as const),
        dynamicLast4: number.slice(-4),
      }
    : null;
  const fundingLast4 = asText(card.last4);
  const last4 = token && fundingLast4 && /^\d{4}$/.test(fundingLast4) ? fundingLast4 : number.slice(-4);
  return { number, expMonth: month, expYear, cvc, last4, wallet };
}

function record(ctx: SimContext, account: Account, card: CardInput, data: Fields): PaymentMethodRecord {
  const pm: PaymentMethodRecord = {
    id: ctx.ids.id("pm"),
    created: unixNow(ctx),
    billingDetails: billingDetails(asFields(data.billing_details)),
    metadata: { ...(asFields(data.metadata) as Record<string, string> | undefined) },
    behavior: cardBehavior(card.number),
    card: {
      brand: detectBrand(card.number),
      last4: card.last4,
      expMonth: card.expMonth,
      expYear: card.expYear,
      fingerprint: fingerprint(ctx.fingerprintKey, card.number),
      country: cardBehavior(card.number).country,
      cvcProvided: card.cvc !== null,
      wallet: card.wallet,
    },
  };
  account.paymentMethods.set(pm.id, pm);
  return pm;
}

function testCard(number: string, now: Date): CardInput {
  return {
    number,
    expMonth: 12,
    expYear: now.getUTCFullYear() + 5,
    cvc: "123",
    last4: number.slice(-4),
    wallet: null,
  };
}

export function choosePaymentMethod(ctx: SimContext, call: Call, params: Params): PaymentMethodChoice {
  const { account } = call;
  const data = asFields(params.payment_method_data);
  const named = asText(params.payment_method);
  if (data && named) {
    return {
      kind: "refused",
      outcome: invalidParam(
        "You cannot provide both payment_method and payment_method_data.",
        "payment_method_data",
        "parameters_exclusive",
      ),
    };
  }
  if (named) {
    const existing = account.paymentMethods.get(named);
    if (existing) return { kind: "chosen", paymentMethod: existing };
    const testNumber = TEST_PAYMENT_METHODS.get(named);
    if (testNumber)
      return { kind: "chosen", paymentMethod: record(ctx, account, testCard(testNumber, ctx.now()), {}) };
    return {
      kind: "refused",
      outcome: stripeError(400, {
        type: "invalid_request_error",
        code: "resource_missing",
        message: `No such PaymentMethod: '${named}'`,
        param: "payment_method",
      }),
    };
  }
  if (!data) return { kind: "none" };
  if (data.type !== "card") {
    return {
      kind: "refused",
      outcome: invalidParam(
        `The Stripe simulator only takes card payment methods; payment_method_data[type] was '${String(data.type)}'.`,
        "payment_method_data[type]",
        "payment_intent_invalid_parameter",
      ),
    };
  }
  const card = asFields(data.card);
  if (!card) return missing("payment_method_data[card]");
  const read = readCard(card, ctx.now());
  if ("kind" in read) return read;
  return { kind: "chosen", paymentMethod: record(ctx, account, read, data) };
}
