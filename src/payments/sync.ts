import type { CallContext, Connector, PaymentStatus } from "../connectors/contract.ts";
import type { PaymentIntentRow } from "../db/schema.ts";
import { applyAuthorizationStatus, callContextFor, type PaymentsDeps } from "./apply.ts";
import { isStoredLocalMethod, localPaymentRequest } from "./local-methods.ts";
import { asPaymentStatus, authorizeReference, EXPIRY_GRACE_MS } from "./outcomes.ts";

/** Statuses that mean the shopper has not paid (yet). */
const UNPAID = new Set<PaymentStatus["status"]>(["pending", "not_found", "requires_action"]);

/**
 * Asks the provider about an intent's latest authorization and applies the answer. A non-card payment
 * whose provider order has expired unpaid is closed at the provider first (so nobody can pay it any
 * more), then canceled with `cancellation_reason: "expired"`.
 */
export async function syncIntent(deps: PaymentsDeps, intent: PaymentIntentRow): Promise<PaymentIntentRow> {
  if (!intent.connector_account_id) return intent;
  const reference = authorizeReference(intent.id, intent.authorize_attempts);
  const call = await callContextFor(deps, intent.connector_account_id);
  const connector = deps.connectors.require(call.account.connector);
  const lookOnly = intent.status !== "processing" && intent.status !== "requires_action";
  const ask = () =>
    connector.sync(call, { reference, connectorReference: intent.connector_transaction_id, lookOnly });
  let status = await ask();
  const now = deps.ctx.clock.now();
  const expired = orderExpired(intent, now);
  // The start call itself may still be on its way until the connector timeout has passed.
  const startGaveUp =
    now.getTime() > (intent.processing_since?.getTime() ?? 0) + deps.ctx.config.PAYRAIL_CONNECTOR_TIMEOUT;
  if (!lookOnly && UNPAID.has(status.status) && expired) {
    status = await closeExpiredOrder(connector, call, intent, reference, ask, status);
  } else if (
    intent.status === "processing" &&
    (status.status === "pending" || status.status === "not_found") &&
    isStoredLocalMethod(intent.payment_method) &&
    connector.startPayment &&
    startGaveUp &&
    !expired
  ) {
    // The start's answer was lost, so the shopper has nothing to pay with. Sending the same order again
    // (same reference, same body) makes the provider answer it as the same order: the QR code or link.
    const restarted = await connector.startPayment(
      call,
      localPaymentRequest(intent, intent.payment_method, {
        reference,
        publicUrl: deps.ctx.publicUrl(),
        expiresAt: intent.action_expires_at ?? deps.ctx.clock.now(),
      }),
    );
    if (restarted.outcome !== "declined") status = asPaymentStatus(restarted, intent);
  }
  return applyAuthorizationStatus(deps, intent, reference, status, { fromConfirm: false });
}

function orderExpired(intent: PaymentIntentRow, now: Date): boolean {
  return Boolean(
    intent.action_expires_at && now.getTime() >= intent.action_expires_at.getTime() + EXPIRY_GRACE_MS,
  );
}

async function closeExpiredOrder(
  connector: Connector,
  call: CallContext,
  intent: PaymentIntentRow,
  reference: string,
  ask: () => Promise<PaymentStatus>,
  unpaid: PaymentStatus,
): Promise<PaymentStatus> {
  const connectorReference = intent.connector_transaction_id ?? undefined;
  // Providers without a close call (PayPal, GrabPay) let an unpaid order lapse on their side.
  if (!connector.closePayment) return { status: "expired", connectorReference };
  const closed = await connector.closePayment(call, { reference, connectorReference });
  if (closed.outcome === "succeeded") return { status: "expired", connectorReference };
  // Refused: the shopper paid in the last moment; the provider's answer now says so.
  if (closed.outcome === "failed") return ask();
  // Unknown: asked again at the next sync.
  return unpaid;
}
