/**
 * One payment attempt on a confirmed PaymentIntent: the card's test behaviour decides between
 * approval, decline, a 3-D Secure challenge, or a dropped request that settles later.
 */
import { DECLINES, type DeclineKey } from "./cards.ts";
import { type SimContext, unixNow } from "./context.ts";
import type { RequestRef } from "./events.ts";
import { docUrl, type Outcome, ok, type Responded, stripeError } from "./outcomes.ts";
import type {
  Account,
  BalanceTransactionRecord,
  ChargeRecord,
  PaymentIntentRecord,
  PaymentMethodRecord,
  ThreeDSecureRecord,
} from "./store.ts";
import { chargeWire, paymentIntentWire, paymentMethodWire } from "./wire.ts";

const DAY = 86_400;

export function emitIntent(
  ctx: SimContext,
  account: Account,
  intent: PaymentIntentRecord,
  type: string,
  request: RequestRef,
) {
  ctx.events.emit(account, `payment_intent.${type}`, paymentIntentWire(intent), request);
}

export function emitCharge(
  ctx: SimContext,
  account: Account,
  charge: ChargeRecord,
  type: string,
  request: RequestRef,
) {
  ctx.events.emit(account, `charge.${type}`, chargeWire(charge, account), request);
}

/** Stripe's fee schedule for the simulator: 2.9% + 30 minor units, half-up. */
export function processingFee(amount: bigint): bigint {
  return (amount * 29n + 500n) / 1000n + 30n;
}

export function addBalanceTransaction(
  ctx: SimContext,
  account: Account,
  fields: Pick<BalanceTransactionRecord, "amount" | "fee" | "currency" | "type" | "sourceId" | "description">,
): BalanceTransactionRecord {
  const created = unixNow(ctx);
  const availableOn = (Math.floor(created / DAY) + 2) * DAY;
  const txn: BalanceTransactionRecord = { id: ctx.ids.id("txn"), created, availableOn, ...fields };
  account.balanceTransactions.set(txn.id, txn);
  return txn;
}

export function captureFunds(
  ctx: SimContext,
  account: Account,
  intent: PaymentIntentRecord,
  charge: ChargeRecord,
  amount: bigint,
) {
  charge.captured = true;
  charge.amountCaptured = amount;
  charge.amountReleased = charge.amount - amount;
  const txn = addBalanceTransaction(ctx, account, {
    amount,
    fee: processingFee(amount),
    currency: charge.currency,
    type: "charge",
    sourceId: charge.id,
    description: intent.description,
  });
  charge.balanceTransactionId = txn.id;
  intent.amountReceived = amount;
  intent.amountCapturable = 0n;
  intent.status = "succeeded";
}

function newCharge(
  ctx: SimContext,
  account: Account,
  intent: PaymentIntentRecord,
  pm: PaymentMethodRecord,
  threeDSecure: ThreeDSecureRecord | null,
): ChargeRecord {
  const charge: ChargeRecord = {
    id: ctx.ids.id("ch"),
    created: unixNow(ctx),
    paymentIntentId: intent.id,
    paymentMethodId: pm.id,
    amount: intent.amount,
    currency: intent.currency,
    status: "pending",
    captured: false,
    amountCaptured: 0n,
    amountReleased: 0n,
    amountRefundedByRefunds: 0n,
    decline: null,
    balanceTransactionId: null,
    networkTransactionId: null,
    authorizationCode: null,
    networkTokenUsed: intent.cardOptions.networkToken !== null,
    threeDSecure,
    cvcCheck: pm.card.cvcProvided ? "pass" : null,
    description: intent.description,
    metadata: { ...intent.metadata },
    receiptEmail: intent.receiptEmail,
    statementDescriptor: intent.statementDescriptor,
    statementDescriptorSuffix: intent.statementDescriptorSuffix,
    refundIds: [],
  };
  account.charges.set(charge.id, charge);
  intent.latestChargeId = charge.id;
  return charge;
}

function approve(
  ctx: SimContext,
  account: Account,
  intent: PaymentIntentRecord,
  charge: ChargeRecord,
  request: RequestRef,
): Responded {
  charge.status = "succeeded";
  charge.networkTransactionId = ctx.ids.digits(15);
  charge.authorizationCode = ctx.ids.digits(6);
  intent.lastPaymentError = null;
  intent.nextAction = null;
  const manual = intent.captureMethod === "manual" || intent.cardOptions.captureMethod === "manual";
  if (manual) {
    intent.amountCapturable = charge.amount;
    intent.status = "requires_capture";
  } else {
    captureFunds(ctx, account, intent, charge, charge.amount);
  }
  emitCharge(ctx, account, charge, "succeeded", request);
  emitIntent(ctx, account, intent, manual ? "amount_capturable_updated" : "succeeded", request);
  return ok(paymentIntentWire(intent));
}

