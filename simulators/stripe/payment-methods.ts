/**
 * PaymentMethods made from `payment_method_data` (raw card, decrypted wallet token or a card token
 * `tok_...`) or named by `payment_method`. The card number is read once, to check it and pick its test
 * behaviour, and is never stored, logged or echoed.
 */
import { type CardFacts, type CardInput, cardFacts, checkCardDetails, missing } from "./card-input.ts";
import { TEST_PAYMENT_METHODS } from "./cards.ts";
import { type Call, type SimContext, unixNow } from "./context.ts";
import { invalidParam, type Responded, stripeError } from "./outcomes.ts";
import type { Params } from "./params.ts";
import type { Account, Address, BillingDetails, PaymentMethodRecord } from "./store.ts";
import { spendToken } from "./tokens.ts";

export type PaymentMethodChoice =
  | { kind: "none" }
  | { kind: "chosen"; paymentMethod: PaymentMethodRecord }
  | { kind: "refused"; outcome: Responded };

type Fields = Record<string, unknown>;

const asFields = (value: unknown): Fields | undefined =>
  typeof value === "object" && value !== null ? (value as Fields) : undefined;
const asText = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

function refused(outcome: Responded): PaymentMethodChoice {
  return { kind: "refused", outcome };
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

function readCard(card: Fields, now: Date): CardInput | Responded {
  const base = "payment_method_data[card]";
  const token = asFields(card.network_token);
  const prefix = token ? `${base}[network_token]` : base;
  const checked = checkCardDetails(
    {
      number: asText(token ? token.number : card.number),
      expMonth: (token?.exp_month ?? card.exp_month) as number | undefined,
      expYear: (token?.exp_year ?? card.exp_year) as number | undefined,
      cvc: asText(card.cvc),
    },
    {
      number: `${prefix}[number]`,
      expMonth: `${prefix}[exp_month]`,
      expYear: `${prefix}[exp_year]`,
      cvc: `${base}[cvc]`,
    },
    now,
  );
  if (!checked.ok) return checked.outcome;
  const { number } = checked;
  const method = asText(token?.tokenization_method);
  const wallet = method
    ? {
        type: method === "apple_pay" ? ("apple_pay" as const) : ("google_pay" as const),
        dynamicLast4: number.slice(-4),
      }
    : null;
  const fundingLast4 = asText(card.last4);
  const last4 = token && fundingLast4 && /^\d{4}$/.test(fundingLast4) ? fundingLast4 : number.slice(-4);
  return { ...checked, last4, wallet };
}

function record(ctx: SimContext, account: Account, facts: CardFacts, data: Fields): PaymentMethodRecord {
  const pm: PaymentMethodRecord = {
    id: ctx.ids.id("pm"),
    created: unixNow(ctx),
    billingDetails: billingDetails(asFields(data.billing_details)),
    metadata: { ...(asFields(data.metadata) as Record<string, string> | undefined) },
    behavior: facts.behavior,
    card: { ...facts.card },
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
    if (testNumber) {
      const facts = cardFacts(ctx, testCard(testNumber, ctx.now()));
      return { kind: "chosen", paymentMethod: record(ctx, account, facts, {}) };
    }
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
  if (!card) return refused(missing("payment_method_data[card]"));
  const token = asText(card.token);
  if (token !== null) {
    const other = CARD_DETAIL_FIELDS.find((name) => card[name] !== undefined);
    if (other) {
      const param = `payment_method_data[card][${other}]`;
      return refused(
        invalidParam(
          `You cannot provide both payment_method_data[card][token] and ${param}.`,
          param,
          "parameters_exclusive",
        ),
      );
    }
    const spent = spendToken(ctx, account, token, "payment_method_data[card][token]");
    if (!spent.ok) return refused(spent.outcome);
    return { kind: "chosen", paymentMethod: record(ctx, account, spent.facts, data) };
  }
  const read = readCard(card, ctx.now());
  if ("kind" in read) return refused(read);
  return { kind: "chosen", paymentMethod: record(ctx, account, cardFacts(ctx, read), data) };
}

const CARD_DETAIL_FIELDS = ["number", "exp_month", "exp_year", "cvc", "last4", "network_token"] as const;
