/**
 * Mollie's classic webhook is a form POST of `id=tr_…` with no signature: anyone can send one. So the
 * body is never trusted for what happened; it only names the payment Payrail then reads with `sync`.
 * The same id arrives for every change of the payment (and of its refunds), so the event id is the
 * payment id and the arrival time: each arrival is looked at once, and a replay of the same stored
 * arrival (same `now`) is recognised as a duplicate.
 */
import type { InboundWebhook, WebhookVerification } from "../contract.ts";

const PAYMENT_NOTIFICATION = /^id=(tr_[0-9A-Za-z]{5,64})$/;

export function verifyMollieWebhook(webhook: InboundWebhook, now: Date): WebhookVerification {
  if (!Buffer.isBuffer(webhook.rawBody) || webhook.rawBody.length > 128) {
    return { ok: false, reason: "not_a_payment_notification" };
  }
  const match = PAYMENT_NOTIFICATION.exec(webhook.rawBody.toString("latin1"));
  if (!match?.[1]) return { ok: false, reason: "not_a_payment_notification" };
  const arrival = now instanceof Date ? now.getTime() : Number.NaN;
  if (Number.isNaN(arrival)) return { ok: false, reason: "invalid_arrival_time" };
  const id = match[1];
  return {
    ok: true,
    event: { kind: "payment_lookup", providerEventId: `${id}@${arrival}`, connectorReference: id },
  };
}
