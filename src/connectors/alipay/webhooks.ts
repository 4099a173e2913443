/**
 * Alipay's asynchronous notifications: a form POST signed RSA2 with Alipay's key over its parameters
 * (less `sign` and `sign_type`). The signature is checked on the parameters exactly as received, then
 * the app (and seller, when configured) must be this account's, then the body is mapped.
 */
import type { ConnectorAccount, InboundWebhook, WebhookEvent, WebhookVerification } from "../contract.ts";
import { alipayConfigSchema, alipayPublicKeyOf } from "./config.ts";
import { decodeForm } from "./form.ts";
import { verifyAlipayParams } from "./signing.ts";
import { tradeFactsToPaymentStatus } from "./transformers.ts";

const MAX_BODY_BYTES = 64 * 1024;

/** Maps verified notification parameters; null when a trade notification lacks what it must carry. */
export function notificationToEvent(params: Readonly<Record<string, string>>): WebhookEvent | null {
  const providerEventId = params.notify_id;
  if (!providerEventId) return null;
  const notifyType = params.notify_type ?? "";
  if (notifyType !== "trade_status_sync")
    return { kind: "unknown", providerEventId, providerType: notifyType };
  const tradeNo = params.trade_no;
  const reference = params.out_trade_no;
  if (!tradeNo || !reference) return null;
  if (params.out_biz_no) {
    // refund_fee is the trade's cumulative refunded amount, not this refund's: only a query tells that.
    return {
      kind: "refund",
      providerEventId,
      reference: params.out_biz_no,
      connectorReference: tradeNo,
      status: { status: "pending", connectorReference: tradeNo },
    };
  }
  return {
    kind: "payment",
    providerEventId,
    reference,
    connectorReference: tradeNo,
    status: tradeFactsToPaymentStatus({
      tradeNo,
      tradeStatus: params.trade_status,
      totalAmount: params.total_amount,
      paid: Boolean(params.gmt_payment),
    }),
  };
}

export function verifyAlipayWebhook(account: ConnectorAccount, webhook: InboundWebhook): WebhookVerification {
  const config = alipayConfigSchema.safeParse(account.config);
  if (!config.success) return { ok: false, reason: "account_config_invalid" };
  if (webhook.rawBody.length > MAX_BODY_BYTES) return { ok: false, reason: "body_too_large" };
  const params = decodeForm(webhook.rawBody);
  if (!params) return { ok: false, reason: "malformed_body" };
  if (!params.sign) return { ok: false, reason: "missing_signature" };
  if (params.sign_type !== undefined && params.sign_type !== "RSA2") {
    return { ok: false, reason: "unsupported_sign_type" };
  }
  if (!verifyAlipayParams(params, alipayPublicKeyOf(config.data))) {
    return { ok: false, reason: "signature_mismatch" };
  }
  if (params.app_id !== config.data.app_id) return { ok: false, reason: "app_id_mismatch" };
  const sellerId = config.data.seller_id;
  if (sellerId && params.seller_id !== undefined && params.seller_id !== sellerId) {
    return { ok: false, reason: "seller_id_mismatch" };
  }
  const event = notificationToEvent(params);
  if (!event) return { ok: false, reason: "malformed_notification" };
  return { ok: true, event };
}
