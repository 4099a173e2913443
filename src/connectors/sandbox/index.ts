/** The sandbox card processor connector: Payrail's own simulator, reached over its HTTP protocol. */
import type {
  AuthorizeRequest,
  AuthorizeResult,
  CallContext,
  Connector,
  ModifyResult,
  PaymentStatus,
  RefundStatus,
} from "../contract.ts";
import { type SandboxAnswer, type SandboxConnection, sandboxClient } from "./client.ts";
import { sandboxConfigSchema, sandboxSecretFields } from "./config.ts";
import {
  chargeToAuthorizeResult,
  chargeToCaptureResult,
  chargeToPaymentStatus,
  chargeToVoidResult,
  firstOfList,
  invalidParamDecline,
  parseCharge,
  parseError,
  parseRefund,
  refundToModifyResult,
  refundToRefundStatus,
} from "./transformers.ts";
import { verifySandboxWebhook } from "./webhooks.ts";

export { type SandboxConfig, sandboxConfigSchema, sandboxSecretFields } from "./config.ts";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

export function generateSandboxApiKey(random: (size: number) => Buffer, length = 32): string {
  let key = "";
  while (key.length < length) {
    for (const byte of random(length * 2)) {
      // 248 = 4 * 62: rejecting the bytes above keeps every character equally likely.
      if (byte < 248 && key.length < length) key += BASE62[byte % 62];
    }
  }
  return `sbx_sk_${key}`;
}

function unexpected(operation: string, answer: SandboxAnswer & { kind: "answer" }): Error {
  const error = parseError(answer.body);
  const detail = error
    ? `${error.code}${error.message ? `: ${error.message}` : ""}`
    : "unreadable error body";
  return new Error(`sandbox ${operation}: unexpected HTTP ${answer.status} (${detail})`);
}

/** Answers where the processor definitely did not act: the operation failed, nothing to retry. */
function definiteFailure(answer: SandboxAnswer & { kind: "answer" }): ModifyResult | null {
  const error = parseError(answer.body);
  if (!error) return null;
  const definite =
    answer.status === 404 ||
    answer.status === 409 ||
    answer.status === 422 ||
    (answer.status === 400 && error.code === "amount_too_large");
  if (!definite) return null;
  return {
    outcome: "failed",
    reason: answer.status === 404 ? "charge_not_found" : error.code,
    providerMessage: error.message,
  };
}

function isReusedKey(answer: SandboxAnswer & { kind: "answer" }): boolean {
  return answer.status === 400 && parseError(answer.body)?.code === "idempotency_key_reused";
}

