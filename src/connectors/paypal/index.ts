/**
 * The PayPal connector: Orders v2 for the shopper's approval, Payments v2 for capture, void and refunds,
 * Webhooks v1 for notifications, through a thin fetch client with OAuth 2.0 client credentials. Payrail's
 * handle on a payment is the PayPal order id; see transformers.ts.
 */
import type {
  AuthorizeResult,
  CallContext,
  CloseRequest,
  Connector,
  ConnectorAccount,
  LocalPaymentRequest,
  ModifyResult,
  PaymentStatus,
  SyncRequest,
} from "../contract.ts";
import { fromPayPalMoney, PAYPAL_CURRENCIES, toPayPalMoney } from "./amounts.ts";
import { createCertificateCache } from "./certificates.ts";
import { descriptionOf, issueOf, type PayPalSession, PayPalUnexpectedAnswer, paypalApi } from "./client.ts";
import { type PayPalConfig, paypalConfigSchema, paypalSecretFields, randomCredentials } from "./config.ts";
import { belongsTo, fetchOrder, locateOrder, settleOrder } from "./orders.ts";
import { captureAuthorization, refundCapture, refundStatus, voidAuthorization } from "./payments.ts";
import { createWebhookRegistrar } from "./registration.ts";
import { CANCEL_PARAM, orderRequestBody } from "./requests.ts";
import { createTokenCache } from "./tokens.ts";
import { approvalLinkOf, orderExpiry, statusToAuthorizeResult } from "./transformers.ts";
import { verifyPayPalWebhook } from "./webhooks.ts";
import { orderSchema, parse } from "./wire.ts";

export { type PayPalConfig, paypalConfigSchema, paypalSecretFields } from "./config.ts";
export { PAYPAL_WEBHOOK_EVENTS } from "./events.ts";
export {
  fetchSettlementReport,
  listSettlementReports,
  type SettlementReportFile,
  type SettlementRow,
  settlementRows,
} from "./settlement.ts";

/** PayPal honours an authorization for 29 days. */
const AUTHORIZATION_WINDOW_MS = 29 * 24 * 3600_000;
/** verifyWebhook has no call context: the verify-webhook-signature call gets this long. */
const VERIFY_TIMEOUT_MS = 10_000;
const AWAITING_APPROVAL = new Set(["CREATED", "PAYER_ACTION_REQUIRED"]);

export interface PayPalConnectorOptions {
  baseUrl: () => string;
  /** The clock of the token cache (tests move it past a token's lifetime). */
  now?: () => number;
}

export function defaultTestAccountConfig(random: (size: number) => Buffer): Record<string, unknown> {
  return randomCredentials(random);
}

function declined(
  declineCode: "generic_decline" | "currency_not_supported",
  message: string,
): AuthorizeResult {
  return { outcome: "declined", declineCode, providerMessage: message };
}

/** Why PayPal would not create the order (nothing was created). */
function creationRefusal(answer: { status: number; body: unknown }): AuthorizeResult {
  if (answer.status !== 422) throw new PayPalUnexpectedAnswer("create order", answer.status, answer.body);
  const issue = issueOf(answer.body) ?? "UNPROCESSABLE_ENTITY";
  const description = descriptionOf(answer.body);
  return {
    outcome: "declined",
    declineCode: issue.includes("CURRENCY") ? "currency_not_supported" : "processing_error",
    providerMessage: description ? `${issue}: ${description}` : issue,
  };
}

