/**
 * Notifications: the Wechatpay-* signature checked on the exact raw bytes first, then the resource
 * decrypted (AEAD_AES_256_GCM under the API v3 key) and mapped. TRANSACTION.SUCCESS is a payment,
 * REFUND.* a refund; anything else is stored as unknown.
 */
import type { ConnectorAccount, InboundWebhook, WebhookEvent, WebhookVerification } from "../contract.ts";
import { wechatPayConfigSchema } from "./config.ts";
import { aesGcmDecrypt } from "./crypto.ts";
import { type AccountKeys, accountKeys } from "./keys.ts";
import { headerReader, verifyWechatpaySignature } from "./signatures.ts";
import { refundToRefundStatus, transactionToPaymentStatus } from "./transformers.ts";
import { parseNotification, parseRefund, parseTransaction, type WechatNotification } from "./wire.ts";

const RESOURCE_ALGORITHM = "AEAD_AES_256_GCM";

type Failure = { ok: false; reason: string };

function decryptResource(
  notification: WechatNotification,
  apiV3Key: string,
): { ok: true; resource: unknown } | Failure {
  const resource = notification.resource;
  if (!resource) return { ok: false, reason: "missing_resource" };
  if (resource.algorithm !== RESOURCE_ALGORITHM) return { ok: false, reason: "unsupported_algorithm" };
  let plaintext: string;
  try {
    plaintext = aesGcmDecrypt(apiV3Key, resource.nonce, resource.associatedData, resource.ciphertext);
  } catch {
    return { ok: false, reason: "resource_decryption_failed" };
  }
  try {
    return { ok: true, resource: JSON.parse(plaintext) as unknown };
  } catch {
    return { ok: false, reason: "malformed_resource" };
  }
}

function mchidOf(resource: unknown): unknown {
  return typeof resource === "object" && resource !== null
    ? (resource as { mchid?: unknown }).mchid
    : undefined;
}

function mapNotification(
  notification: WechatNotification,
  resource: unknown,
  mchid: string,
): WebhookVerification {
  // A resource for another merchant decrypted with our key means a shared key: never act on it.
  if (mchidOf(resource) !== undefined && mchidOf(resource) !== mchid)
    return { ok: false, reason: "mchid_mismatch" };
  let event: WebhookEvent | null = null;
  if (notification.eventType === "TRANSACTION.SUCCESS") {
    const transaction = parseTransaction(resource);
    if (transaction) {
      event = {
        kind: "payment",
        providerEventId: notification.id,
        reference: transaction.outTradeNo,
        connectorReference: transaction.transactionId ?? transaction.outTradeNo,
        status: transactionToPaymentStatus(transaction),
      };
    }
  } else {
    const refund = parseRefund(resource);
    if (refund) {
      event = {
        kind: "refund",
        providerEventId: notification.id,
        reference: refund.outRefundNo,
        connectorReference: refund.refundId,
        status: refundToRefundStatus(refund),
      };
    }
  }
  return event ? { ok: true, event } : { ok: false, reason: "malformed_resource" };
}

function isMapped(eventType: string): boolean {
  return eventType === "TRANSACTION.SUCCESS" || eventType.startsWith("REFUND.");
}

export function verifyWechatPayWebhook(
  account: ConnectorAccount,
  webhook: InboundWebhook,
  now: Date,
): WebhookVerification {
  const config = wechatPayConfigSchema.safeParse(account.config);
  if (!config.success) return { ok: false, reason: "account_config_invalid" };
  let keys: AccountKeys;
  try {
    keys = accountKeys(config.data);
  } catch {
    return { ok: false, reason: "account_config_invalid" };
  }
  const signature = verifyWechatpaySignature(keys, headerReader(webhook.headers), webhook.rawBody, now);
  if (!signature.ok) return signature;

  let body: unknown;
  try {
    body = JSON.parse(webhook.rawBody.toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed_json" };
  }
  const notification = parseNotification(body);
  if (!notification) return { ok: false, reason: "malformed_notification" };
  if (!isMapped(notification.eventType)) {
    return {
      ok: true,
      event: { kind: "unknown", providerEventId: notification.id, providerType: notification.eventType },
    };
  }
  const decrypted = decryptResource(notification, config.data.api_v3_key);
  if (!decrypted.ok) return decrypted;
  return mapNotification(notification, decrypted.resource, config.data.mchid);
}
