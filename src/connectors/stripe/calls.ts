/** One SDK call with the deadline applied and its failure classified, never thrown unless a bug. */
import type Stripe from "stripe";
import { withDeadline } from "./client.ts";
import { classifyStripeError, type StripeFailure } from "./errors.ts";

export interface StripeConnection {
  stripe: Stripe;
  timeoutMs: number;
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; failure: StripeFailure };

export async function attempt<T>(
  c: StripeConnection,
  run: (stripe: Stripe, options: { timeout: number }) => PromiseLike<T>,
): Promise<Attempt<T>> {
  try {
    const value = await withDeadline(c.timeoutMs, (timeout) => Promise.resolve(run(c.stripe, { timeout })));
    return { ok: true, value };
  } catch (error) {
    return { ok: false, failure: classifyStripeError(error) };
  }
}

/** Refusals that say for certain the modification did not and will not happen. */
const DEFINITE_MODIFY_FAILURES = new Set([
  "resource_missing",
  "payment_intent_unexpected_state",
  "amount_too_large",
  "amount_too_small",
  "charge_already_captured",
  "charge_already_refunded",
  "charge_expired_for_capture",
  "charge_disputed",
]);

export function isDefiniteModifyFailure(
  failure: StripeFailure,
): failure is StripeFailure & { kind: "refused" } {
  return (
    failure.kind === "refused" &&
    (failure.status === 404 || (failure.code !== undefined && DEFINITE_MODIFY_FAILURES.has(failure.code)))
  );
}