export function createPayPalConnector(options: PayPalConnectorOptions): Connector {
  const tokens = createTokenCache(options.now);
  const certificates = createCertificateCache();
  const registrar = createWebhookRegistrar();

  function sessionFor(config: PayPalConfig, timeoutMs: number): PayPalSession {
    return {
      credentials: {
        baseUrl: (config.base_url ?? options.baseUrl()).replace(/\/+$/, ""),
        clientId: config.client_id,
        clientSecret: config.client_secret,
      },
      signal: AbortSignal.timeout(timeoutMs),
      tokens,
    };
  }

  function connect(call: CallContext): { config: PayPalConfig; session: PayPalSession } {
    const config = paypalConfigSchema.parse(call.account.config);
    return { config, session: sessionFor(config, call.timeoutMs) };
  }

  async function startPayment(call: CallContext, request: LocalPaymentRequest): Promise<AuthorizeResult> {
    if (request.method !== "paypal")
      return declined("generic_decline", `PayPal does not take ${request.method}`);
    // web, mobile_web, qr and app all open PayPal's approval page; PayPal has no in-app flow of its own.
    if (request.channel === "in_app") return declined("generic_decline", "PayPal has no in_app channel");
    const amount = toPayPalMoney(request.amount, request.currency);
    if (!amount) {
      return declined(
        "currency_not_supported",
        `PayPal does not take ${request.currency.toUpperCase()} or this amount in it (HUF and TWD only in whole units)`,
      );
    }
    const { config, session } = connect(call);
    // Registration gets its own deadline, so a slow one does not eat the payment's.
    await registrar.ensure(call, sessionFor(config, call.timeoutMs), config.webhook_id);
    const answer = await paypalApi.createOrder(session, orderRequestBody(request, amount), request.reference);
    if (answer.kind === "unknown") return { outcome: "pending", reason: answer.reason };
    if (answer.status !== 200 && answer.status !== 201) return creationRefusal(answer);
    const created = parse(orderSchema, answer.body);
    if (!created) return { outcome: "pending", reason: "malformed_response" };
    // 200 is PayPal's replay of an order created earlier under this reference: it may have moved since.
    const current = answer.status === 200 ? await fetchOrder(session, created.id) : undefined;
    if (current?.kind === "unknown") {
      return { outcome: "pending", connectorReference: created.id, reason: current.reason };
    }
    const order = current?.kind === "order" ? current.order : created;
    const unit = order.purchase_units?.[0];
    const confirmed = unit?.amount ? fromPayPalMoney(unit.amount) : null;
    // A replay of another request under the same PayPal-Request-Id: never send the shopper to it.
    if (
      confirmed &&
      (confirmed.amount !== request.amount || confirmed.currency !== request.currency.toLowerCase())
    ) {
      return { outcome: "pending", connectorReference: order.id, reason: "order_does_not_match_request" };
    }
    const link = approvalLinkOf(order);
    if (!AWAITING_APPROVAL.has(order.status) || !link) {
      return statusToAuthorizeResult(await settleOrder(session, order, request.reference));
    }
    return {
      outcome: "requires_action",
      connectorReference: order.id,
      action: { type: "redirect_to_url", url: link },
      expiresAt: orderExpiry(order, request.expiresAt, new Date(options.now?.() ?? Date.now())),
    };
  }

  async function sync(call: CallContext, request: SyncRequest): Promise<PaymentStatus> {
    // PayPal cannot find an order by our reference: without its id there is nothing to ask about.
    const known = request.connectorReference ?? undefined;
    if (!known) return { status: "not_found" };
    const { session } = connect(call);
    const lookup = await locateOrder(session, known);
    if (lookup.kind === "unknown") return { status: "pending", connectorReference: known };
    if (lookup.kind === "missing") return { status: "expired", connectorReference: known };
    if (!belongsTo(lookup.order, request.reference)) return { status: "not_found" };
    if (request.lookOnly && lookup.order.status === "APPROVED")
      return { status: "pending", connectorReference: known };
    return settleOrder(session, lookup.order, request.reference);
  }

  async function closePayment(call: CallContext, request: CloseRequest): Promise<ModifyResult> {
    const known = request.connectorReference ?? undefined;
    const closed = (amount = 0n, currency = ""): ModifyResult => ({
      outcome: "succeeded",
      connectorReference: known ?? request.reference,
      amount,
      currency,
    });
    // Without an order id the shopper never got an approval link: nothing can be paid.
    if (!known) return closed();
    const { session } = connect(call);
    const lookup = await fetchOrder(session, known);
    if (lookup.kind === "unknown")
      return { outcome: "pending", connectorReference: known, reason: lookup.reason };
    if (lookup.kind === "missing") return closed();
    const { order } = lookup;
    if (order.status === "APPROVED" || order.status === "COMPLETED") {
      return { outcome: "failed", reason: `order_${order.status.toLowerCase()}` };
    }
    // Orders v2 cannot cancel an order. One nobody approved takes no money unless Payrail completes it,
    // and PayPal forgets it after 3 hours.
    const unit = order.purchase_units?.[0]?.amount;
    const money = unit ? fromPayPalMoney(unit) : null;
    return closed(money?.amount, money?.currency);
  }

  return {
    id: "paypal",
    displayName: "PayPal",
    configSchema: paypalConfigSchema,
    secretFields: paypalSecretFields,
    // PayPal only looks at the status: any 2xx stops its retries.
    webhookAcknowledgement: { contentType: "application/json; charset=utf-8", body: '{"received":true}' },
    capabilities: {
      paymentMethods: ["paypal"],
      currencies: [...PAYPAL_CURRENCIES],
      manualCapture: true,
      partialCapture: true,
      multipleCaptures: false,
      refunds: true,
      webhooks: true,
      captureWindowMs: AUTHORIZATION_WINDOW_MS,
    },

    async authorize() {
      return {
        outcome: "declined",
        declineCode: "card_not_supported",
        providerMessage: "PayPal does not take cards",
      };
    },

    startPayment,

    async completeRedirect(call, request) {
      const orderId = request.connectorReference;
      const token = request.params.token;
      if (token !== undefined && token !== orderId) {
        return { outcome: "pending", connectorReference: orderId, reason: "token_does_not_match_order" };
      }
      const { session } = connect(call);
      const lookup = await fetchOrder(session, orderId);
      if (lookup.kind === "unknown")
        return { outcome: "pending", connectorReference: orderId, reason: lookup.reason };
      if (lookup.kind === "missing")
        return { outcome: "pending", connectorReference: orderId, reason: "order_expired" };
      const { order } = lookup;
      if (!belongsTo(order, request.reference)) {
        return { outcome: "pending", connectorReference: orderId, reason: "order_of_another_attempt" };
      }
      // The shopper may have cancelled after approving in another tab: an approval stands.
      if (request.params[CANCEL_PARAM] !== undefined && AWAITING_APPROVAL.has(order.status)) {
        return {
          outcome: "declined",
          declineCode: "generic_decline",
          providerMessage: "shopper canceled at PayPal",
          connectorReference: orderId,
        };
      }
      return statusToAuthorizeResult(await settleOrder(session, order, request.reference));
    },

    capture: (call, request) => captureAuthorization(connect(call).session, request),
    void: (call, request) => voidAuthorization(connect(call).session, request),
    refund: (call, request) => refundCapture(connect(call).session, request),
    sync,

    async syncRefund(call, request) {
      // Without the refund's id PayPal cannot be asked; refund() again with the same reference replays it.
      const known = request.connectorReference ?? undefined;
      if (!known) return { status: "pending" };
      return refundStatus(connect(call).session, known);
    },

    closePayment,

    async verifyWebhook(account: ConnectorAccount, webhook, now) {
      try {
        return await verifyPayPalWebhook(account, webhook, now, {
          certificates,
          async verifyByApi(config, body) {
            const answer = await paypalApi.verifyWebhookSignature(
              sessionFor(config, VERIFY_TIMEOUT_MS),
              body,
            );
            if (answer.kind === "unknown") return "unknown";
            const verdict = (answer.body as { verification_status?: unknown } | undefined)
              ?.verification_status;
            return answer.status === 200 && verdict === "SUCCESS" ? "SUCCESS" : "FAILURE";
          },
        });
      } catch {
        return { ok: false, reason: "verification_error" };
      }
    },

    defaultTestAccountConfig,
  };
}
