/** `POST /payments` and `POST /payments/details` for card payments (raw card data, network tokens and
 * decrypted wallet data, stored cards), with the test-card behaviours. Bodies arrive schema-valid. */
import { type CardBehavior, cardBehavior, cardBrand, isExpired, luhnValid, parseExpiry } from "./cards.ts";
import { answer, type Context, type Outcome, rejected } from "./context.ts";
import { CHECKOUT_ERRORS, type ServiceError } from "./errors.ts";
import type { GooglePayFailure } from "./googlepay.ts";
import { wireAmount } from "./notification-items.ts";
import { authorise, refuse, settle } from "./outcomes.ts";
import { type Account, type CaptureMode, type CardFacts, type Payment, referenceKey } from "./store.ts";

interface CardMethod {
  type?: string;
  number?: string;
  expiryMonth?: string;
  expiryYear?: string;
  cvc?: string;
  storedPaymentMethodId?: string;
  googlePayToken?: string;
  [field: string]: unknown;
}

export interface PaymentRequestBody {
  amount: { value: number; currency: string };
  merchantAccount: string;
  reference: string;
  returnUrl: string;
  paymentMethod: CardMethod;
  additionalData?: Record<string, string>;
  captureDelayHours?: number;
  shopperInteraction?: string;
  recurringProcessingModel?: string;
  storePaymentMethod?: boolean;
  shopperReference?: string;
  mpiData?: { cavv?: string; eci?: string; tokenAuthenticationVerificationValue?: string };
}

const CVC = /^\d{3,4}$/;

/** `walletAuthenticated`: a Google Pay device token with its cryptogram (CRYPTOGRAM_3DS). */
interface ResolvedCard {
  card: CardFacts;
  walletAuthenticated: boolean;
}

const GOOGLE_PAY_FAILURES: Record<GooglePayFailure, () => ServiceError> = {
  invalid: CHECKOUT_ERRORS.googlePayInvalid,
  signature: CHECKOUT_ERRORS.googlePaySignature,
  expired: CHECKOUT_ERRORS.googlePayExpired,
};

/** Adyen opens the token itself (PAYMENT_GATEWAY mode), then treats the card inside like any other. */
function resolveGooglePay(ctx: Context, request: PaymentRequestBody): ResolvedCard | ServiceError {
  if (!ctx.googlePay) return CHECKOUT_ERRORS.googlePayNotConfigured();
  const opened = ctx.googlePay.open(String(request.paymentMethod.googlePayToken ?? ""), {
    merchantAccount: request.merchantAccount,
    now: ctx.now(),
  });
  if (!opened.ok) return GOOGLE_PAY_FAILURES[opened.failure]();
  const { pan, expirationMonth, expirationYear, authMethod } = opened.card;
  const expiry = parseExpiry(String(expirationMonth), String(expirationYear));
  if (!luhnValid(pan) || !expiry) return CHECKOUT_ERRORS.googlePayInvalid();
  return {
    card: {
      brand: cardBrand(pan),
      last4: pan.slice(-4),
      expiry,
      behavior: cardBehavior(pan),
      type: "googlepay",
    },
    walletAuthenticated: authMethod === "CRYPTOGRAM_3DS",
  };
}

function resolveCard(
  ctx: Context,
  account: Account,
  request: PaymentRequestBody,
): ResolvedCard | ServiceError {
  const method = request.paymentMethod;
  const type = method.type ?? "scheme";
  if (type === "googlepay") return resolveGooglePay(ctx, request);
  if (type !== "scheme" && type !== "networkToken") return CHECKOUT_ERRORS.notSupported();
  if (Object.keys(method).some((field) => field.startsWith("encrypted")))
    return CHECKOUT_ERRORS.cannotDecrypt();
  if (method.cvc !== undefined && !CVC.test(method.cvc)) return CHECKOUT_ERRORS.cvcLength();

  if (method.storedPaymentMethodId !== undefined) {
    const stored = account.storedCards.get(method.storedPaymentMethodId);
    if (
      !stored ||
      stored.shopperReference !== request.shopperReference ||
      stored.merchantAccount !== request.merchantAccount
    ) {
      return CHECKOUT_ERRORS.contractNotFound();
    }
    return { card: stored.card, walletAuthenticated: false };
  }

  const number = method.number ?? "";
  if (!luhnValid(number)) return CHECKOUT_ERRORS.invalidCardNumber();
  const expiry = parseExpiry(method.expiryMonth ?? "", method.expiryYear ?? "");
  if (!expiry) return CHECKOUT_ERRORS.expiryInvalid();
  return {
    card: { brand: cardBrand(number), last4: number.slice(-4), expiry, behavior: cardBehavior(number), type },
    walletAuthenticated: false,
  };
}

