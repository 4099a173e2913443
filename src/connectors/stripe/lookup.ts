/**
 * Finding what Stripe made of one of our references when we have no Stripe id: after a timeout, or
 * when the idempotency key was reused with other parameters. Stripe's search is tried first; it is
 * eventually consistent and not offered everywhere, so a bounded walk over the newest objects follows.
 */
import { type Attempt, attempt, type StripeConnection } from "./calls.ts";
import { type StripeFailure, unexpectedRefusal } from "./errors.ts";
import { referenceSearchQuery } from "./requests.ts";
import {
  parsePaymentIntent,
  parseRefund,
  referenceOf,
  type WirePaymentIntent,
  type WireRefund,
  wireListSchema,
} from "./wire.ts";

const PAGE_SIZE = 100;
/** A lookup by reference follows a recent call, so the newest thousand objects are enough. */
const MAX_PAGES = 10;

export type Lookup<T> = { kind: "found"; object: T } | { kind: "none" } | { kind: "unknown"; reason: string };

function unknownOrThrow(operation: string, failure: StripeFailure): { kind: "unknown"; reason: string } {
  if (failure.kind === "unknown") return failure;
  if (failure.kind === "refused") throw unexpectedRefusal(operation, failure);
  return { kind: "unknown", reason: failure.kind };
}

/** Objects Payrail did not create (or cannot read) are skipped; they only move the page cursor. */
function firstMatch<T extends { id: string; metadata?: Record<string, string> | null | undefined }>(
  body: unknown,
  parse: (item: unknown) => T | null,
  reference: string,
): { match: T | undefined; lastId: string | undefined; hasMore: boolean } | null {
  const list = wireListSchema.safeParse(body);
  if (!list.success) return null;
  let lastId: string | undefined;
  for (const item of list.data.data) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id === "string") lastId = id;
    const object = parse(item);
    if (object && referenceOf(object) === reference) {
      return { match: object, lastId, hasMore: list.data.has_more };
    }
  }
  return { match: undefined, lastId, hasMore: list.data.has_more };
}

async function walk<T extends { id: string; metadata?: Record<string, string> | null | undefined }>(
  operation: string,
  fetchPage: (startingAfter: string | undefined) => Promise<Attempt<unknown>>,
  parse: (item: unknown) => T | null,
  reference: string,
): Promise<Lookup<T>> {
  let startingAfter: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await fetchPage(startingAfter);
    if (!answer.ok) return unknownOrThrow(operation, answer.failure);
    const result = firstMatch(answer.value, parse, reference);
    if (!result) return { kind: "unknown", reason: "malformed_response" };
    if (result.match) return { kind: "found", object: result.match };
    if (!result.hasMore || !result.lastId) return { kind: "none" };
    startingAfter = result.lastId;
  }
  return { kind: "none" };
}

export async function findPaymentIntent(
  c: StripeConnection,
  reference: string,
): Promise<Lookup<WirePaymentIntent>> {
  const searched = await attempt(c, (stripe, options) =>
    stripe.paymentIntents.search(
      { query: referenceSearchQuery(reference), limit: 10, expand: ["data.latest_charge"] },
      options,
    ),
  );
  if (searched.ok) {
    const result = firstMatch(searched.value, parsePaymentIntent, reference);
    if (result?.match) return { kind: "found", object: result.match };
  } else if (searched.failure.kind === "unknown") {
    return searched.failure;
  }
  return walk(
    "find payment intent",
    (startingAfter) =>
      attempt(c, (stripe, options) =>
        stripe.paymentIntents.list(
          {
            limit: PAGE_SIZE,
            expand: ["data.latest_charge"],
            ...(startingAfter ? { starting_after: startingAfter } : {}),
          },
          options,
        ),
      ),
    parsePaymentIntent,
    reference,
  );
}

/** Refunds cannot be searched; they are listed, for one payment intent when we know it. */
export async function findRefund(
  c: StripeConnection,
  reference: string,
  paymentIntent?: string,
): Promise<Lookup<WireRefund>> {
  return walk(
    "find refund",
    (startingAfter) =>
      attempt(c, (stripe, options) =>
        stripe.refunds.list(
          {
            limit: PAGE_SIZE,
            ...(paymentIntent ? { payment_intent: paymentIntent } : {}),
            ...(startingAfter ? { starting_after: startingAfter } : {}),
          },
          options,
        ),
      ),
    parseRefund,
    reference,
  );
}
