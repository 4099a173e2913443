/**
 * The Alipay (China) connector: OpenAPI v1 gateway (`/gateway.do`, RSA2) through a thin fetch client.
 * Desktop and mobile browsers are sent to Alipay's cashier (page.pay / wap.pay), the merchant's app gets
 * a signed order string (app.pay), and a QR code comes from precreate. Alipay captures at payment, so
 * there is no capture or void; an unpaid order is closed with trade.close or lapses at its time_expire.
 */
import type {
  AuthorizeResult,
  CallContext,
  Connector,
  Declined,
  LocalPaymentRequest,
  ModifyResult,
  PaymentStatus,
  RefundStatus,
} from "../contract.ts";
import { ALIPAY_CURRENCY, toYuan } from "./amounts.ts";
import { type AlipayConnection, type CommonExtras, callGateway, orderString, pageUrl } from "./client.ts";
import { alipayConfigSchema, alipaySecretFields, gatewayUrl, keysOf } from "./config.ts";
import { alipayAppLink, CHANNEL_METHODS, type ChannelMethod, orderBiz, tradeSelector } from "./requests.ts";
import type { GatewayAnswer } from "./response.ts";
import {
  orderRefusalToDecline,
  paymentStatusToAuthorizeResult,
  refundQueryToRefundStatus,
  refundRefusalReason,
  refusalMessage,
  tradeQueryToPaymentStatus,
} from "./transformers.ts";
import { verifyAlipayWebhook } from "./webhooks.ts";

export { type BillUrlResult, billDownloadUrl, downloadBill } from "./bill.ts";
export { type AlipayConfig, alipayConfigSchema, alipaySecretFields } from "./config.ts";

type Refused = GatewayAnswer & { kind: "refused" };

function unexpected(operation: string, refusal: Refused): Error {
  return new Error(`alipay ${operation}: unexpected refusal ${refusalMessage(refusal)}`);
}

function declined(declineCode: Declined["declineCode"], providerMessage: string): Declined {
  return { outcome: "declined", declineCode, providerMessage };
}

/** Refusals Payrail can give before asking Alipay: what Alipay (China) cannot take at all. */
function unsupported(request: LocalPaymentRequest): Declined | undefined {
  if (request.method !== "alipay") {
    return declined("card_not_supported", `Alipay does not take ${request.method} payments`);
  }
  if (request.currency.toLowerCase() !== ALIPAY_CURRENCY) {
    return declined("currency_not_supported", "Alipay (China) takes CNY only");
  }
  if (request.amount < 1n) return declined("processing_error", "Alipay needs an amount of at least 0.01 CNY");
  if (!CHANNEL_METHODS[request.channel]) {
    return declined(
      "card_not_supported",
      "Alipay has no in_app channel here (payments inside the Alipay app or a mini-program): use web, mobile_web, app or qr",
    );
  }
  return undefined;
}

