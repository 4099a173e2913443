/**
 * Finding our payment or refund by the reference in its metadata, for when the create call's outcome
 * is unknown and Mollie's id never reached us. Mollie lists newest first and cannot filter by
 * metadata, so recent pages are read until the lookback window is passed.
 */
import { type MollieConnection, mollieClient, nextCursor } from "./client.ts";
import { unexpected } from "./errors.ts";
import {
  listSchema,
  parseWith,
  payrailReferenceOf,
  type WirePayment,
  type WireRefund,
  wirePaymentSchema,
  wireRefundSchema,
} from "./wire.ts";

const PAGE_LIMIT = 250;
const MAX_PAGES = 8;
/** A payment made from a reference is looked for this far back; iDEAL payments expire after 15 minutes. */
export const LOOKBACK_MS = 3 * 24 * 60 * 60 * 1000;

export type Lookup<T> =
  | { kind: "found"; item: T }
  /** Every candidate was read and none carries the reference. */
  | { kind: "absent" }
  | { kind: "unknown"; reason: string };

// Should a reference ever have two payments (an Idempotency-Key is kept one hour), the one that went
// furthest tells what the shopper did.
const PAYMENT_RANK: Record<string, number> = { paid: 5, authorized: 4, pending: 3, open: 2 };

function bestPayment(payments: WirePayment[]): WirePayment | undefined {
  return [...payments].sort((a, b) => (PAYMENT_RANK[b.status] ?? 1) - (PAYMENT_RANK[a.status] ?? 1))[0];
}

export async function findPaymentByReference(
  c: MollieConnection,
  reference: string,
  now: Date,
): Promise<Lookup<WirePayment>> {
  const page = listSchema("payments");
  const oldest = now.getTime() - LOOKBACK_MS;
  const matches: WirePayment[] = [];
  let unreadable = false;
  let from: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const answer = await mollieClient.listPayments(c, { from, limit: PAGE_LIMIT });
    if (answer.kind === "unknown") return answer;
    if (answer.status !== 200) throw unexpected("list payments", answer);
    const list = parseWith(page, answer.body);
    if (!list) return { kind: "unknown", reason: "malformed_response" };
    let passedWindow = false;
    for (const item of list._embedded.payments ?? []) {
      const payment = parseWith(wirePaymentSchema, item);
      if (!payment) {
        unreadable = true;
        continue;
      }
      if (payrailReferenceOf(payment.metadata) === reference) matches.push(payment);
      const created = payment.createdAt ? Date.parse(payment.createdAt) : Number.NaN;
      if (created < oldest) passedWindow = true;
    }
    from = nextCursor(list._links.next);
    if (passedWindow || from === undefined) {
      const best = bestPayment(matches);
      if (best) return { kind: "found", item: best };
      return unreadable ? { kind: "unknown", reason: "malformed_response" } : { kind: "absent" };
    }
  }
  const best = bestPayment(matches);
  return best ? { kind: "found", item: best } : { kind: "unknown", reason: "lookup_window_not_reached" };
}

export async function findRefundByReference(
  c: MollieConnection,
  paymentId: string,
  reference: string,
): Promise<Lookup<WireRefund> | { kind: "no_payment" }> {
  const page = listSchema("refunds");
  let unreadable = false;
  let from: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const answer = await mollieClient.listRefunds(c, paymentId, { from, limit: PAGE_LIMIT });
    if (answer.kind === "unknown") return answer;
    if (answer.status === 404) return { kind: "no_payment" };
    if (answer.status !== 200) throw unexpected("list refunds", answer);
    const list = parseWith(page, answer.body);
    if (!list) return { kind: "unknown", reason: "malformed_response" };
    for (const item of list._embedded.refunds ?? []) {
      const refund = parseWith(wireRefundSchema, item);
      if (!refund) unreadable = true;
      else if (payrailReferenceOf(refund.metadata) === reference) return { kind: "found", item: refund };
    }
    from = nextCursor(list._links.next);
    if (from === undefined) {
      return unreadable ? { kind: "unknown", reason: "malformed_response" } : { kind: "absent" };
    }
  }
  return { kind: "unknown", reason: "lookup_window_not_reached" };
}