export function createSandboxConnector(options: { baseUrl: () => string }): Connector {
  function connect(call: CallContext): SandboxConnection {
    const config = sandboxConfigSchema.parse(call.account.config);
    const baseUrl = (config.base_url ?? options.baseUrl()).replace(/\/+$/, "");
    return { baseUrl, apiKey: config.api_key, timeoutMs: call.timeoutMs };
  }

  async function authorizeByReference(
    c: SandboxConnection,
    request: AuthorizeRequest,
  ): Promise<AuthorizeResult> {
    const answer = await sandboxClient.findCharges(c, request.reference);
    if (answer.kind === "unknown") return { outcome: "pending", reason: answer.reason };
    if (answer.status !== 200) throw unexpected("authorize", answer);
    const charge = firstOfList(answer.body, parseCharge);
    if (!charge)
      return {
        outcome: "pending",
        reason: charge === null ? "idempotency_key_reused" : "malformed_response",
      };
    return chargeToAuthorizeResult(request, charge);
  }

  return {
    id: "sandbox",
    configSchema: sandboxConfigSchema,
    secretFields: sandboxSecretFields,
    displayName: "Sandbox card processor",
    capabilities: {
      paymentMethods: ["card"],
      currencies: "*",
      manualCapture: true,
      partialCapture: true,
      multipleCaptures: true,
      refunds: true,
      webhooks: true,
      captureWindowMs: SEVEN_DAYS_MS,
    },

    async authorize(call, request) {
      const c = connect(call);
      const { card } = request;
      const answer = await sandboxClient.createCharge(c, {
        reference: request.reference,
        amount: request.amount,
        currency: request.currency.toLowerCase(),
        capture: request.capture,
        card: {
          number: card.number,
          exp_month: card.exp_month,
          exp_year: card.exp_year,
          ...(card.cvc ? { cvc: card.cvc } : {}),
        },
        return_url: request.returnUrl,
        ...(call.notificationUrl ? { notification_url: call.notificationUrl } : {}),
        ...(request.description ? { description: request.description } : {}),
      });
      if (answer.kind === "unknown") return { outcome: "pending", reason: answer.reason };
      if (answer.status === 200) {
        const charge = parseCharge(answer.body);
        return charge
          ? chargeToAuthorizeResult(request, charge)
          : { outcome: "pending", reason: "malformed_response" };
      }
      if (answer.status === 422) {
        const error = parseError(answer.body);
        const declineCode = invalidParamDecline(error?.param);
        if (declineCode) return { outcome: "declined", declineCode, providerMessage: error?.message };
      }
      // The same reference with another body (a retry that no longer has the CVC): ask what it became.
      if (isReusedKey(answer)) return authorizeByReference(c, request);
      throw unexpected("authorize", answer);
    },

    async capture(call, request) {
      const c = connect(call);
      const answer = await sandboxClient.capture(c, request.connectorReference, {
        amount: request.amount,
        reference: request.reference,
        final: request.final,
      });
      if (answer.kind === "unknown") {
        return { outcome: "pending", connectorReference: request.connectorReference, reason: answer.reason };
      }
      if (answer.status === 200) {
        const charge = parseCharge(answer.body);
        if (charge) return chargeToCaptureResult(request, charge);
        return {
          outcome: "pending",
          connectorReference: request.connectorReference,
          reason: "malformed_response",
        };
      }
      const failure = definiteFailure(answer);
      if (failure) return failure;
      throw unexpected("capture", answer);
    },

    async void(call, request) {
      const c = connect(call);
      const answer = await sandboxClient.void(c, request.connectorReference, {
        reference: request.reference,
      });
      if (answer.kind === "unknown") {
        return { outcome: "pending", connectorReference: request.connectorReference, reason: answer.reason };
      }
      if (answer.status === 200) {
        const charge = parseCharge(answer.body);
        if (charge) return chargeToVoidResult(request, charge);
        return {
          outcome: "pending",
          connectorReference: request.connectorReference,
          reason: "malformed_response",
        };
      }
      const failure = definiteFailure(answer);
      if (failure) return failure;
      throw unexpected("void", answer);
    },

    async refund(call, request) {
      const c = connect(call);
      const answer = await sandboxClient.refund(c, {
        charge: request.connectorReference,
        amount: request.amount,
        reference: request.reference,
      });
      if (answer.kind === "unknown") return { outcome: "pending", reason: answer.reason };
      if (answer.status === 200) {
        const refund = parseRefund(answer.body);
        return refund
          ? refundToModifyResult(request, refund)
          : { outcome: "pending", reason: "malformed_response" };
      }
      if (isReusedKey(answer)) {
        const found = await sandboxClient.findRefunds(c, request.reference);
        if (found.kind === "unknown") return { outcome: "pending", reason: found.reason };
        const refund = found.status === 200 ? firstOfList(found.body, parseRefund) : undefined;
        return refund
          ? refundToModifyResult(request, refund)
          : { outcome: "pending", reason: "idempotency_key_reused" };
      }
      const failure = definiteFailure(answer);
      if (failure) return failure;
      throw unexpected("refund", answer);
    },

    async sync(call, request): Promise<PaymentStatus> {
      const c = connect(call);
      const known = request.connectorReference ?? undefined;
      const answer = known
        ? await sandboxClient.getCharge(c, known)
        : await sandboxClient.findCharges(c, request.reference);
      if (answer.kind === "unknown") return { status: "pending", connectorReference: known };
      if (answer.status === 404 && known) return { status: "not_found" };
      if (answer.status !== 200) throw unexpected("sync", answer);
      const charge = known ? parseCharge(answer.body) : firstOfList(answer.body, parseCharge);
      if (charge === null && !known) return { status: "not_found" };
      return charge ? chargeToPaymentStatus(charge) : { status: "pending", connectorReference: known };
    },

    async syncRefund(call, request): Promise<RefundStatus> {
      const c = connect(call);
      const known = request.connectorReference ?? undefined;
      const answer = known
        ? await sandboxClient.getRefund(c, known)
        : await sandboxClient.findRefunds(c, request.reference);
      if (answer.kind === "unknown") return { status: "pending", connectorReference: known };
      if (answer.status === 404 && known) return { status: "not_found" };
      if (answer.status !== 200) throw unexpected("syncRefund", answer);
      const refund = known ? parseRefund(answer.body) : firstOfList(answer.body, parseRefund);
      if (refund === null && !known) return { status: "not_found" };
      return refund ? refundToRefundStatus(refund) : { status: "pending", connectorReference: known };
    },

    async verifyWebhook(account, webhook, now) {
      return verifySandboxWebhook(account, webhook, now);
    },

    defaultTestAccountConfig(random) {
      return { api_key: generateSandboxApiKey(random) };
    },
  };
}
