/**
 * Crypto payments through BTCPay Server (Greenfield API v1): a payment is an invoice in the merchant's
 * currency, paid on BTCPay's checkout page; a refund is a pull payment the shopper claims. Crypto is off
 * for an account until it names the countries it may serve (`allowed_countries`).
 */
import type {
  AuthorizeResult,
  CallContext,
  Connector,
  LocalPaymentRequest,
  ModifyResult,
  PaymentStatus,
  RefundStatus,
  ShopperChannel,
  SyncRequest,
} from "../contract.ts";
import { type BtcpayConnection, btcpayClient } from "./client.ts";
import { closeInvoice } from "./close.ts";
import { type BtcpayConfig, btcpayConfigSchema, btcpaySecretFields, newTestAccountConfig } from "./config.ts";
import { refusesShopper } from "./countries.ts";
import { findInvoice, findInvoiceByReference, findRefundByReference, unexpectedAnswer } from "./lookup.ts";
import { createWebhookRegistrar } from "./registration.ts";
import { invoiceRequest, refundRequest } from "./requests.ts";
import {
  invoiceToPaymentStatus,
  invoiceToStartResult,
  pullPaymentToRefundResult,
  pullPaymentToRefundStatus,
} from "./transformers.ts";
import { verifyBtcpayWebhook } from "./webhooks.ts";
import {
  invoiceSchema,
  parseList,
  parseOne,
  payoutSchema,
  problemCode,
  problemMessage,
  pullPaymentSchema,
  type WirePullPayment,
} from "./wire.ts";

export { type BtcpayConfig, btcpayConfigSchema, btcpaySecretFields } from "./config.ts";
export { downloadInvoiceExport, type InvoiceExportRow, parseInvoiceExport } from "./report.ts";

/** BTCPay's checkout page works in any browser, and its QR code is scanned from any wallet. */
const CHANNELS: ReadonlySet<ShopperChannel> = new Set(["web", "mobile_web", "qr", "app"]);

function connectionOf(config: BtcpayConfig, defaultBaseUrl: string, timeoutMs: number): BtcpayConnection {
  return {
    baseUrl: (config.base_url ?? defaultBaseUrl).replace(/\/+$/, ""),
    apiKey: config.api_key,
    storeId: config.store_id,
    timeoutMs,
  };
}

/** A connection to an account's store, for calls outside a payment (the invoice export). */
export function btcpayConnection(
  config: Record<string, unknown>,
  defaultBaseUrl: string,
  timeoutMs: number,
): BtcpayConnection {
  return connectionOf(btcpayConfigSchema.parse(config), defaultBaseUrl, timeoutMs);
}

function refundFailureReason(status: number, code: string | undefined): string {
  if (status === 404) return "not_found";
  if (code === "non-refundable") return "not_refundable";
  return code ?? "refused";
}

const notSupported: ModifyResult = {
  outcome: "failed",
  reason: "not_supported",
  providerMessage: "BTCPay invoices are settled when paid: there is nothing to capture or void",
};

function refusedStart(
  request: LocalPaymentRequest,
  account: CallContext["account"],
): AuthorizeResult | undefined {
  const declined = (providerMessage: string): AuthorizeResult => ({
    outcome: "declined",
    declineCode: "generic_decline",
    providerMessage,
  });
  if (request.method !== "crypto") return declined(`BTCPay takes crypto, not ${request.method}`);
  if (!CHANNELS.has(request.channel)) return declined(`BTCPay has no ${request.channel} checkout`);
  const refusal = refusesShopper(account, request.shopper);
  return refusal ? declined(refusal) : undefined;
}

