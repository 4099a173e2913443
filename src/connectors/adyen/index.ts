/** The Adyen connector: Checkout API v71 for payments, Management API v3 for webhook registration. */
import { createHash } from "node:crypto";
import type {
  AuthorizeRequest,
  AuthorizeResult,
  CallContext,
  Connector,
  ModifyRequest,
  ModifyResult,
  Money,
  PaymentStatus,
  WalletTokenAuthorizeRequest,
} from "../contract.ts";
import { type AdyenAnswer, type AdyenConnection, adyenClient, type ModificationKind } from "./client.ts";
import {
  type AdyenConfig,
  adyenConfigSchema,
  adyenSecretFields,
  defaultTestAccountConfig,
} from "./config.ts";
import { ExpiringMap } from "./expiring-map.ts";
import { createWebhookRegistrar } from "./registration.ts";
import {
  type AdyenPaymentBody,
  modificationBody,
  paymentRequestBody,
  walletTokenRequestBody,
} from "./requests.ts";
import {
  modificationToResult,
  parseModificationResponse,
  parsePaymentResponse,
  parseServiceError,
  responseToAuthorizeResult,
  responseToPaymentStatus,
  type StatusContext,
  validationDecline,
} from "./transformers.ts";
import { verifyAdyenWebhook } from "./webhooks.ts";

export {
  type AdyenConfig,
  adyenConfigSchema,
  adyenSecretFields,
  defaultTestAccountConfig,
} from "./config.ts";

/** What the shopper's browser brought back to Payrail's return URL after a redirect (3-D Secure). */
export interface CompleteRedirectRequest {
  connectorReference: string;
  reference: string;
  /** The return URL's query (or form) parameters: `redirectResult`, or `payload`, or `MD` and `PaRes`. */
  params: Record<string, string>;
  /** The authorization asked for; pass them so Adyen's answer can be checked and captured set right. */
  amount?: bigint | undefined;
  currency?: string | undefined;
  capture?: boolean | undefined;
}

export interface AdyenConnector extends Connector {
  /** Finishes a redirect with POST /payments/details. */
  completeRedirect(call: CallContext, request: CompleteRedirectRequest): Promise<AuthorizeResult>;
  /** Cancels an authorization or refunds a captured payment, whichever applies (POST …/reversals). */
  reverse(call: CallContext, request: ModifyRequest): Promise<ModifyResult>;
}

export interface AdyenConnectorOptions {
  baseUrl: () => string;
  /** Told when webhook registration fails (the payment goes on; the next one retries). */
  onRegistrationError?: (error: unknown) => void;
  now?: () => number;
}

// Most schemes keep a card authorisation for 7 days (Adyen's authorisation validity); some less.
const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;
/** Long enough for the first syncs after a timeout (10 s … 15 min); card data must not outlive that. */
const UNKNOWN_OUTCOME_TTL_MS = 15 * 60 * 1000;
const REDIRECT_TTL_MS = 60 * 60 * 1000;
const MAX_REMEMBERED = 10_000;

interface UnknownOutcome {
  body: AdyenPaymentBody;
  context: StatusContext;
}

function redact(text: string): string {
  return text.replace(/\d[\d -]{10,22}\d/g, "[redacted]");
}

function unexpected(operation: string, answer: AdyenAnswer & { kind: "answer" }): Error {
  const error = parseServiceError(answer.body);
  const detail = error?.errorCode
    ? `${error.errorCode}${error.message ? `: ${redact(error.message)}` : ""}`
    : "unreadable error body";
  return new Error(`adyen ${operation}: unexpected HTTP ${answer.status} (${detail})`);
}

