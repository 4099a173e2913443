/** What operations share, and what they decide before the HTTP layer turns it into bytes. */
import type { Lifecycle } from "../common/lifecycle.ts";
import { type ApiFamily, type ErrorStatus, paypalError } from "./errors.ts";
import type { EventPublisher } from "./events.ts";
import type { Ids } from "./ids.ts";
import type { ErrorDetail, Operation, SpecValidators } from "./spec.ts";
import type { App, Store } from "./store.ts";

export interface Context {
  store: Store;
  ids: Ids;
  now: () => Date;
  lifecycle: Lifecycle;
  baseUrl: () => string;
  spec: SpecValidators;
  events: EventPublisher;
  /** Delay before a pending (eCheck) capture completes or is denied. */
  resolveAfterMs: number;
  /** How long an order may wait for the buyer's approval before it is gone. */
  orderExpiryMs: number;
  /** How long an approved order may wait to be captured or authorized. */
  approvedOrderExpiryMs: number;
  /** PayPal's fee on a capture, in minor units of its currency. */
  fee(currency: string, grossMinor: bigint): bigint;
}

export interface Call {
  op: Operation;
  app: App;
  params: string[];
  // biome-ignore lint/suspicious/noExplicitAny: the body has passed the operation's spec schema
  body: any;
  /** `Prefer: return=representation` asks for the full resource where PayPal answers minimally. */
  representation: boolean;
}

export interface Outcome {
  status: number;
  /** Null: no body (204). */
  body: unknown;
  /** Kept for PayPal-Request-Id replays; rejected requests are not. */
  remember: boolean;
}

export function answer(status: number, body: unknown): Outcome {
  return { status, body, remember: true };
}

export function familyOf(op: Operation): ApiFamily {
  if (op.startsWith("orders.")) return "orders";
  if (op.startsWith("webhooks.") || op.startsWith("events.")) return "webhooks";
  return "payments";
}

export function detail(
  ctx: Context,
  op: Operation,
  status: number,
  issue: string,
  extra: Omit<ErrorDetail, "issue"> = {},
): ErrorDetail {
  const description = ctx.spec.describe(op, status, issue) ?? ISSUES_THE_SPEC_OMITS[issue];
  return { ...extra, issue, ...(description ? { description } : {}) };
}

/** PayPal returns these where the per-operation lists in its specs do not name them. */
export const ISSUES_THE_SPEC_OMITS: Record<string, string> = {
  ACTION_DOES_NOT_MATCH_INTENT:
    "Order was created with an intent to 'AUTHORIZE'. Please use v2/checkout/orders/order_id/authorize to complete the transaction or alternately Create an order with an intent of 'CAPTURE'.",
  ORDER_EXPIRED: "Order is expired and hence cannot be captured.",
  INSTRUMENT_DECLINED:
    "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
};

export function fail(
  ctx: Context,
  call: Pick<Call, "op">,
  status: ErrorStatus,
  issue: string,
  extra: Omit<ErrorDetail, "issue"> = {},
): Outcome {
  const details = [detail(ctx, call.op, status, issue, extra)];
  return {
    status,
    body: paypalError(status, ctx.ids.debugId(), familyOf(call.op), details),
    remember: false,
  };
}

export function notFound(ctx: Context, call: Pick<Call, "op">): Outcome {
  return fail(ctx, call, 404, "INVALID_RESOURCE_ID");
}