function captureMode(request: PaymentRequestBody): CaptureMode {
  if (request.additionalData?.manualCapture === "true") return { kind: "manual" };
  const hours = request.captureDelayHours ?? 0;
  return hours > 0 ? { kind: "delayed", hours } : { kind: "immediate" };
}

function checkRequest(request: PaymentRequestBody): ServiceError | null {
  if (request.merchantAccount.trim() === "") return CHECKOUT_ERRORS.invalidMerchantAccount();
  const { value, currency } = request.amount;
  if (!Number.isSafeInteger(value) || value < 0) return CHECKOUT_ERRORS.invalidAmount();
  if (!/^[A-Z]{3}$/.test(currency)) {
    return CHECKOUT_ERRORS.invalidField("Field 'amount.currency' must be an ISO 4217 code in upper case");
  }
  if (!URL.canParse(request.returnUrl)) {
    return CHECKOUT_ERRORS.invalidField("Field 'returnUrl' must be an absolute URL");
  }
  if ((request.captureDelayHours ?? 0) < 0) {
    return CHECKOUT_ERRORS.invalidField("Field 'captureDelayHours' must not be negative");
  }
  if (request.storePaymentMethod === true && !request.shopperReference) {
    return CHECKOUT_ERRORS.shopperReferenceRequired();
  }
  return null;
}

/** Authentication already happened for merchant-initiated payments and for wallet cryptograms. */
function effectiveBehavior(
  { card, walletAuthenticated }: ResolvedCard,
  request: PaymentRequestBody,
): CardBehavior {
  const mpi = request.mpiData;
  const authenticated =
    walletAuthenticated || mpi?.cavv !== undefined || mpi?.tokenAuthenticationVerificationValue !== undefined;
  if (card.behavior.kind === "redirect" && (request.shopperInteraction === "ContAuth" || authenticated)) {
    return { kind: "authorise" };
  }
  return card.behavior;
}

export function paymentResponse(payment: Payment): Record<string, unknown> {
  const body: Record<string, unknown> = {
    pspReference: payment.pspReference,
    resultCode: payment.status,
    merchantReference: payment.reference,
    amount: wireAmount(payment.amount),
  };
  if (payment.status === "Authorised") {
    const additionalData: Record<string, string> = {
      authCode: payment.authCode ?? "",
      cardSummary: payment.card.last4,
      expiryDate: `${payment.card.expiry.month}/${payment.card.expiry.year}`,
      paymentMethod: payment.card.brand,
      shopperInteraction: payment.shopperInteraction,
    };
    if (payment.networkTxReference) additionalData.networkTxReference = payment.networkTxReference;
    if (payment.recurringProcessingModel)
      additionalData.recurringProcessingModel = payment.recurringProcessingModel;
    if (payment.threeDSecure) additionalData.threeDAuthenticated = "true";
    if (payment.storedPaymentMethodId && payment.shopperReference) {
      additionalData["tokenization.storedPaymentMethodId"] = payment.storedPaymentMethodId;
      additionalData["tokenization.shopperReference"] = payment.shopperReference;
      if (payment.storeCard) additionalData["tokenization.store.operationType"] = "created";
    }
    body.additionalData = additionalData;
    body.paymentMethod = { type: payment.card.type, brand: payment.card.brand };
  } else if (payment.refusal && (payment.status === "Refused" || payment.status === "Error")) {
    body.refusalReason = payment.refusal.refusalReason;
    body.refusalReasonCode = payment.refusal.refusalReasonCode;
    body.additionalData = { refusalReasonRaw: payment.refusal.raw };
  }
  return body;
}

