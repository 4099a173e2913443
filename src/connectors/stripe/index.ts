/** The Stripe connector: PaymentIntents through the official SDK, pointed at Stripe or its simulator. */
import type Stripe from "stripe";
import type {
  AuthorizeResult,
  CallContext,
  Connector,
  ModifyRequest,
  ModifyResult,
  Money,
  PaymentStatus,
  RefundStatus,
  WalletTokenAuthorizeRequest,
} from "../contract.ts";
import { attempt, isDefiniteModifyFailure, type StripeConnection } from "./calls.ts";
import { createStripeClientCache } from "./client.ts";
import { stripeConfigSchema, stripeSecretFields } from "./config.ts";
import { type StripeFailure, unexpectedRefusal } from "./errors.ts";
import { findPaymentIntent, findRefund } from "./lookup.ts";
import { createWebhookRegistrar } from "./registration.ts";
import {
  type FormParams,
  paymentIntentParams,
  stripeTokenIdOf,
  toStripeAmount,
  walletTokenIntentParams,
} from "./requests.ts";
import {
  declineFromFailure,
  paymentIntentToAuthorizeResult,
  paymentIntentToCaptureResult,
  paymentIntentToPaymentStatus,
  paymentIntentToVoidResult,
  refundToModifyResult,
  refundToRefundStatus,
} from "./transformers.ts";
import { verifyStripeWebhook } from "./webhooks.ts";
import { parsePaymentIntent, parseRefund, REFERENCE_KEY } from "./wire.ts";

export { type StripeConfig, stripeConfigSchema, stripeSecretFields } from "./config.ts";
export { STRIPE_WEBHOOK_EVENTS } from "./events.ts";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;
/** Stripe's refusals of a card token in `payment_method_data[card][token]`. */
const WALLET_TOKEN_REFUSALS = new Set(["token_already_used", "token_in_use", "resource_missing"]);

type RefusedFailure = StripeFailure & { kind: "refused" };

/** A test-mode secret key; the local Stripe simulator treats every such key as its own account. */
export function generateStripeTestKey(random: (size: number) => Buffer, length = 32): string {
  let key = "";
  while (key.length < length) {
    for (const byte of random(length * 2)) {
      // 248 = 4 * 62: rejecting the bytes above keeps every character equally likely.
      if (byte < 248 && key.length < length) key += BASE62[byte % 62];
    }
  }
  return `sk_test_${key}`;
}

/**
 * The publishable key the local Stripe simulator pairs with a test secret key (`sk_test_<suffix>` ->
 * `pk_test_<suffix>`), for Google Pay's `stripe:publishableKey` in tests and demos. Real Stripe keys are
 * not derived from each other: take the publishable key from the Stripe dashboard.
 */
export function simulatorPublishableKey(secretKey: string): string {
  if (!/^sk_test_[0-9A-Za-z]{24,}$/.test(secretKey)) throw new Error("not a Stripe test secret key");
  return `pk_test_${secretKey.slice("sk_test_".length)}`;
}

export function defaultTestAccountConfig(random: (size: number) => Buffer): { secret_key: string } {
  return { secret_key: generateStripeTestKey(random) };
}

/** What a failed modification (capture, void, refund) means, when it is not about the intent's state. */
function modifyFailure(operation: string, failure: StripeFailure, connectorReference?: string): ModifyResult {
  switch (failure.kind) {
    case "unknown":
      return { outcome: "pending", connectorReference, reason: failure.reason };
    case "declined":
      return { outcome: "failed", reason: failure.code ?? "declined", providerMessage: failure.message };
    case "idempotency_mismatch":
      return { outcome: "pending", connectorReference, reason: "idempotency_key_reused" };
    case "refused":
      if (isDefiniteModifyFailure(failure)) {
        return {
          outcome: "failed",
          reason: failure.status === 404 ? "not_found" : (failure.code ?? "refused"),
          providerMessage: failure.message,
        };
      }
      throw unexpectedRefusal(operation, failure);
  }
}

/** After a state conflict or a reused key: what the payment intent says now decides the outcome. */
function needsCurrentState(failure: StripeFailure): boolean {
  return (
    failure.kind === "idempotency_mismatch" ||
    (failure.kind === "refused" && failure.code === "payment_intent_unexpected_state")
  );
}