function decline(
  ctx: SimContext,
  account: Account,
  intent: PaymentIntentRecord,
  pm: PaymentMethodRecord,
  charge: ChargeRecord,
  reason: DeclineKey,
  request: RequestRef,
): Responded {
  const details = DECLINES[reason];
  charge.status = "failed";
  charge.decline = details;
  if (charge.cvcCheck && reason === "incorrect_cvc") charge.cvcCheck = "fail";
  const paymentMethod = paymentMethodWire(pm);
  intent.status = "requires_payment_method";
  intent.nextAction = null;
  intent.lastPaymentError = {
    charge: charge.id,
    code: details.code,
    decline_code: details.declineCode,
    doc_url: docUrl(details.code),
    message: details.message,
    payment_method: paymentMethod,
    type: "card_error",
  };
  emitCharge(ctx, account, charge, "failed", request);
  emitIntent(ctx, account, intent, "payment_failed", request);
  return stripeError(402, {
    type: "card_error",
    charge: charge.id,
    code: details.code,
    decline_code: details.declineCode,
    message: details.message,
    payment_intent: paymentIntentWire(intent),
    payment_method: paymentMethod,
  });
}

function challenge(
  ctx: SimContext,
  account: Account,
  intent: PaymentIntentRecord,
  request: RequestRef,
): Responded {
  const token = ctx.ids.id("src");
  intent.status = "requires_action";
  intent.challengeToken = token;
  ctx.store.openChallenge(token, account, intent.id);
  const url = `${ctx.baseUrl()}/3d_secure/authenticate/${token}`;
  intent.nextAction = intent.returnUrl
    ? { type: "redirect_to_url", redirect_to_url: { return_url: intent.returnUrl, url } }
    : {
        type: "use_stripe_sdk",
        use_stripe_sdk: { type: "three_d_secure_redirect", stripe_js: url, source: token },
      };
  emitIntent(ctx, account, intent, "requires_action", request);
  return ok(paymentIntentWire(intent));
}

function dropAndSettleLater(
  ctx: SimContext,
  account: Account,
  intent: PaymentIntentRecord,
  pm: PaymentMethodRecord,
  charge: ChargeRecord,
  outcome: "approve" | "decline",
  request: RequestRef,
): Outcome {
  intent.status = "processing";
  intent.nextAction = null;
  emitCharge(ctx, account, charge, "pending", request);
  emitIntent(ctx, account, intent, "processing", request);
  const eventual = new Promise<Responded>((resolve) => {
    ctx.lifecycle.later(ctx.resolveAfterMs, () => {
      if (intent.status !== "processing") return resolve(ok(paymentIntentWire(intent)));
      const noRequest: RequestRef = { id: null, idempotency_key: request.idempotency_key };
      resolve(
        outcome === "approve"
          ? approve(ctx, account, intent, charge, noRequest)
          : decline(ctx, account, intent, pm, charge, "generic_decline", noRequest),
      );
    });
  });
  return { kind: "hang_up", eventual };
}

export interface AttemptOptions {
  /** Set once the cardholder passed the 3-D Secure challenge. */
  authenticated?: ThreeDSecureRecord;
}

export function attemptPayment(
  ctx: SimContext,
  account: Account,
  intent: PaymentIntentRecord,
  pm: PaymentMethodRecord,
  request: RequestRef,
  options: AttemptOptions = {},
): Outcome {
  const authorization = pm.behavior.authorization;
  const walletAuthenticated = intent.cardOptions.networkToken !== null;
  const wantsChallenge =
    authorization.kind === "three_ds" ||
    (intent.cardOptions.requestThreeDSecure === "any" && !intent.offSession);
  if (wantsChallenge && !options.authenticated && !walletAuthenticated) {
    if (intent.offSession || intent.errorOnRequiresAction) {
      const charge = newCharge(ctx, account, intent, pm, null);
      return decline(ctx, account, intent, pm, charge, "authentication_required", request);
    }
    return challenge(ctx, account, intent, request);
  }
  const charge = newCharge(ctx, account, intent, pm, options.authenticated ?? null);
  switch (authorization.kind) {
    case "decline":
      return decline(ctx, account, intent, pm, charge, authorization.reason, request);
    case "timeout":
      return dropAndSettleLater(ctx, account, intent, pm, charge, authorization.outcome, request);
    default:
      return approve(ctx, account, intent, charge, request);
  }
}

export function newThreeDSecure(ctx: SimContext): ThreeDSecureRecord {
  return { transactionId: ctx.ids.uuid(), eci: "05" };
}

/** The cardholder failed the challenge: no charge is made and the intent wants a new payment method. */
export function failAuthentication(
  ctx: SimContext,
  account: Account,
  intent: PaymentIntentRecord,
  pm: PaymentMethodRecord,
) {
  intent.status = "requires_payment_method";
  intent.nextAction = null;
  intent.lastPaymentError = {
    code: "payment_intent_authentication_failure",
    doc_url: docUrl("payment_intent_authentication_failure"),
    message:
      "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new " +
      "PaymentMethod to attempt to fulfill this PaymentIntent again.",
    payment_method: paymentMethodWire(pm),
    type: "invalid_request_error",
  };
  emitIntent(ctx, account, intent, "payment_failed", { id: null, idempotency_key: null });
}