export function createAdyenConnector(options: AdyenConnectorOptions): AdyenConnector {
  const now = options.now ?? Date.now;
  const ensureWebhook = createWebhookRegistrar(options.onRegistrationError ?? (() => {}));
  // Process-local memory, lost on restart: a sync on another process (or later) answers pending and the
  // AUTHORISATION webhook settles the payment.
  const unknownOutcomes = new ExpiringMap<UnknownOutcome>(UNKNOWN_OUTCOME_TTL_MS, MAX_REMEMBERED, now);
  const redirects = new ExpiringMap<StatusContext>(REDIRECT_TTL_MS, MAX_REMEMBERED, now);

  function connect(call: CallContext): { c: AdyenConnection; config: AdyenConfig } {
    const config = adyenConfigSchema.parse(call.account.config);
    const baseUrl = (config.base_url ?? options.baseUrl()).replace(/\/+$/, "");
    return { c: { baseUrl, apiKey: config.api_key, timeoutMs: call.timeoutMs }, config };
  }

  const memoryKey = (call: CallContext, reference: string) => `${call.account.id}\u0000${reference}`;

  /** A /payments answer as status and result; `unknown` when it says nothing definite (ask again). */
  function paymentAnswer(
    operation: string,
    answer: AdyenAnswer,
    context: StatusContext,
  ): { status: PaymentStatus; result: AuthorizeResult } | { unknown: string } {
    if (answer.kind === "unknown") return { unknown: answer.reason };
    if (answer.status === 200) {
      const response = parsePaymentResponse(answer.body);
      if (!response) return { unknown: "malformed_response" };
      return {
        status: responseToPaymentStatus(response, context),
        result: responseToAuthorizeResult(response, context),
      };
    }
    if (answer.status === 422) {
      const error = parseServiceError(answer.body);
      const declineCode = validationDecline(error);
      if (declineCode) {
        const providerMessage = error?.message;
        return {
          status: { status: "declined", declineCode, providerMessage },
          result: { outcome: "declined", declineCode, providerMessage },
        };
      }
    }
    throw unexpected(operation, answer);
  }

  /** POST /payments for any way of paying; the body builder gets the account's merchant account. */
  async function pay(
    call: CallContext,
    request: Money & { reference: string; capture: boolean },
    buildBody: (merchantAccount: string) => AdyenPaymentBody,
  ): Promise<AuthorizeResult> {
    const { c, config } = connect(call);
    await ensureWebhook(call, c, config);
    const body = buildBody(config.merchant_account);
    const context: StatusContext = {
      reference: request.reference,
      amount: request.amount,
      currency: request.currency,
      captureRequested: request.capture,
    };
    const outcome = paymentAnswer("authorize", await adyenClient.payments(c, body), context);
    if ("unknown" in outcome) {
      unknownOutcomes.set(memoryKey(call, request.reference), { body, context });
      return { outcome: "pending", reason: outcome.unknown };
    }
    if (outcome.result.outcome === "requires_action")
      redirects.set(memoryKey(call, request.reference), context);
    return outcome.result;
  }

  async function modify(
    call: CallContext,
    kind: ModificationKind,
    request: ModifyRequest,
    withAmount: boolean,
  ): Promise<ModifyResult> {
    const { c, config } = connect(call);
    const body = modificationBody(
      config.merchant_account,
      withAmount ? request : { reference: request.reference },
    );
    const answer = await adyenClient.modify(c, kind, request.connectorReference, body);
    const knownPayment = kind === "refunds" ? undefined : request.connectorReference;
    if (answer.kind === "unknown") {
      return { outcome: "pending", connectorReference: knownPayment, reason: answer.reason };
    }
    if (answer.status === 200 || answer.status === 201) {
      const response = parseModificationResponse(answer.body);
      if (!response)
        return { outcome: "pending", connectorReference: knownPayment, reason: "malformed_response" };
      return modificationToResult(kind, withAmount ? request : { ...request, amount: undefined }, response);
    }
    // Adyen refused the request itself (unknown payment, amount above what is left, …): nothing happened.
    if (answer.status === 404 || answer.status === 422) {
      const error = parseServiceError(answer.body);
      return {
        outcome: "failed",
        reason: answer.status === 404 ? "payment_not_found" : `adyen_${error?.errorCode ?? "422"}`,
        providerMessage: error?.message ? redact(error.message) : undefined,
      };
    }
    throw unexpected(kind, answer);
  }

  return {
    id: "adyen",
    displayName: "Adyen",
    configSchema: adyenConfigSchema,
    secretFields: adyenSecretFields,
    webhookAcknowledgement: { contentType: "text/plain; charset=utf-8", body: "[accepted]" },
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

    authorize: (call, request: AuthorizeRequest) =>
      pay(call, request, (merchantAccount) => paymentRequestBody(request, merchantAccount)),

    authorizeWalletToken: (call, request: WalletTokenAuthorizeRequest) =>
      pay(call, request, (merchantAccount) => walletTokenRequestBody(request, merchantAccount)),

    async completeRedirect(call, request) {
      const { c } = connect(call);
      const remembered = redirects.get(memoryKey(call, request.reference));
      const capture = request.capture ?? remembered?.captureRequested;
      const amount = request.amount ?? remembered?.amount;
      const currency = request.currency ?? remembered?.currency;
      const { redirectResult, payload, MD, PaRes } = request.params;
      const details = redirectResult
        ? { redirectResult }
        : payload
          ? { payload }
          : MD && PaRes
            ? { MD, PaRes }
            : undefined;
      if (!details)
        return {
          outcome: "pending",
          connectorReference: request.connectorReference,
          reason: "missing_redirect_result",
        };
      if (capture === undefined || amount === undefined || currency === undefined) {
        return {
          outcome: "pending",
          connectorReference: request.connectorReference,
          reason: "authorization_unknown",
        };
      }
      const digest = createHash("sha256").update(`${request.reference}\u0000${JSON.stringify(details)}`);
      const key = `details-${digest.digest("hex").slice(0, 48)}`;
      const answer = await adyenClient.paymentDetails(c, { details }, key);
      const context: StatusContext = {
        reference: request.reference,
        amount,
        currency,
        captureRequested: capture,
      };
      if (answer.kind === "answer" && answer.status === 422) {
        // The shopper's browser brought something Adyen does not accept; the webhook still settles it.
        return {
          outcome: "pending",
          connectorReference: request.connectorReference,
          reason: "details_rejected",
        };
      }
      const outcome = paymentAnswer("completeRedirect", answer, context);
      if ("unknown" in outcome) {
        return {
          outcome: "pending",
          connectorReference: request.connectorReference,
          reason: outcome.unknown,
        };
      }
      if (outcome.result.outcome !== "requires_action") redirects.delete(memoryKey(call, request.reference));
      return outcome.result;
    },

    capture: (call, request) => modify(call, "captures", request, true),
    void: (call, request) => modify(call, "cancels", request, false),
    refund: (call, request) => modify(call, "refunds", request, true),
    reverse: (call, request) => modify(call, "reversals", request, false),

    /**
     * Checkout v71 has no way to read a payment's status. What is possible: when our own /payments call
     * ended unknown in this process within the last 15 minutes, the very same request is sent again
     * with the same Idempotency-Key, and Adyen answers with the stored result of the first (or acts
     * now if the first never arrived). Not possible: anything after a restart, on another process, or
     * once the payment went to the shopper (3-D Secure): that answers pending, and the AUTHORISATION
     * webhook settles it.
     */
    async sync(call, request) {
      const known = request.connectorReference ?? undefined;
      const key = memoryKey(call, request.reference);
      const remembered = unknownOutcomes.get(key);
      if (!remembered) return { status: "pending", connectorReference: known };
      const { c } = connect(call);
      const answer = await adyenClient.payments(c, remembered.body);
      const outcome = paymentAnswer("sync", answer, remembered.context);
      if ("unknown" in outcome) return { status: "pending", connectorReference: known };
      unknownOutcomes.delete(key);
      if (outcome.result.outcome === "requires_action") redirects.set(key, remembered.context);
      // A mismatching answer (reference or amount) is not taken as the payment's status.
      if (outcome.result.outcome === "pending") {
        return { status: "pending", connectorReference: outcome.result.connectorReference ?? known };
      }
      return outcome.status;
    },

    /** No refund status can be read in Checkout v71: the REFUND webhook settles it. */
    async syncRefund(_call, request) {
      return { status: "pending", connectorReference: request.connectorReference ?? undefined };
    },

    async verifyWebhook(account, webhook, at) {
      return verifyAdyenWebhook(account, webhook, at);
    },

    defaultTestAccountConfig(random) {
      return defaultTestAccountConfig(random);
    },
  };
}
