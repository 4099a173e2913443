/** iDEAL through Mollie's Payments API v2: the shopper pays on Mollie's hosted iDEAL checkout. */
import type {
  CallContext,
  Connector,
  DeclineCode,
  Declined,
  LocalPaymentRequest,
  ModifyResult,
  PaymentStatus,
  RefundStatus,
  SyncRequest,
} from "../contract.ts";
import { type MollieConnection, mollieClient } from "./client.ts";
import { connectionFor, generateTestApiKey, mollieConfigSchema, mollieSecretFields } from "./config.ts";
import { parseError, unexpected } from "./errors.ts";
import { findPaymentByReference, findRefundByReference, type Lookup } from "./lookup.ts";
import {
  closeOutcome,
  createdPaymentToResult,
  createPaymentBody,
  createRefundBody,
  createRefusal,
  parseRefundConnectorReference,
  paymentToStatus,
  refundStatusToModifyResult,
  refundToStatus,
  statusToAuthorizeResult,
} from "./transformers.ts";
import { verifyMollieWebhook } from "./webhooks.ts";
import {
  PAYMENT_ID,
  parseWith,
  payrailReferenceOf,
  type WirePayment,
  type WireRefund,
  wirePaymentSchema,
  wireRefundSchema,
} from "./wire.ts";

export { type MollieConfig, mollieConfigSchema, mollieSecretFields } from "./config.ts";
export {
  createMollieReports,
  type MollieCsvRow,
  type MollieReports,
  type MollieSettlement,
  parseMollieCsv,
} from "./settlements.ts";

export interface MollieConnectorOptions {
  baseUrl: () => string;
  /** The clock that bounds the search of recent payments by reference. */
  now?: () => Date;
}

const NAME = "iDEAL (Mollie)";

/** An object carrying another reference than ours is not ours (a mix-up of ids): it is treated as absent. */
function isOurs(metadata: unknown, reference: string): boolean {
  const theirs = payrailReferenceOf(metadata);
  return theirs === undefined || theirs === reference;
}

/** A local payment request iDEAL cannot take at all, refused before anything is sent. */
function unsupported(request: LocalPaymentRequest): Declined | null {
  const refuse = (providerMessage: string, declineCode: DeclineCode = "generic_decline"): Declined => ({
    outcome: "declined",
    declineCode,
    providerMessage,
  });
  if (request.method !== "ideal") return refuse(`${NAME} takes only iDEAL`);
  if (request.channel === "in_app") return refuse("iDEAL has no in-app channel");
  if (!request.capture) return refuse("iDEAL cannot authorize without capturing");
  if (request.currency.toLowerCase() !== "eur")
    return refuse("iDEAL takes only EUR", "currency_not_supported");
  return null;
}

/**
 * Closing a payment that never existed (or is not ours) succeeds: nothing can be paid. The contract
 * wants an amount; nothing was taken.
 */
function nothingToClose(connectorReference: string): ModifyResult {
  return { outcome: "succeeded", connectorReference, amount: 0n, currency: "eur" };
}

