/**
 * Stripe sends events only to registered endpoints. An account without a webhook secret gets one
 * endpoint, registered before its first payment: once per process per account (concurrent first
 * payments share one attempt), and with an idempotency key derived from the account and URL, so two
 * processes registering at the same time get the same endpoint and the same secret back.
 */
import { createHash } from "node:crypto";
import type { CallContext } from "../contract.ts";
import { attempt, type StripeConnection } from "./calls.ts";
import { stripeConfigSchema } from "./config.ts";
import { STRIPE_WEBHOOK_EVENTS } from "./events.ts";

export interface WebhookRegistrar {
  /** Resolves once registered, or once this attempt failed; a payment never fails for want of webhooks. */
  ensure(call: CallContext, c: StripeConnection): Promise<void>;
}

const webhookSecretSchema = stripeConfigSchema.shape.webhook_secret.unwrap();

function registrationKey(call: CallContext, secretKey: string): string {
  return createHash("sha256")
    .update(`${call.account.id}\n${secretKey}\n${call.notificationUrl}`)
    .digest("hex")
    .slice(0, 32);
}

export function createWebhookRegistrar(): WebhookRegistrar {
  /** Registrations done, or in flight, in this process. A failure that may be transient is forgotten. */
  const attempts = new Map<string, Promise<void>>();

  async function register(call: CallContext, c: StripeConnection, key: string): Promise<boolean> {
    const created = await attempt(c, (stripe, options) =>
      stripe.webhookEndpoints.create(
        {
          url: call.notificationUrl,
          enabled_events: [...STRIPE_WEBHOOK_EVENTS],
          metadata: { payrail_connector_account: call.account.id },
        },
        { ...options, idempotencyKey: `payrail_webhook_endpoint_${key}` },
      ),
    );
    // Stripe refused (say, a URL it cannot reach): asking again from this process would not help.
    if (!created.ok) return created.failure.kind !== "unknown";
    const secret = webhookSecretSchema.safeParse((created.value as { secret?: unknown }).secret);
    if (!secret.success) return true;
    await call.saveConfig?.({ webhook_secret: secret.data });
    return true;
  }

  return {
    async ensure(call, c) {
      const config = stripeConfigSchema.parse(call.account.config);
      if (config.webhook_secret || !call.saveConfig || !call.notificationUrl) return;
      const key = registrationKey(call, config.secret_key);
      const running = attempts.get(key);
      if (running) return running;
      const registration = register(call, c, key).then(
        (settled) => {
          if (!settled) attempts.delete(key);
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
