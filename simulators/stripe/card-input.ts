/**
 * Card details as Stripe checks them (number, expiry, CVC), and what the simulator keeps of a card once
 * checked: its test behaviour and display fields. The number itself is never kept, logged or echoed.
 */
import { createHmac } from "node:crypto";
import {
  CARD_INPUT_ERRORS,
  cardBehavior,
  detectBrand,
  expiryProblem,
  luhnValid,
  normalizeExpiryYear,
} from "./cards.ts";
import type { SimContext } from "./context.ts";
import { invalidParam, type Responded, stripeError } from "./outcomes.ts";
import type { PaymentMethodRecord } from "./store.ts";

export function missing(param: string): Responded {
  return invalidParam(`Missing required param: ${param}.`, param, "parameter_missing");
}

function fingerprint(key: string, number: string): string {
  const digest = createHmac("sha256", key).update(number).digest("base64");
  return digest.replace(/[^0-9A-Za-z]/g, "").slice(0, 16);
}

export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string | null;
  last4: string;
  wallet: PaymentMethodRecord["card"]["wallet"];
}

export type CardCheck =
  | { ok: true; number: string; expMonth: number; expYear: number; cvc: string | null }
  | { ok: false; outcome: Responded };

/** Stripe's checks on card details, in its order; `param` names each field in the error. */
export function checkCardDetails(
  card: {
    number: string | null;
    expMonth: number | undefined;
    expYear: number | undefined;
    cvc: string | null;
  },
  param: { number: string; expMonth: string; expYear: string; cvc: string },
  now: Date,
): CardCheck {
  const cardError = (code: keyof typeof CARD_INPUT_ERRORS, name: string): CardCheck => ({
    ok: false,
    outcome: stripeError(402, { type: "card_error", code, message: CARD_INPUT_ERRORS[code], param: name }),
  });
  const { number, expMonth } = card;
  if (number === null) return { ok: false, outcome: missing(param.number) };
  if (expMonth === undefined) return { ok: false, outcome: missing(param.expMonth) };
  if (card.expYear === undefined) return { ok: false, outcome: missing(param.expYear) };
  if (!luhnValid(number)) return cardError("incorrect_number", param.number);
  const expYear = normalizeExpiryYear(card.expYear);
  const problem = expiryProblem(expMonth, expYear, now);
  if (problem === "invalid_expiry_month") return cardError(problem, param.expMonth);
  if (problem === "invalid_expiry_year") return cardError(problem, param.expYear);
  if (card.cvc !== null && !/^\d{3,4}$/.test(card.cvc)) return cardError("invalid_cvc", param.cvc);
  return { ok: true, number, expMonth, expYear, cvc: card.cvc };
}

/** What the simulator keeps of a card: its test behaviour and display fields, never the number. */
export type CardFacts = Pick<PaymentMethodRecord, "behavior" | "card">;

export function cardFacts(ctx: SimContext, card: CardInput): CardFacts {
  const behavior = cardBehavior(card.number);
  return {
    behavior,
    card: {
      brand: detectBrand(card.number),
      last4: card.last4,
      expMonth: card.expMonth,
      expYear: card.expYear,
      fingerprint: fingerprint(ctx.fingerprintKey, card.number),
      country: behavior.country,
      cvcProvided: card.cvc !== null,
      wallet: card.wallet,
    },
  };
}