export function createPayment(ctx: Context, account: Account, input: unknown): Outcome {
  const request = input as PaymentRequestBody;
  const invalid = checkRequest(request);
  if (invalid) return rejected(invalid);
  const resolved = resolveCard(ctx, account, request);
  if ("errorCode" in resolved) return rejected(resolved);
  const { card } = resolved;

  const payment: Payment = {
    pspReference: ctx.ids.pspReference(),
    apiKey: account.apiKey,
    merchantAccount: request.merchantAccount,
    reference: request.reference,
    amount: { value: BigInt(request.amount.value), currency: request.amount.currency },
    status: "Received",
    refusal: null,
    card,
    captureMode: captureMode(request),
    captured: 0n,
    refunded: 0n,
    returnUrl: request.returnUrl,
    shopperInteraction: request.shopperInteraction ?? "Ecommerce",
    recurringProcessingModel: request.recurringProcessingModel ?? null,
    shopperReference: request.shopperReference ?? null,
    storeCard: request.storePaymentMethod === true,
    storedPaymentMethodId: request.paymentMethod.storedPaymentMethodId ?? null,
    networkTxReference: null,
    authCode: null,
    threeDSecure: request.mpiData?.cavv !== undefined,
    redirectToken: null,
    redirectResult: null,
    pendingTechnicalCancel: null,
  };
  ctx.store.addPayment(payment);
  const orphanKey = referenceKey(payment.merchantAccount, payment.reference);
  const orphan = account.orphanCancels.get(orphanKey);
  if (orphan) {
    account.orphanCancels.delete(orphanKey);
    payment.pendingTechnicalCancel = orphan;
  }

  const behavior = isExpired(card.expiry, ctx.now())
    ? ({ kind: "refuse", refusal: "expiredCard" } as const)
    : effectiveBehavior(resolved, request);
  switch (behavior.kind) {
    case "authorise":
      authorise(ctx, account, payment);
      break;
    case "refuse":
      refuse(payment, behavior.refusal);
      break;
    case "redirect": {
      payment.status = "RedirectShopper";
      payment.redirectToken = ctx.ids.token();
      ctx.store.indexRedirectToken(payment.redirectToken, payment);
      const action = {
        type: "redirect",
        method: "GET",
        url: `${ctx.baseUrl()}/simulator/3ds/${payment.redirectToken}`,
        paymentMethodType: card.type === "googlepay" ? "googlepay" : "scheme",
      };
      return answer(200, { ...paymentResponse(payment), action });
    }
    case "timeout":
      ctx.lifecycle.later(ctx.resolveAfterMs, () => {
        if (payment.status !== "Received") return;
        if (behavior.outcome === "authorise") authorise(ctx, account, payment);
        else refuse(payment, "refused");
        settle(ctx, account, payment);
      });
      return { ...answer(200, paymentResponse(payment)), hangUp: true };
  }
  const body = paymentResponse(payment);
  settle(ctx, account, payment);
  return answer(200, body);
}

export function paymentDetails(ctx: Context, account: Account, input: unknown): Outcome {
  const redirectResult = (input as { details: { redirectResult?: string } }).details.redirectResult;
  const result = redirectResult === undefined ? undefined : account.redirectResults.get(redirectResult);
  const payment = result && account.payments.get(result.pspReference);
  if (!result || !payment) return rejected(CHECKOUT_ERRORS.invalidPayload());
  if (payment.status === "RedirectShopper") {
    payment.redirectToken = null;
    if (result.outcome === "approved") {
      payment.threeDSecure = true;
      authorise(ctx, account, payment);
    } else {
      refuse(payment, "notAuthenticated");
    }
    const body = paymentResponse(payment);
    settle(ctx, account, payment);
    return answer(200, body);
  }
  return answer(200, paymentResponse(payment));
}

export type ChallengeCompletion = { kind: "redirect"; location: string } | { kind: "not_found" };

/** The shopper's answer on the challenge page; a repeated submission redirects with the first answer. */
export function completeChallenge(
  ctx: Context,
  token: string,
  outcome: "approved" | "failed",
): ChallengeCompletion {
  const payment = ctx.store.paymentByRedirectToken(token);
  if (!payment) return { kind: "not_found" };
  if (payment.redirectResult === null) {
    payment.redirectResult = ctx.ids.token();
    ctx.store.account(payment.apiKey).redirectResults.set(payment.redirectResult, {
      pspReference: payment.pspReference,
      outcome,
    });
  }
  const location = new URL(payment.returnUrl);
  location.searchParams.append("redirectResult", payment.redirectResult);
  return { kind: "redirect", location: location.toString() };
}