export function createBtcpayConnector(options: {
  baseUrl: () => string;
  /** The clock that turns an expiry time into BTCPay's expirationMinutes (tests move it with the simulator's). */
  now?: () => Date;
}): Connector {
  const now = options.now ?? (() => new Date());
  const ensureWebhook = createWebhookRegistrar();
  /** Starts in flight per account and reference: a concurrent retry waits rather than making a second invoice. */
  const starting = new Map<string, Promise<AuthorizeResult>>();

  function connect(call: CallContext): { c: BtcpayConnection; config: BtcpayConfig } {
    const config = btcpayConfigSchema.parse(call.account.config);
    return { c: connectionOf(config, options.baseUrl(), call.timeoutMs), config };
  }

  async function createOrReuseInvoice(
    c: BtcpayConnection,
    request: LocalPaymentRequest,
    body: Record<string, unknown>,
  ): Promise<AuthorizeResult> {
    // BTCPay has no idempotency key: the invoice our reference already made, if any, is the answer.
    const existing = await findInvoiceByReference(c, request.reference);
    if (existing.kind === "unknown") return { outcome: "pending", reason: existing.reason };
    if (existing.kind === "found") return invoiceToStartResult(existing.object);
    // BTCPay refused even to list (a revoked key, a missing permission): nothing was made.
    if (existing.kind === "refused") {
      return {
        outcome: "declined",
        declineCode: "processing_error",
        providerMessage: existing.error.message,
      };
    }

    const created = await btcpayClient.createInvoice(c, body);
    if (created.kind === "unknown") return { outcome: "pending", reason: created.reason };
    if (created.status === 200) {
      const invoice = parseOne(invoiceSchema, created.body);
      return invoice ? invoiceToStartResult(invoice) : { outcome: "pending", reason: "malformed_response" };
    }
    const message = problemMessage(created.body) ?? `BTCPay answered HTTP ${created.status}`;
    const currencyRefused = problemCode(created.body) === "generic-error" && /currency/i.test(message);
    return {
      outcome: "declined",
      declineCode: currencyRefused ? "currency_not_supported" : "processing_error",
      providerMessage: message,
    };
  }

  async function pullPaymentStatus(c: BtcpayConnection, pullPayment: WirePullPayment): Promise<RefundStatus> {
    const payouts = await btcpayClient.getPullPaymentPayouts(c, pullPayment.id);
    if (payouts.kind === "unknown") return { status: "pending", connectorReference: pullPayment.id };
    const list = payouts.status === 200 ? parseList(payoutSchema, payouts.body) : undefined;
    return pullPaymentToRefundStatus(pullPayment, list);
  }

  async function sync(call: CallContext, request: SyncRequest): Promise<PaymentStatus> {
    const { c } = connect(call);
    const found = await findInvoice(c, request);
    if (found.kind === "unknown")
      return { status: "pending", connectorReference: request.connectorReference ?? undefined };
    if (found.kind === "none") return { status: "not_found" };
    return invoiceToPaymentStatus(found.object);
  }

  return {
    id: "btcpay",
    displayName: "Crypto (BTCPay Server)",
    configSchema: btcpayConfigSchema,
    secretFields: btcpaySecretFields,
    // BTCPay takes any 2xx; this is Payrail's default answer, stated.
    webhookAcknowledgement: { contentType: "application/json", body: '{"received":true}' },
    capabilities: {
      paymentMethods: ["crypto"],
      // Invoices are in the merchant's fiat currency; BTCPay converts at its own rate.
      currencies: "*",
      manualCapture: false,
      partialCapture: false,
      multipleCaptures: false,
      refunds: true,
      webhooks: true,
    },

    async authorize() {
      return {
        outcome: "declined",
        declineCode: "card_not_supported",
        providerMessage: "BTCPay does not take cards",
      };
    },

    refusesShopper,

    async startPayment(call, request) {
      const refused = refusedStart(request, call.account);
      if (refused) return refused;
      const { c, config } = connect(call);
      const body = invoiceRequest(request, config, now());
      if (!body) {
        return {
          outcome: "declined",
          declineCode: "currency_not_supported",
          providerMessage: `${request.currency} has no ISO 4217 exponent`,
        };
      }
      await ensureWebhook(call, c, config);
      const key = `${call.account.id}\u0000${request.reference}`;
      const running = starting.get(key);
      if (running) return running;
      const start = createOrReuseInvoice(c, request, body).finally(() => starting.delete(key));
      starting.set(key, start);
      return start;
    },

    async completeRedirect(call, request) {
      // The return URL carries nothing BTCPay signed: what the invoice says now is the answer.
      const status = await sync(call, request);
      if (status.status === "authorized") {
        return {
          outcome: "authorized",
          connectorReference: status.connectorReference,
          amount: status.amount,
          currency: status.currency,
          captured: true,
        };
      }
      return {
        outcome: "pending",
        connectorReference: request.connectorReference,
        reason: `invoice_${status.status}`,
      };
    },

    sync,

    async closePayment(call, request) {
      const { c } = connect(call);
      const found = await findInvoice(c, request);
      if (found.kind === "unknown") {
        return {
          outcome: "pending",
          connectorReference: request.connectorReference ?? undefined,
          reason: found.reason,
        };
      }
      if (found.kind === "none") {
        // Never made: nothing can be paid under this reference.
        return {
          outcome: "succeeded",
          connectorReference: request.connectorReference ?? "",
          amount: 0n,
          currency: "",
        };
      }
      return closeInvoice(c, found.object);
    },

    async capture() {
      return notSupported;
    },

    async void() {
      return notSupported;
    },

    async refund(call, request) {
      const body = refundRequest(request);
      if (!body) return { outcome: "failed", reason: "currency_not_supported" };
      const { c } = connect(call);
      // No idempotency key here either: a pull payment already named after our reference is the refund.
      const existing = await findRefundByReference(c, request.reference);
      if (existing.kind === "unknown") return { outcome: "pending", reason: existing.reason };
      if (existing.kind === "found") return pullPaymentToRefundResult(existing.object);

      const answer = await btcpayClient.refundInvoice(c, request.connectorReference, body);
      if (answer.kind === "unknown") return { outcome: "pending", reason: answer.reason };
      if (answer.status === 200) {
        const pullPayment = parseOne(pullPaymentSchema, answer.body);
        return pullPayment
          ? pullPaymentToRefundResult(pullPayment)
          : { outcome: "pending", reason: "malformed_response" };
      }
      return {
        outcome: "failed",
        reason: refundFailureReason(answer.status, problemCode(answer.body)),
        providerMessage: problemMessage(answer.body) ?? `BTCPay answered HTTP ${answer.status}`,
      };
    },

    async syncRefund(call, request): Promise<RefundStatus> {
      const { c } = connect(call);
      const known = request.connectorReference ?? undefined;
      if (!known) {
        const found = await findRefundByReference(c, request.reference);
        if (found.kind === "none") return { status: "not_found" };
        if (found.kind !== "found") return { status: "pending" };
        return pullPaymentStatus(c, found.object);
      }
      const answer = await btcpayClient.getPullPayment(c, known);
      if (answer.kind === "unknown") return { status: "pending", connectorReference: known };
      if (answer.status === 404) return { status: "not_found" };
      if (answer.status !== 200) throw unexpectedAnswer("pull payment read", answer);
      const pullPayment = parseOne(pullPaymentSchema, answer.body);
      if (!pullPayment) return { status: "pending", connectorReference: known };
      return pullPaymentStatus(c, pullPayment);
    },

    async verifyWebhook(account, webhook) {
      try {
        return verifyBtcpayWebhook(account, webhook);
      } catch {
        return { ok: false, reason: "verification_error" };
      }
    },

    defaultTestAccountConfig: newTestAccountConfig,
  };
}
