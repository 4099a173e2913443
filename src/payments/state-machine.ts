import { ApiError } from "../core/errors.ts";
import type { PaymentIntentStatus } from "../db/schema.ts";

export const STATUSES: readonly PaymentIntentStatus[] = [
  "requires_payment_method",
  "requires_confirmation",
  "requires_action",
  "processing",
  "requires_capture",
  "succeeded",
  "canceled",
];

/** What a caller (or the provider) may do, and from which statuses. */
export type Action =
  | "update"
  | "confirm"
  | "capture"
  | "cancel"
  | "provider_outcome"
  | "expire_authorization";

export const ACTIONS: Readonly<Record<Action, readonly PaymentIntentStatus[]>> = {
  update: ["requires_payment_method", "requires_confirmation"],
  confirm: ["requires_payment_method", "requires_confirmation"],
  capture: ["requires_capture"],
  cancel: ["requires_payment_method", "requires_confirmation", "requires_action", "requires_capture"],
  provider_outcome: ["processing", "requires_action"],
  expire_authorization: ["requires_capture"],
};

/** Every status change the system may make. Anything else is a bug and is refused. */
export const TRANSITIONS: ReadonlyArray<readonly [PaymentIntentStatus, PaymentIntentStatus]> = [
  ["requires_payment_method", "requires_confirmation"],
  ["requires_payment_method", "processing"],
  ["requires_payment_method", "canceled"],
  ["requires_confirmation", "processing"],
  ["requires_confirmation", "requires_payment_method"],
  ["requires_confirmation", "canceled"],
  ["processing", "requires_action"],
  ["processing", "requires_capture"],
  ["processing", "succeeded"],
  ["processing", "requires_payment_method"],
  // A non-card payment whose provider order expired before the outcome of its start was known.
  ["processing", "canceled"],
  ["requires_action", "processing"],
  ["requires_action", "requires_capture"],
  ["requires_action", "succeeded"],
  ["requires_action", "requires_payment_method"],
  ["requires_action", "canceled"],
  ["requires_capture", "succeeded"],
  ["requires_capture", "canceled"],
];

const edges = new Set(TRANSITIONS.map(([from, to]) => `${from}>${to}`));

export function isAllowedTransition(from: PaymentIntentStatus, to: PaymentIntentStatus): boolean {
  return from === to || edges.has(`${from}>${to}`);
}

const VERBS: Record<Action, string> = {
  update: "update",
  confirm: "confirm",
  capture: "capture",
  cancel: "cancel",
  provider_outcome: "complete",
  expire_authorization: "expire",
};

/** Throws the API's 400 naming the current status when `action` is not allowed from it. */
export function assertAction(action: Action, status: PaymentIntentStatus): void {
  if (ACTIONS[action].includes(status)) return;
  throw new ApiError(400, {
    type: "invalid_request_error",
    code: "payment_intent_unexpected_state",
    message: `You cannot ${VERBS[action]} this PaymentIntent because it has a status of ${status}.${
      action === "confirm" || action === "update" ? "" : ` Allowed statuses: ${ACTIONS[action].join(", ")}.`
    }`,
  });
}

export function assertTransition(from: PaymentIntentStatus, to: PaymentIntentStatus): void {
  if (!isAllowedTransition(from, to)) throw new Error(`illegal payment intent transition ${from} -> ${to}`);
}

/** Whether the table leads from one status to another in any number of steps (what an observer sees). */
export function isReachable(from: PaymentIntentStatus, to: PaymentIntentStatus): boolean {
  const seen = new Set<PaymentIntentStatus>([from]);
  const queue = [from];
  while (queue.length > 0) {
    const at = queue.shift() as PaymentIntentStatus;
    if (at === to) return true;
    for (const [f, t] of TRANSITIONS) {
      if (f === at && !seen.has(t)) {
        seen.add(t);
        queue.push(t);
      }
    }
  }
  return false;
}
