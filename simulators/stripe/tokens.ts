/**
 * Card tokens (`POST /v1/tokens`), as Google Pay's servers create them in PAYMENT_GATEWAY mode with the
 * merchant's publishable key. A token is spent by `payment_method_data[card][token]`: once, within
 * TOKEN_LIFETIME_SECONDS, and only by its own account; the PaymentMethod it makes behaves like the card.
 */
import { type CardFacts, cardFacts, checkCardDetails } from "./card-input.ts";
import { type Call, type SimContext, unixNow } from "./context.ts";
import { invalidParam, notFound, type Outcome, ok, type Responded, stripeError } from "./outcomes.ts";
import type { Account, TokenRecord } from "./store.ts";
import { tokenWire } from "./wire.ts";

/** Stripe lets an unused card token expire after minutes; the simulator allows ten. */
export const TOKEN_LIFETIME_SECONDS = 10 * 60;

type Fields = Record<string, unknown>;
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** The form carries the expiry as text; anything but digits fails Stripe's expiry check (0 is never valid). */
function expiryNumber(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" && /^\d{1,4}$/.test(value.trim()) ? Number(value) : 0;
}

/** Tokens are created in time order, so the expired ones are at the front. */
function forgetExpired(account: Account, now: number): void {
  for (const [id, token] of account.tokens) {
    if (token.expiresAt > now) return;
    account.tokens.delete(id);
  }
}

export function createToken(ctx: SimContext, call: Call): Outcome {
  const { params } = call;
  const other = Object.keys(params).find((name) => name !== "card" && name !== "expand");
  if (other) return invalidParam(`The Stripe simulator only creates card tokens, not ${other}.`, other);
  const card = typeof params.card === "object" && params.card !== null ? (params.card as Fields) : null;
  if (!card) return invalidParam("The Stripe simulator only tokenizes card details.", "card");
  const checked = checkCardDetails(
    {
      number: text(card.number),
      expMonth: expiryNumber(card.exp_month),
      expYear: expiryNumber(card.exp_year),
      cvc: text(card.cvc),
    },
    { number: "card[number]", expMonth: "card[exp_month]", expYear: "card[exp_year]", cvc: "card[cvc]" },
    ctx.now(),
  );
  if (!checked.ok) return checked.outcome;
  const created = unixNow(ctx);
  forgetExpired(call.account, created);
  const facts = cardFacts(ctx, { ...checked, last4: checked.number.slice(-4), wallet: null });
  const token: TokenRecord = {
    id: ctx.ids.id("tok"),
    created,
    expiresAt: created + TOKEN_LIFETIME_SECONDS,
    used: false,
    cardId: ctx.ids.id("card"),
    name: text(card.name),
    ...facts,
  };
  call.account.tokens.set(token.id, token);
  return ok(tokenWire(token));
}

export function retrieveToken(ctx: SimContext, call: Call): Outcome {
  const id = call.path.token ?? "";
  const token = call.account.tokens.get(id);
  if (!token || token.expiresAt <= unixNow(ctx)) return notFound("token", id, "token");
  return ok(tokenWire(token));
}

/** Uses up a token for a new PaymentMethod; unknown, expired and other accounts' tokens are all "no such token". */
export function spendToken(
  ctx: SimContext,
  account: Account,
  id: string,
  param: string,
): { ok: true; facts: CardFacts } | { ok: false; outcome: Responded } {
  const token = account.tokens.get(id);
  if (!token || token.expiresAt <= unixNow(ctx)) {
    return {
      ok: false,
      outcome: stripeError(400, {
        type: "invalid_request_error",
        code: "resource_missing",
        message: `No such token: '${id}'`,
        param,
      }),
    };
  }
  if (token.used) {
    return {
      ok: false,
      outcome: stripeError(400, {
        type: "invalid_request_error",
        code: "token_already_used",
        message: `You cannot use a Stripe token more than once: ${id}.`,
        param,
      }),
    };
  }
  token.used = true;
  return { ok: true, facts: { behavior: token.behavior, card: { ...token.card } } };
}