export function createStripeConnector(options: { baseUrl: () => string }): Connector {
  const clients = createStripeClientCache();
  const registrar = createWebhookRegistrar();

  function connect(call: CallContext): StripeConnection {
    const config = stripeConfigSchema.parse(call.account.config);
    const baseUrl = config.base_url ?? options.baseUrl();
    return { stripe: clients.get(config.secret_key, baseUrl), timeoutMs: call.timeoutMs };
  }

  async function retrieveIntent(c: StripeConnection, id: string) {
    const answer = await attempt(c, (stripe, o) =>
      stripe.paymentIntents.retrieve(id, { expand: ["latest_charge"] }, o),
    );
    return answer.ok ? { ok: true as const, intent: parsePaymentIntent(answer.value) } : answer;
  }

  /** A modification Stripe refused because of the intent's state may have been done already. */
  async function reconcileModify(
    c: StripeConnection,
    request: ModifyRequest,
    failure: StripeFailure,
    operation: "capture" | "void",
  ): Promise<ModifyResult> {
    if (!needsCurrentState(failure)) return modifyFailure(operation, failure, request.connectorReference);
    const current = await retrieveIntent(c, request.connectorReference);
    if (!current.ok) return modifyFailure(operation, current.failure, request.connectorReference);
    if (!current.intent) {
      return {
        outcome: "pending",
        connectorReference: request.connectorReference,
        reason: "malformed_response",
      };
    }
    const result =
      operation === "capture"
        ? paymentIntentToCaptureResult(request, current.intent)
        : paymentIntentToVoidResult(request, current.intent);
    // Stripe refused this very request, so it did not act on it: the current state cannot still be coming.
    if (failure.kind === "refused" && result.outcome === "pending") {
      return { outcome: "failed", reason: failure.code ?? "refused", providerMessage: failure.message };
    }
    return result;
  }

  async function authorizeByReference(
    c: StripeConnection,
    request: Money & { reference: string },
  ): Promise<AuthorizeResult> {
    const found = await findPaymentIntent(c, request.reference);
    if (found.kind === "unknown") return { outcome: "pending", reason: found.reason };
    if (found.kind === "none") return { outcome: "pending", reason: "idempotency_key_reused" };
    return paymentIntentToAuthorizeResult(request, found.object);
  }

  /**
   * Creates and confirms one PaymentIntent under our reference (also its idempotency key) and maps what
   * Stripe made of it. `refused` may turn a refusal the caller expects into a result; others are bugs.
   */
  async function createConfirmedIntent(
    call: CallContext,
    request: Money & { reference: string },
    params: FormParams,
    refused?: (c: StripeConnection, failure: RefusedFailure) => Promise<AuthorizeResult | undefined>,
  ): Promise<AuthorizeResult> {
    const c = connect(call);
    await registrar.ensure(call, c);
    // The gated card parameters are not in the SDK's types; see requests.ts.
    const sdkParams = params as unknown as Stripe.PaymentIntentCreateParams;
    const answer = await attempt(c, (stripe, o) =>
      stripe.paymentIntents.create(sdkParams, { ...o, idempotencyKey: request.reference }),
    );
    if (answer.ok) {
      const intent = parsePaymentIntent(answer.value);
      return intent
        ? paymentIntentToAuthorizeResult(request, intent)
        : { outcome: "pending", reason: "malformed_response" };
    }
    const { failure } = answer;
    switch (failure.kind) {
      case "unknown":
        return { outcome: "pending", reason: failure.reason };
      case "declined":
        return declineFromFailure(failure);
      // The same reference with other parameters (a retry that no longer has the CVC): ask what it became.
      case "idempotency_mismatch":
        return authorizeByReference(c, request);
      case "refused": {
        const result = await refused?.(c, failure);
        if (result) return result;
        throw unexpectedRefusal("authorize", failure);
      }
    }
  }

  /**
   * A Google Pay token Stripe will not take: spent, being spent, expired or unknown. Spent may mean spent
   * by this very reference (a retry once Stripe forgot the idempotency key), so that is looked up first.
   */
  async function walletTokenRefused(
    c: StripeConnection,
    request: WalletTokenAuthorizeRequest,
    failure: RefusedFailure,
  ): Promise<AuthorizeResult | undefined> {
    if (!failure.code || !WALLET_TOKEN_REFUSALS.has(failure.code)) return undefined;
    const declined: AuthorizeResult = {
      outcome: "declined",
      declineCode: "processing_error",
      providerMessage: failure.message,
    };
    if (failure.code === "resource_missing") return declined;
    const found = await findPaymentIntent(c, request.reference);
    if (found.kind === "unknown") return { outcome: "pending", reason: found.reason };
    return found.kind === "found" ? paymentIntentToAuthorizeResult(request, found.object) : declined;
  }

  return {
    id: "stripe",
    displayName: "Stripe",
    configSchema: stripeConfigSchema,
    secretFields: stripeSecretFields,
    capabilities: {
      paymentMethods: ["card"],
      currencies: "*",
      manualCapture: true,
      partialCapture: true,
      multipleCaptures: false,
      refunds: true,
      webhooks: true,
      captureWindowMs: SEVEN_DAYS_MS,
    },

    authorize(call, request) {
      return createConfirmedIntent(call, request, paymentIntentParams(request));
    },

    async authorizeWalletToken(call, request) {
      const tokenId =
        request.walletToken.wallet === "google_pay" ? stripeTokenIdOf(request.walletToken.token) : null;
      if (!tokenId) {
        return {
          outcome: "declined",
          declineCode: "card_not_supported",
          providerMessage: 'The Google Pay token is not a Stripe card token (gateway "stripe").',
        };
      }
      return createConfirmedIntent(call, request, walletTokenIntentParams(request, tokenId), (c, failure) =>
        walletTokenRefused(c, request, failure),
      );
    },

    async capture(call, request) {
      const c = connect(call);
      // Stripe captures a payment intent once and releases the rest, whatever `final` says.
      const answer = await attempt(c, (stripe, o) =>
        stripe.paymentIntents.capture(
          request.connectorReference,
          { amount_to_capture: toStripeAmount(request.amount) },
          { ...o, idempotencyKey: request.reference },
        ),
      );
      if (!answer.ok) return reconcileModify(c, request, answer.failure, "capture");
      const intent = parsePaymentIntent(answer.value);
      return intent
        ? paymentIntentToCaptureResult(request, intent)
        : {
            outcome: "pending",
            connectorReference: request.connectorReference,
            reason: "malformed_response",
          };
    },

    async void(call, request) {
      const c = connect(call);
      const answer = await attempt(c, (stripe, o) =>
        stripe.paymentIntents.cancel(
          request.connectorReference,
          {},
          { ...o, idempotencyKey: request.reference },
        ),
      );
      if (!answer.ok) return reconcileModify(c, request, answer.failure, "void");
      const intent = parsePaymentIntent(answer.value);
      return intent
        ? paymentIntentToVoidResult(request, intent)
        : {
            outcome: "pending",
            connectorReference: request.connectorReference,
            reason: "malformed_response",
          };
    },

    async refund(call, request) {
      const c = connect(call);
      const answer = await attempt(c, (stripe, o) =>
        stripe.refunds.create(
          {
            payment_intent: request.connectorReference,
            amount: toStripeAmount(request.amount),
            metadata: { [REFERENCE_KEY]: request.reference },
          },
          { ...o, idempotencyKey: request.reference },
        ),
      );
      if (answer.ok) {
        const refund = parseRefund(answer.value);
        return refund
          ? refundToModifyResult(request, refund)
          : { outcome: "pending", reason: "malformed_response" };
      }
      if (answer.failure.kind !== "idempotency_mismatch") return modifyFailure("refund", answer.failure);
      const found = await findRefund(c, request.reference, request.connectorReference);
      if (found.kind === "unknown") return { outcome: "pending", reason: found.reason };
      if (found.kind === "none") return { outcome: "pending", reason: "idempotency_key_reused" };
      return refundToModifyResult(request, found.object);
    },

    async sync(call, request): Promise<PaymentStatus> {
      const c = connect(call);
      const known = request.connectorReference ?? undefined;
      if (!known) {
        const found = await findPaymentIntent(c, request.reference);
        if (found.kind === "unknown") return { status: "pending" };
        if (found.kind === "none") return { status: "not_found" };
        return paymentIntentToPaymentStatus(found.object);
      }
      const current = await retrieveIntent(c, known);
      if (current.ok) {
        return current.intent
          ? paymentIntentToPaymentStatus(current.intent)
          : { status: "pending", connectorReference: known };
      }
      const { failure } = current;
      if (failure.kind === "refused" && failure.status === 404) return { status: "not_found" };
      if (failure.kind === "refused") throw unexpectedRefusal("sync", failure);
      return { status: "pending", connectorReference: known };
    },

    async syncRefund(call, request): Promise<RefundStatus> {
      const c = connect(call);
      const known = request.connectorReference ?? undefined;
      if (!known) {
        const found = await findRefund(c, request.reference);
        if (found.kind === "unknown") return { status: "pending" };
        if (found.kind === "none") return { status: "not_found" };
        return refundToRefundStatus(found.object);
      }
      const answer = await attempt(c, (stripe, o) => stripe.refunds.retrieve(known, undefined, o));
      if (answer.ok) {
        const refund = parseRefund(answer.value);
        return refund ? refundToRefundStatus(refund) : { status: "pending", connectorReference: known };
      }
      const { failure } = answer;
      if (failure.kind === "refused" && failure.status === 404) return { status: "not_found" };
      if (failure.kind === "refused") throw unexpectedRefusal("syncRefund", failure);
      return { status: "pending", connectorReference: known };
    },

    async verifyWebhook(account, webhook, now) {
      try {
        return verifyStripeWebhook(account, webhook, now);
      } catch {
        return { ok: false, reason: "verification_error" };
      }
    },

    defaultTestAccountConfig,
  };
}
