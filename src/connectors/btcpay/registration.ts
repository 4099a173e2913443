/**
 * BTCPay posts events only to a store webhook. An account without a webhook secret gets one, registered
 * before its first payment: once per process per account (concurrent first payments share the attempt).
 * BTCPay shows a webhook's secret only in the answer that creates it, so a webhook already registered
 * at our URL (whose creation answer was lost) is adopted by setting a secret of ours on it. A failure
 * never blocks the payment; when it may be transient, the next payment tries again.
 */
import { randomBytes } from "node:crypto";
import type { CallContext } from "../contract.ts";
import { type BtcpayAnswer, type BtcpayConnection, btcpayClient } from "./client.ts";
import type { BtcpayConfig } from "./config.ts";
import { SUBSCRIBED_EVENTS } from "./webhooks.ts";
import { createdWebhookSchema, parseList, parseOne, webhookSchema } from "./wire.ts";

type Step = { done: true } | { done: false; transient: boolean };

function webhookBody(url: string): Record<string, unknown> {
  return {
    url,
    enabled: true,
    automaticRedelivery: true,
    authorizedEvents: { everything: false, specificEvents: [...SUBSCRIBED_EVENTS] },
  };
}

const failed = (answer: BtcpayAnswer): Step => ({ done: false, transient: answer.kind === "unknown" });

async function register(call: CallContext, c: BtcpayConnection): Promise<Step> {
  const save = call.saveConfig!;
  const listed = await btcpayClient.listWebhooks(c);
  if (listed.kind === "unknown" || listed.status !== 200) return failed(listed);
  const existing = parseList(webhookSchema, listed.body)?.find((w) => w.url === call.notificationUrl);
  if (existing) {
    const secret = randomBytes(32).toString("base64url");
    const updated = await btcpayClient.updateWebhook(c, existing.id, {
      ...webhookBody(call.notificationUrl),
      secret,
    });
    if (updated.kind === "unknown" || updated.status !== 200) return failed(updated);
    await save({ webhook_id: existing.id, webhook_secret: secret });
    return { done: true };
  }
  const created = await btcpayClient.createWebhook(c, webhookBody(call.notificationUrl));
  if (created.kind === "unknown" || created.status !== 200) return failed(created);
  const webhook = parseOne(createdWebhookSchema, created.body);
  if (!webhook?.secret) return { done: false, transient: true };
  await save({ webhook_id: webhook.id, webhook_secret: webhook.secret });
  return { done: true };
}

export function createWebhookRegistrar() {
  /** Registrations done, or in flight, in this process. */
  const attempts = new Map<string, Promise<void>>();

  return async function ensureWebhook(
    call: CallContext,
    c: BtcpayConnection,
    config: BtcpayConfig,
  ): Promise<void> {
    if (config.webhook_secret || !call.saveConfig || !call.notificationUrl) return;
    const key = `${call.account.id}\u0000${config.store_id}\u0000${call.notificationUrl}`;
    let running = attempts.get(key);
    if (!running) {
      running = register(call, c).then(
        (step) => {
          if (!step.done && step.transient) attempts.delete(key);
        },
        () => {
          attempts.delete(key);
        },
      );
      attempts.set(key, running);
    }
    await running;
  };
}
