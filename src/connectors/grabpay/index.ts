/** The GrabPay connector: GrabPay Online one-time charges (partner API v2 and GrabID OAuth 2.0 with PKCE). */
import type { CallContext, Connector } from "../contract.ts";
import { connectionFor } from "./client.ts";
import { grabPayConfigSchema, grabPaySecretFields, newTestAccountConfig } from "./config.ts";
import { referenceOfState } from "./oauth.ts";
import { closeCharge, completeReturn, type GrabPayAccount, startCharge, syncPayment } from "./payments.ts";
import { refundCharge, syncRefund } from "./refunds.ts";
import { verifyGrabPayWebhook } from "./webhooks.ts";

export { type GrabPayConfig, grabPayConfigSchema, grabPaySecretFields } from "./config.ts";
export { downloadGrabPayTransactionReport, type GrabPayReport, type GrabPayReportRow } from "./report.ts";

export interface GrabPayConnectorOptions {
  baseUrl: () => string;
  /** The clock of the `Date` and proof-of-possession headers, which GrabPay checks against its own. */
  now?: () => Date;
}

export function createGrabPayConnector(options: GrabPayConnectorOptions): Connector {
  function account(call: CallContext): GrabPayAccount {
    const config = grabPayConfigSchema.parse(call.account.config);
    return { config, c: connectionFor(config, options.baseUrl(), call.timeoutMs, options.now) };
  }

  return {
    id: "grabpay",
    displayName: "GrabPay",
    configSchema: grabPayConfigSchema,
    secretFields: grabPaySecretFields,
    capabilities: {
      paymentMethods: ["grabpay"],
      currencies: ["sgd", "myr", "php", "thb", "idr", "vnd"],
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
        providerMessage: "GrabPay does not take cards",
      };
    },

    startPayment: async (call, request) => startCharge(account(call), request),

    completeRedirect: async (call, request) => completeReturn(account(call), request),

    // The signature of a notification is in its Authorization header (an HMAC of the body, no credential).
    webhookSignatureHeaders: ["authorization"],

    // GrabID takes only registered redirect URIs: one per account, the payment named by the state.
    returnReference: (params) => (params.state ? referenceOfState(params.state) : undefined),

    sync: async (call, request) => syncPayment(account(call), request),

    closePayment: async (call, request) => closeCharge(account(call), request),

    async capture() {
      return { outcome: "failed", reason: "not_supported" };
    },

    async void() {
      return { outcome: "failed", reason: "not_supported" };
    },

    refund: async (call, request) => refundCharge(account(call), request),

    syncRefund: async (call, request) => syncRefund(account(call), request),

    async verifyWebhook(account, webhook, now) {
      return verifyGrabPayWebhook(account, webhook, now);
    },

    defaultTestAccountConfig: (random) => newTestAccountConfig(random),
  };
}
