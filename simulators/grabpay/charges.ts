/** One-time charges: init, the shopper's outcome, complete, status queries and expiry. */
import type { Authenticated } from "./auth.ts";
import { type Context, newTxID } from "./context.ts";
import { ERR, partnerError } from "./errors.ts";
import { json, type Sent } from "./http.ts";
import {
  canonicalJson,
  optionalString,
  ParamError,
  parseJsonObject,
  rejectUnknown,
  requiredAmount,
  requiredCurrency,
  requiredString,
} from "./params.ts";
import { signJws } from "./signing.ts";
import type { AccessToken, Charge, Partner } from "./store.ts";

export const PAYMENT_METHODS = ["GPWALLET", "POSTPAID", "INSTALMENT", "CARD"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

const INIT_FIELDS = [
  "partnerTxID",
  "partnerGroupTxID",
  "amount",
  "currency",
  "merchantID",
  "description",
  "hidePaymentMethods",
  "metaInfo",
  "items",
  "shippingDetails",
] as const;

function unix(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** The shopper never answered in time: the charge fails as expired (no notification is sent). */
export function refreshExpiry(ctx: Context, charge: Charge): void {
  if (charge.state === "awaiting_consent" && ctx.now().getTime() >= charge.expiresAt.getTime()) {
    charge.state = "failed";
    charge.reason = "transaction expired";
  }
}

function txStatus(charge: Charge): "processing" | "success" | "failed" {
  return charge.state === "awaiting_consent" ? "processing" : charge.state;
}

export function chargeView(charge: Charge): Record<string, unknown> {
  const status = txStatus(charge);
  return {
    txID: charge.txID,
    status,
    description: charge.description,
    txStatus: status,
    reason: charge.reason,
    paymentMethod: charge.paymentMethod,
  };
}

function parseHidden(value: unknown): PaymentMethod[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((m) => (PAYMENT_METHODS as readonly unknown[]).includes(m))) {
    throw new ParamError(
      ERR.invalidArgument(
        `hidePaymentMethods must list of ${PAYMENT_METHODS.join(", ")}`,
        "hidePaymentMethods",
      ),
    );
  }
  return value as PaymentMethod[];
}

function checkObject(body: Record<string, unknown>, name: string, array: boolean): void {
  const value = body[name];
  if (value === undefined || value === null) return;
  const ok = array ? Array.isArray(value) : typeof value === "object" && !Array.isArray(value);
  if (!ok)
    throw new ParamError(ERR.invalidArgument(`${name} must be ${array ? "an array" : "an object"}`, name));
}

export function chargeInit(ctx: Context, partner: Partner, raw: Buffer): Sent {
  const parsed = parseJsonObject(raw);
  if (!parsed.ok) return partnerError(parsed.error);
  const body = parsed.value;
  try {
    rejectUnknown(body, INIT_FIELDS);
    const partnerTxID = requiredString(body, "partnerTxID", 32);
    const partnerGroupTxID = requiredString(body, "partnerGroupTxID", 32);
    const amount = requiredAmount(body, "amount");
    const currency = requiredCurrency(body.currency);
    const merchantID = requiredString(body, "merchantID", 64);
    const description = optionalString(body, "description", 128) ?? "";
    const hidePaymentMethods = parseHidden(body.hidePaymentMethods);
    checkObject(body, "metaInfo", false);
    checkObject(body, "shippingDetails", false);
    checkObject(body, "items", true);
    if (merchantID !== partner.merchantId) {
      return partnerError(ERR.forbidden("merchantID does not belong to this partner"));
    }
    const fingerprint = canonicalJson(body);
    const existing = ctx.store.charge(partner.partnerId, partnerTxID);
    if (existing) {
      if (existing.fingerprint === fingerprint && existing.state === "awaiting_consent") {
        return json(200, { partnerTxID, request: existing.request });
      }
      return partnerError(ERR.conflict(`partnerTxID ${partnerTxID} was already used`));
    }
    const now = ctx.now();
    const expiresAt = new Date(now.getTime() + ctx.settings.chargeExpiryMs);
    const txID = newTxID(ctx.random);
    const request = signJws(ctx.tokenKey, {
      typ: "grabpay.charge",
      partnerID: partner.partnerId,
      partnerTxID,
      merchantID,
      amount: Number(amount),
      currency,
      iat: unix(now),
      exp: unix(expiresAt),
      jti: txID,
    });
    const charge: Charge = {
      partner,
      partnerTxID,
      partnerGroupTxID,
      merchantID,
      amount,
      currency,
      description,
      txID,
      request,
      fingerprint,
      createdAt: now,
      expiresAt,
      state: "awaiting_consent",
      reason: "",
      paidAt: null,
      completedAt: null,
      oAuthCode: null,
      refunded: 0n,
      hidePaymentMethods,
      paymentMethod: "",
    };
    ctx.store.putCharge(charge);
    ctx.lifecycle.later(ctx.settings.chargeExpiryMs, () => refreshExpiry(ctx, charge));
    return json(200, { partnerTxID, request });
  } catch (thrown) {
    if (thrown instanceof ParamError) return partnerError(thrown.error);
    throw thrown;
  }
}

export type ShopperOutcome =
  | { kind: "approve"; paymentMethod: PaymentMethod }
  | { kind: "fail"; paymentMethod: PaymentMethod }
  | { kind: "decline" };

/** Applies the shopper's answer on the consent page and notifies the partner. */
export function settleByShopper(ctx: Context, charge: Charge, outcome: ShopperOutcome): void {
  const now = ctx.now();
  if (outcome.kind === "approve") {
    charge.state = "success";
    charge.reason = "";
    charge.paidAt = now;
  } else {
    charge.state = "failed";
    charge.reason = outcome.kind === "fail" ? "insufficient balance" : "user declined the payment";
  }
  const method = outcome.kind === "decline" ? "" : outcome.paymentMethod;
  charge.paymentMethod = method;
  const status = txStatus(charge);
  ctx.notifier.notify(charge.partner, {
    txType: "Payment",
    txID: charge.txID,
    partnerTxID: charge.partnerTxID,
    partnerGroupTxID: charge.partnerGroupTxID,
    merchantID: charge.merchantID,
    status,
    txStatus: status,
    amount: Number(charge.amount),
    currency: charge.currency,
    paymentMethod: method,
    reason: charge.reason,
    createdAt: unix(charge.createdAt),
    completedAt: unix(now),
  });
}

export function chargeComplete(ctx: Context, token: AccessToken, raw: Buffer): Sent {
  const parsed = parseJsonObject(raw);
  if (!parsed.ok) return partnerError(parsed.error);
  try {
    rejectUnknown(parsed.value, ["partnerTxID"]);
    const partnerTxID = requiredString(parsed.value, "partnerTxID", 32);
    const charge = token.charge;
    if (partnerTxID !== charge.partnerTxID) {
      return partnerError(ERR.forbidden("the access token was not issued for this partnerTxID"));
    }
    if (charge.state === "success" && charge.completedAt === null) charge.completedAt = ctx.now();
    return json(200, chargeView(charge));
  } catch (thrown) {
    if (thrown instanceof ParamError) return partnerError(thrown.error);
    throw thrown;
  }
}

function currencyParam(search: URLSearchParams, expected: string): Sent | null {
  try {
    const currency = requiredCurrency(search.get("currency"));
    if (currency !== expected) {
      return partnerError(
        ERR.invalidArgument("currency does not match the transaction's currency", "currency"),
      );
    }
    return null;
  } catch (thrown) {
    if (thrown instanceof ParamError) return partnerError(thrown.error);
    throw thrown;
  }
}

export function findCharge(ctx: Context, partner: Partner, partnerTxID: string): Charge | undefined {
  const charge = ctx.store.charge(partner.partnerId, partnerTxID);
  if (charge) refreshExpiry(ctx, charge);
  return charge;
}

export function chargeStatus(
  ctx: Context,
  auth: Authenticated,
  partnerTxID: string,
  search: URLSearchParams,
): Sent {
  const charge = findCharge(ctx, auth.partner, partnerTxID);
  if (!charge) return partnerError(ERR.notFound(`no charge with partnerTxID ${partnerTxID}`));
  if (auth.kind === "token" && auth.token.charge !== charge) {
    return partnerError(ERR.forbidden("the access token was not issued for this partnerTxID"));
  }
  return currencyParam(search, charge.currency) ?? json(200, chargeView(charge));
}

export function oneTimeChargeStatus(
  ctx: Context,
  partner: Partner,
  partnerTxID: string,
  search: URLSearchParams,
): Sent {
  const charge = findCharge(ctx, partner, partnerTxID);
  if (!charge) return partnerError(ERR.notFound(`no charge with partnerTxID ${partnerTxID}`));
  const view = chargeView(charge);
  return (
    currencyParam(search, charge.currency) ??
    json(200, {
      txID: view.txID,
      oAuthCode: charge.oAuthCode ?? "",
      paymentMethod: view.paymentMethod,
      status: view.status,
      txStatus: view.txStatus,
      reason: view.reason,
    })
  );
}
