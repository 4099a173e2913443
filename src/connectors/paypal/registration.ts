/**
 * PayPal sends events only to a registered webhook, and signs them with its id. An account without a
 * `webhook_id` gets one webhook for Payrail's notification URL before its first payment: once per process
 * per account (concurrent first payments share one attempt). When the URL is registered already (another
 * process did it, or saving the id failed last time) the existing webhook's id is looked up and kept.
 * A failed registration never blocks the payment; one that may be passing is tried again next time.
 */
import type { CallContext } from "../contract.ts";
import { issueOf, type PayPalSession, paypalApi } from "./client.ts";
import { PAYPAL_WEBHOOK_EVENTS } from "./events.ts";
import { parse, webhookListSchema } from "./wire.ts";

export interface WebhookRegistrar {
  ensure(call: CallContext, session: PayPalSession, webhookId: string | undefined): Promise<void>;
}

type Outcome = "saved" | "refused" | "unknown";

async function existingWebhookId(session: PayPalSession, url: string): Promise<string | "unknown" | null> {
  const listed = await paypalApi.listWebhooks(session);
  if (listed.kind === "unknown") return "unknown";
  const list = listed.status === 200 ? parse(webhookListSchema, listed.body) : null;
  return list?.webhooks?.find((webhook) => webhook.url === url)?.id ?? null;
}

async function register(call: CallContext, session: PayPalSession): Promise<Outcome> {
  const created = await paypalApi.createWebhook(session, {
    url: call.notificationUrl,
    event_types: PAYPAL_WEBHOOK_EVENTS.map((name) => ({ name })),
  });
  if (created.kind === "unknown") return "unknown";
  let webhookId: string | null = null;
  if (created.status === 201) {
    const id = (created.body as { id?: unknown } | undefined)?.id;
    webhookId = typeof id === "string" && /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : null;
  } else if (issueOf(created.body) === "WEBHOOK_URL_ALREADY_EXISTS") {
    const existing = await existingWebhookId(session, call.notificationUrl);
    if (existing === "unknown") return "unknown";
    webhookId = existing;
  }
  // PayPal refused (an http:// URL, the limit of 10 webhooks): asking again from here would not help.
  if (!webhookId) return "refused";
  await call.saveConfig?.({ webhook_id: webhookId });
  return "saved";
}

export function createWebhookRegistrar(): WebhookRegistrar {
  const attempts = new Map<string, Promise<void>>();
  return {
    async ensure(call, session, webhookId) {
      if (webhookId || !call.saveConfig || !call.notificationUrl) return;
      const key = `${call.account.id}\n${session.credentials.clientId}\n${call.notificationUrl}`;
      const running = attempts.get(key);
      if (running) return running;
      const registration = register(call, session).then(
        (outcome) => {
          if (outcome === "unknown") attempts.delete(key);
        },
        () => {
          attempts.delete(key);
        },
      );
      attempts.set(key, registration);
      return registration;
    },
  };
}