export function createAlipayConnector(options: { baseUrl: () => string }): Connector {
  function connect(call: CallContext): AlipayConnection {
    const config = alipayConfigSchema.parse(call.account.config);
    return {
      gateway: gatewayUrl(config.base_url ?? options.baseUrl()),
      appId: config.app_id,
      keys: keysOf(config),
      timeoutMs: call.timeoutMs,
    };
  }

  async function queryTrade(c: AlipayConnection, reference: string): Promise<PaymentStatus | Refused> {
    const answer = await callGateway(c, "alipay.trade.query", { out_trade_no: reference });
    if (answer.kind === "unknown") return { status: "pending" };
    if (answer.kind === "refused") {
      // Also an order the shopper has not reached yet: Alipay makes it a trade only then.
      return answer.subCode === "ACQ.TRADE_NOT_EXIST" ? { status: "not_found" } : answer;
    }
    return tradeQueryToPaymentStatus(reference, answer.body);
  }

  async function lookupRefund(
    c: AlipayConnection,
    reference: string,
    tradeReference: string,
  ): Promise<RefundStatus | Refused> {
    const answer = await callGateway(c, "alipay.trade.fastpay.refund.query", {
      ...tradeSelector(tradeReference),
      out_request_no: reference,
    });
    if (answer.kind === "unknown") return { status: "pending", connectorReference: tradeReference };
    if (answer.kind === "refused") {
      return answer.subCode === "ACQ.TRADE_NOT_EXIST" ? { status: "not_found" } : answer;
    }
    return refundQueryToRefundStatus(reference, tradeReference, answer.body);
  }

  /** precreate answers the same QR code again for the same out_trade_no while the order is unpaid. */
  async function precreate(
    c: AlipayConnection,
    request: LocalPaymentRequest,
    channel: ChannelMethod,
    extras: CommonExtras,
  ): Promise<AuthorizeResult> {
    const answer = await callGateway(c, channel.method, orderBiz(request, channel), extras);
    if (answer.kind === "unknown") return { outcome: "pending", reason: answer.reason };
    if (answer.kind === "refused") {
      if (answer.subCode !== "ACQ.TRADE_HAS_SUCCESS") return orderRefusalToDecline(answer);
      const paid = await queryTrade(c, request.reference);
      return "kind" in paid
        ? { outcome: "pending", reason: "alipay_trade_paid" }
        : paymentStatusToAuthorizeResult(paid);
    }
    const qrCode = answer.body.qr_code;
    if (typeof qrCode !== "string" || qrCode === "")
      return { outcome: "pending", reason: "malformed_response" };
    return {
      outcome: "requires_action",
      connectorReference: request.reference,
      action: { type: "display_qr_code", data: qrCode, mobile_url: alipayAppLink(qrCode) },
    };
  }

  /** After trade.close said the trade is not waiting: closed already (fine) or paid (not closable). */
  async function closeOutcome(
    c: AlipayConnection,
    reference: string,
    refusal: Refused,
  ): Promise<ModifyResult> {
    const current = await queryTrade(c, reference);
    if ("kind" in current) return { outcome: "pending", reason: current.subCode || current.code };
    switch (current.status) {
      case "expired":
      case "not_found":
        return closed(current.status === "expired" ? current.connectorReference : undefined, reference);
      case "authorized":
      case "requires_review":
        return { outcome: "failed", reason: "already_paid", providerMessage: refusalMessage(refusal) };
      default:
        return { outcome: "pending", reason: "alipay_trade_status_unclear" };
    }
  }

  return {
    id: "alipay",
    displayName: "Alipay",
    configSchema: alipayConfigSchema,
    secretFields: alipaySecretFields,
    capabilities: {
      paymentMethods: ["alipay"],
      currencies: [ALIPAY_CURRENCY],
      manualCapture: false,
      partialCapture: false,
      multipleCaptures: false,
      refunds: true,
      webhooks: true,
    },
    webhookAcknowledgement: { contentType: "text/plain; charset=utf-8", body: "success" },

    async authorize() {
      return declined("card_not_supported", "Alipay does not take cards");
    },

    async startPayment(call, request) {
      const refusal = unsupported(request);
      if (refusal) return refusal;
      const channel = CHANNEL_METHODS[request.channel]!;
      const c = connect(call);
      const biz = orderBiz(request, channel);
      const notify: CommonExtras = { notify_url: call.notificationUrl };
      const connectorReference = request.reference;
      switch (request.channel) {
        case "web":
        case "mobile_web": {
          const url = pageUrl(c, channel.method, biz, { ...notify, return_url: request.returnUrl });
          return { outcome: "requires_action", connectorReference, action: { type: "redirect_to_url", url } };
        }
        case "app": {
          const order = orderString(c, channel.method, biz, notify);
          return {
            outcome: "requires_action",
            connectorReference,
            action: { type: "alipay_app", order_string: order },
          };
        }
        default:
          return precreate(c, request, channel, notify);
      }
    },

    // The return parameters only tell that the shopper came back; Alipay's own answer decides.
    async completeRedirect(call, request) {
      const status = await queryTrade(connect(call), request.reference);
      if ("kind" in status) return { outcome: "pending", reason: status.subCode || status.code };
      return paymentStatusToAuthorizeResult(status);
    },

    async capture() {
      return { outcome: "failed", reason: "not_supported" };
    },

    async void() {
      return { outcome: "failed", reason: "not_supported" };
    },

    async closePayment(call, request) {
      const c = connect(call);
      const answer = await callGateway(c, "alipay.trade.close", { out_trade_no: request.reference });
      if (answer.kind === "unknown") return { outcome: "pending", reason: answer.reason };
      if (answer.kind === "success") {
        const tradeNo = answer.body.trade_no;
        return closed(typeof tradeNo === "string" ? tradeNo : undefined, request.reference);
      }
      if (answer.subCode === "ACQ.TRADE_NOT_EXIST" || answer.subCode === "ACQ.TRADE_HAS_CLOSE") {
        return closed(undefined, request.reference);
      }
      if (answer.subCode === "ACQ.TRADE_STATUS_ERROR") return closeOutcome(c, request.reference, answer);
      return {
        outcome: "failed",
        reason: answer.subCode || answer.code,
        providerMessage: refusalMessage(answer),
      };
    },

    async refund(call, request) {
      if (request.currency.toLowerCase() !== ALIPAY_CURRENCY) {
        return { outcome: "failed", reason: "currency_not_supported" };
      }
      if (request.amount < 1n) return { outcome: "failed", reason: "invalid_amount" };
      const c = connect(call);
      const trade = request.connectorReference;
      // out_request_no makes the refund idempotent: a repeat answers the first refund and moves no money.
      const answer = await callGateway(c, "alipay.trade.refund", {
        ...tradeSelector(trade),
        refund_amount: toYuan(request.amount),
        out_request_no: request.reference,
      });
      if (answer.kind === "unknown")
        return { outcome: "pending", connectorReference: trade, reason: answer.reason };
      if (answer.kind === "refused") {
        return {
          outcome: "failed",
          reason: refundRefusalReason(answer.subCode, answer.code),
          providerMessage: refusalMessage(answer),
        };
      }
      // The answer gives cumulative figures; this refund's own amount comes from the refund query.
      const tradeNo = typeof answer.body.trade_no === "string" ? answer.body.trade_no : trade;
      const status = await lookupRefund(c, request.reference, tradeNo);
      if ("kind" in status || status.status !== "succeeded") {
        return { outcome: "pending", connectorReference: tradeNo, reason: "alipay_refund_unconfirmed" };
      }
      return {
        outcome: "succeeded",
        connectorReference: status.connectorReference,
        amount: status.amount,
        currency: status.currency,
      };
    },

    async sync(call, request) {
      const status = await queryTrade(connect(call), request.reference);
      if ("kind" in status) throw unexpected("trade.query", status);
      if (status.status === "pending" && !status.connectorReference && request.connectorReference) {
        return { status: "pending", connectorReference: request.connectorReference };
      }
      return status;
    },

    async syncRefund(call, request) {
      // An Alipay refund is found by its trade and our out_request_no; without the trade there is no asking.
      const trade = request.connectorReference;
      if (!trade) return { status: "pending" };
      const status = await lookupRefund(connect(call), request.reference, trade);
      if ("kind" in status) throw unexpected("trade.fastpay.refund.query", status);
      return status;
    },

    async verifyWebhook(account, webhook) {
      try {
        return verifyAlipayWebhook(account, webhook);
      } catch {
        return { ok: false, reason: "verification_error" };
      }
    },

    // Test accounts need their app key registered at the simulator: simulated.ts makes them.
    defaultTestAccountConfig: () => undefined,
  };
}

/** trade.close moves no money: the amount it confirms is zero. */
function closed(tradeNo: string | undefined, reference: string): ModifyResult {
  return {
    outcome: "succeeded",
    connectorReference: tradeNo ?? reference,
    amount: 0n,
    currency: ALIPAY_CURRENCY,
  };
}
