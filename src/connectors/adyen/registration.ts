/**
 * Registers Payrail's notification URL as a standard webhook on the merchant account (Management API
 * v3) and stores the HMAC key Adyen generates for it, the first time an account without one is used.
 * Once per process per account: concurrent first payments share one registration. A failure never
 * blocks the payment; the next payment tries again. Two processes may both register on their first
 * payment; the later key wins and the earlier webhook is left unused.
 */
import { z } from "zod";
import type { CallContext } from "../contract.ts";
import { type AdyenAnswer, type AdyenConnection, adyenClient } from "./client.ts";
import type { AdyenConfig } from "./config.ts";

const createdSchema = z.object({ id: z.string().min(1).max(128) });
const hmacSchema = z.object({ hmacKey: z.string().regex(/^[0-9A-Fa-f]{64}$/) });

function body<T>(answer: AdyenAnswer, schema: z.ZodType<T>, step: string): T {
  if (answer.kind === "unknown") throw new Error(`adyen webhook registration: ${step}: ${answer.reason}`);
  const parsed = answer.status < 300 ? schema.safeParse(answer.body) : undefined;
  if (!parsed?.success) throw new Error(`adyen webhook registration: ${step}: HTTP ${answer.status}`);
  return parsed.data;
}

export function createWebhookRegistrar(onError: (error: unknown) => void) {
  const done = new Map<string, Promise<boolean>>();

  async function register(call: CallContext, c: AdyenConnection, config: AdyenConfig): Promise<boolean> {
    const save = call.saveConfig!;
    let webhookId = config.webhook_id;
    if (!webhookId) {
      const created = await adyenClient.createWebhook(c, config.merchant_account, {
        type: "standard",
        url: call.notificationUrl,
        active: true,
        communicationFormat: "json",
      });
      webhookId = body(created, createdSchema, "create").id;
      // Kept at once, so a failure below only has to generate the key next time.
      await save({ webhook_id: webhookId });
    }
    const generated = await adyenClient.generateHmac(c, config.merchant_account, webhookId);
    await save({ hmac_key: body(generated, hmacSchema, "generateHmac").hmacKey, webhook_id: webhookId });
    return true;
  }

  return async function ensureWebhook(
    call: CallContext,
    c: AdyenConnection,
    config: AdyenConfig,
  ): Promise<void> {
    if (config.hmac_key || !call.saveConfig || !call.notificationUrl) return;
    const key = `${call.account.id}\u0000${config.merchant_account}`;
    let running = done.get(key);
    if (!running) {
      running = register(call, c, config).catch((error: unknown) => {
        done.delete(key);
        onError(error);
        return false;
      });
      done.set(key, running);
    }
    await running;
  };
}