export function createMollieConnector(options: MollieConnectorOptions): Connector {
  const now = options.now ?? (() => new Date());
  const connect = (call: CallContext): MollieConnection =>
    connectionFor(call.account.config, call.timeoutMs, options.baseUrl);

  async function readPayment(c: MollieConnection, id: string): Promise<Lookup<WirePayment>> {
    const answer = await mollieClient.getPayment(c, id);
    if (answer.kind === "unknown") return answer;
    if (answer.status === 404) return { kind: "absent" };
    if (answer.status !== 200) throw unexpected("get payment", answer);
    const payment = parseWith(wirePaymentSchema, answer.body);
    return payment ? { kind: "found", item: payment } : { kind: "unknown", reason: "malformed_response" };
  }

  /** By Mollie's id when we have it; else (the create call's outcome was unknown) by our reference. */
  async function locatePayment(c: MollieConnection, request: SyncRequest): Promise<Lookup<WirePayment>> {
    if (!request.connectorReference) return findPaymentByReference(c, request.reference, now());
    if (!PAYMENT_ID.test(request.connectorReference)) return { kind: "absent" };
    const found = await readPayment(c, request.connectorReference);
    if (found.kind === "found" && !isOurs(found.item.metadata, request.reference)) return { kind: "absent" };
    return found;
  }

  async function readRefund(c: MollieConnection, paymentId: string, refundId: string) {
    const answer = await mollieClient.getRefund(c, paymentId, refundId);
    if (answer.kind === "unknown") return answer;
    if (answer.status === 404) return { kind: "absent" as const };
    if (answer.status !== 200) throw unexpected("get refund", answer);
    const refund = parseWith(wireRefundSchema, answer.body);
    return refund
      ? { kind: "found" as const, item: refund }
      : { kind: "unknown" as const, reason: "malformed_response" };
  }

  async function sync(call: CallContext, request: SyncRequest): Promise<PaymentStatus> {
    const found = await locatePayment(connect(call), request);
    if (found.kind === "unknown") {
      return request.connectorReference
        ? { status: "pending", connectorReference: request.connectorReference }
        : { status: "pending" };
    }
    if (found.kind === "absent") return { status: "not_found" };
    return paymentToStatus(found.item);
  }

  async function cancel(c: MollieConnection, payment: WirePayment): Promise<ModifyResult> {
    const answer = await mollieClient.cancelPayment(c, payment.id);
    if (answer.kind === "unknown") {
      return { outcome: "pending", connectorReference: payment.id, reason: answer.reason };
    }
    if (answer.status === 200) {
      const canceled = parseWith(wirePaymentSchema, answer.body);
      const outcome = canceled ? closeOutcome(canceled) : "cancel";
      return outcome === "cancel"
        ? { outcome: "pending", connectorReference: payment.id, reason: "malformed_response" }
        : outcome;
    }
    // 422: no longer cancelable (paid or expired meanwhile): the payment says what it is now.
    if (answer.status === 422 || answer.status === 404) {
      const current = await readPayment(c, payment.id);
      if (current.kind === "unknown")
        return { outcome: "pending", connectorReference: payment.id, reason: current.reason };
      if (current.kind === "absent") return nothingToClose(payment.id);
      const outcome = closeOutcome(current.item);
      return outcome === "cancel"
        ? { outcome: "pending", connectorReference: payment.id, reason: "cancel_refused" }
        : outcome;
    }
    throw unexpected("cancel payment", answer);
  }

  return {
    id: "mollie",
    displayName: NAME,
    configSchema: mollieConfigSchema,
    secretFields: mollieSecretFields,
    // Mollie retries anything but a 2xx and reads no body.
    webhookAcknowledgement: { contentType: "text/plain", body: "" },
    capabilities: {
      paymentMethods: ["ideal"],
      currencies: ["eur"],
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
        providerMessage: `${NAME} does not take cards`,
      };
    },

    async startPayment(call, request) {
      const refusal = unsupported(request);
      if (refusal) return refusal;
      const c = connect(call);
      const body = createPaymentBody(request, call.notificationUrl);
      const answer = await mollieClient.createPayment(c, body, request.reference);
      if (answer.kind === "unknown") return { outcome: "pending", reason: answer.reason };
      if (answer.status === 201 || answer.status === 200) {
        const payment = parseWith(wirePaymentSchema, answer.body);
        return payment
          ? createdPaymentToResult(payment, request)
          : { outcome: "pending", reason: "malformed_response" };
      }
      if (answer.status === 422) {
        const error = parseError(answer.body);
        const declineCode = createRefusal(error?.field);
        if (declineCode) return { outcome: "declined", declineCode, providerMessage: error?.detail };
      }
      throw unexpected("create payment", answer);
    },

    /** Mollie adds nothing to the shopper's return: the payment itself says what happened. */
    async completeRedirect(call, request) {
      return statusToAuthorizeResult(await sync(call, request));
    },

    sync,

    async closePayment(call, request) {
      const c = connect(call);
      const found = await locatePayment(c, request);
      if (found.kind === "unknown") {
        return request.connectorReference
          ? { outcome: "pending", connectorReference: request.connectorReference, reason: found.reason }
          : { outcome: "pending", reason: found.reason };
      }
      if (found.kind === "absent") return nothingToClose(request.connectorReference ?? "");
      const outcome = closeOutcome(found.item);
      return outcome === "cancel" ? cancel(c, found.item) : outcome;
    },

    async capture() {
      return { outcome: "failed", reason: "not_supported" };
    },

    async void() {
      return { outcome: "failed", reason: "not_supported" };
    },

    async refund(call, request) {
      const paymentId = request.connectorReference;
      if (!PAYMENT_ID.test(paymentId)) return { outcome: "failed", reason: "payment_not_found" };
      const c = connect(call);
      const answer = await mollieClient.createRefund(
        c,
        paymentId,
        createRefundBody(request),
        request.reference,
      );
      if (answer.kind === "unknown") {
        return { outcome: "pending", connectorReference: paymentId, reason: answer.reason };
      }
      if (answer.status === 201 || answer.status === 200) {
        const refund = parseWith(wireRefundSchema, answer.body);
        if (!refund)
          return { outcome: "pending", connectorReference: paymentId, reason: "malformed_response" };
        return refundStatusToModifyResult(refundToStatus(refund), paymentId);
      }
      // Mollie refused it (not paid, more than what is left, unknown payment): nothing was refunded.
      if (answer.status === 404 || answer.status === 422) {
        const error = parseError(answer.body);
        return {
          outcome: "failed",
          reason: answer.status === 404 ? "payment_not_found" : "refund_refused",
          providerMessage: error?.detail,
        };
      }
      throw unexpected("create refund", answer);
    },

    async syncRefund(call, request): Promise<RefundStatus> {
      // Without the payment id a refund cannot be asked for (Mollie reads refunds under their payment).
      if (!request.connectorReference) return { status: "pending" };
      const known = parseRefundConnectorReference(request.connectorReference);
      if (!known) return { status: "not_found" };
      const c = connect(call);
      const found: Lookup<WireRefund> | { kind: "no_payment" } = known.refundId
        ? await readRefund(c, known.paymentId, known.refundId)
        : await findRefundByReference(c, known.paymentId, request.reference);
      if (found.kind === "unknown")
        return { status: "pending", connectorReference: request.connectorReference };
      if (found.kind !== "found" || !isOurs(found.item.metadata, request.reference)) {
        return { status: "not_found" };
      }
      return refundToStatus(found.item);
    },

    async verifyWebhook(_account, webhook, arrival) {
      return verifyMollieWebhook(webhook, arrival);
    },

    defaultTestAccountConfig(random) {
      return { api_key: generateTestApiKey(random) };
    },
  };
}
