/**
 * A GrabPay one-time charge: init (partner HMAC), the shopper's consent at GrabID (authorize URL with
 * PKCE), then, back on Payrail's return URL, the code exchanged for an access token and the charge
 * completed with it (Bearer + proof of possession). Status queries use the partner HMAC.
 */
import type {
  AuthorizeResult,
  CloseRequest,
  LocalPaymentRequest,
  ModifyResult,
  PaymentStatus,
  ShopperChannel,
  SyncRequest,
} from "../contract.ts";
import { toGrabPayAmount } from "./amounts.ts";
import { type GrabPayAnswer, type GrabPayConnection, grabPayClient } from "./client.ts";
import { currencyOfMarket, type GrabPayConfig } from "./config.ts";
import { authorizeUrl, codeVerifierFor, redirectUriOfState } from "./oauth.ts";
import { type ChargeHandle, formatChargeHandle, parseChargeHandle, partnerTxIdFor } from "./references.ts";
import { chargeState, chargeToPaymentStatus, paymentStatusToAuthorizeResult } from "./transformers.ts";
import { parseCharge, parseChargeInit, parsePartnerError, parseToken, type WireCharge } from "./wire.ts";

export interface GrabPayAccount {
  c: GrabPayConnection;
  config: GrabPayConfig;
}

/** The shopper pays on GrabPay's page, in a browser or through the merchant app's web view. */
const REDIRECT_CHANNELS: ReadonlySet<ShopperChannel> = new Set(["web", "mobile_web", "app"]);
const DESCRIPTION_MAX = 128;

export function unexpected(operation: string, answer: GrabPayAnswer & { kind: "answer" }): Error {
  const error = parsePartnerError(answer.body);
  const detail = error
    ? `${error.code}${error.message ? `: ${error.message}` : ""}`
    : "unreadable error body";
  return new Error(`grabpay ${operation}: unexpected HTTP ${answer.status} (${detail})`);
}

/** At most 128 UTF-16 units, never cutting a character in half. */
function fitDescription(text: string): string {
  let out = "";
  for (const character of text) {
    if (out.length + character.length > DESCRIPTION_MAX) break;
    out += character;
  }
  return out;
}

/** The handle Payrail keeps for this reference, when it names this charge. */
function handleFor(
  reference: string,
  connectorReference: string | null | undefined,
): ChargeHandle | undefined {
  const handle = parseChargeHandle(connectorReference);
  return handle?.partnerTxID === partnerTxIdFor(reference) ? handle : undefined;
}

export type Lookup = { kind: "unknown" } | { kind: "absent" } | { kind: "found"; charge: WireCharge };

export async function lookupCharge(a: GrabPayAccount, partnerTxID: string): Promise<Lookup> {
  const currency = currencyOfMarket(a.config).toUpperCase();
  const answer = await grabPayClient.chargeStatus(a.c, partnerTxID, currency);
  if (answer.kind === "unknown") return { kind: "unknown" };
  if (answer.status === 404) return { kind: "absent" };
  if (answer.status !== 200) throw unexpected("charge status", answer);
  const charge = parseCharge(answer.body);
  return charge ? { kind: "found", charge } : { kind: "unknown" };
}

export async function chargeStatus(
  a: GrabPayAccount,
  partnerTxID: string,
  handle?: ChargeHandle,
): Promise<PaymentStatus> {
  const found = await lookupCharge(a, partnerTxID);
  if (found.kind === "absent") return { status: "not_found" };
  if (found.kind === "unknown") {
    return { status: "pending", connectorReference: handle ? formatChargeHandle(handle) : undefined };
  }
  return chargeToPaymentStatus(found.charge, handle, currencyOfMarket(a.config));
}

export async function startCharge(a: GrabPayAccount, request: LocalPaymentRequest): Promise<AuthorizeResult> {
  if (!REDIRECT_CHANNELS.has(request.channel)) {
    return {
      outcome: "declined",
      declineCode: "generic_decline",
      providerMessage: `GrabPay one-time charges have no ${request.channel} channel`,
    };
  }
  const currency = request.currency.toLowerCase();
  if (currency !== currencyOfMarket(a.config)) {
    return {
      outcome: "declined",
      declineCode: "currency_not_supported",
      providerMessage: `this GrabPay merchant (${a.config.country}) takes ${currencyOfMarket(a.config).toUpperCase()} only`,
    };
  }
  const amount = toGrabPayAmount(request.amount, currency);
  if (amount === undefined) {
    return {
      outcome: "declined",
      declineCode: "generic_decline",
      providerMessage: `GrabPay cannot charge ${request.amount} minor units of ${currency.toUpperCase()} exactly`,
    };
  }
  const partnerTxID = partnerTxIdFor(request.reference);
  const handle: ChargeHandle = { partnerTxID, amount };
  const connectorReference = formatChargeHandle(handle);
  // Built from the request only: a retry sends the same body, which GrabPay answers with the same charge.
  const answer = await grabPayClient.chargeInit(a.c, {
    partnerTxID,
    partnerGroupTxID: partnerTxID,
    amount: Number(amount),
    currency: currency.toUpperCase(),
    merchantID: a.config.merchant_id,
    description: fitDescription(request.description),
  });
  if (answer.kind === "unknown") return { outcome: "pending", connectorReference, reason: answer.reason };
  if (answer.status === 200) {
    const init = parseChargeInit(answer.body);
    if (!init) return { outcome: "pending", connectorReference, reason: "malformed_response" };
    const url = authorizeUrl(a.c.baseUrl, {
      clientId: a.config.client_id,
      clientSecret: a.config.client_secret,
      reference: request.reference,
      redirectUri: a.config.redirect_uri ?? request.returnUrl,
      requestToken: init.request,
      country: a.config.country,
      currency: currency.toUpperCase(),
    });
    return { outcome: "requires_action", connectorReference, action: { type: "redirect_to_url", url } };
  }
  // The charge exists and was answered already (paid, failed, expired): it says what it became.
  if (answer.status === 409) {
    return paymentStatusToAuthorizeResult(await chargeStatus(a, partnerTxID, handle), "charge_exists");
  }
  const error = parsePartnerError(answer.body);
  if (answer.status === 400 && error?.reason === "currency") {
    return { outcome: "declined", declineCode: "currency_not_supported", providerMessage: error.message };
  }
  if (answer.status === 400 && error?.reason === "amount") {
    return { outcome: "declined", declineCode: "generic_decline", providerMessage: error.message };
  }
  throw unexpected("charge init", answer);
}

export interface ReturnRequest {
  reference: string;
  connectorReference: string;
  params: Record<string, string>;
  amount: bigint;
  currency: string;
}

/** The shopper is back with `code` and `state` (or `error`): finish the charge with the shopper's token. */
export async function completeReturn(a: GrabPayAccount, request: ReturnRequest): Promise<AuthorizeResult> {
  const partnerTxID = partnerTxIdFor(request.reference);
  const asked = toGrabPayAmount(request.amount, request.currency);
  const handle =
    handleFor(request.reference, request.connectorReference) ??
    (asked === undefined ? undefined : { partnerTxID, amount: asked });
  const { code, state = "", error } = request.params;
  const redirectUri = redirectUriOfState(a.config.client_secret, request.reference, state);
  // A return we did not send the shopper on is not trusted: the provider's status decides later.
  if (redirectUri === undefined) return { outcome: "pending", reason: "state_mismatch" };
  if (error) {
    const description = request.params.error_description ?? "";
    if (error === "access_denied" && !/expired/i.test(description)) {
      return { outcome: "declined", declineCode: "generic_decline", providerMessage: description || error };
    }
    return paymentStatusToAuthorizeResult(await chargeStatus(a, partnerTxID, handle), `grabid_${error}`);
  }
  if (!code) return { outcome: "pending", reason: "missing_code" };

  const verifier = codeVerifierFor(a.config.client_secret, request.reference);
  const token = await grabPayClient.token(a.c, code, verifier, redirectUri);
  if (token.kind === "unknown")
    return { outcome: "pending", connectorReference: request.connectorReference, reason: token.reason };
  const grant = token.status === 200 ? parseToken(token.body) : undefined;
  if (!grant || !("accessToken" in grant)) {
    // A code used already (the shopper reloaded the return page) or expired: the charge says where it is.
    return paymentStatusToAuthorizeResult(await chargeStatus(a, partnerTxID, handle), "token_refused");
  }
  const completed = await grabPayClient.chargeComplete(a.c, grant.accessToken, partnerTxID);
  if (completed.kind === "unknown") {
    return { outcome: "pending", connectorReference: request.connectorReference, reason: completed.reason };
  }
  const charge = completed.status === 200 ? parseCharge(completed.body) : undefined;
  if (!charge) throw unexpected("charge complete", completed);
  return paymentStatusToAuthorizeResult(
    chargeToPaymentStatus(charge, handle, request.currency),
    "charge_processing",
  );
}

export function syncPayment(a: GrabPayAccount, request: SyncRequest): Promise<PaymentStatus> {
  return chargeStatus(
    a,
    partnerTxIdFor(request.reference),
    handleFor(request.reference, request.connectorReference),
  );
}

/**
 * GrabPay has no way to cancel a charge: one awaiting the shopper fails on its own when its consent
 * window ends, so until then the close is pending and Payrail asks again.
 */
export async function closeCharge(a: GrabPayAccount, request: CloseRequest): Promise<ModifyResult> {
  const partnerTxID = partnerTxIdFor(request.reference);
  const found = await lookupCharge(a, partnerTxID);
  const state = found.kind === "found" ? chargeState(found.charge.txStatus, found.charge.reason) : undefined;
  if (found.kind === "absent" || state === "failed" || state === "expired") {
    return {
      outcome: "succeeded",
      connectorReference: request.connectorReference ?? partnerTxID,
      amount: 0n,
      currency: currencyOfMarket(a.config),
    };
  }
  if (state === "success") return { outcome: "failed", reason: "already_paid" };
  return {
    outcome: "pending",
    connectorReference: request.connectorReference ?? undefined,
    reason: found.kind === "unknown" ? "status_unknown" : "grabpay_charges_expire_unpaid",
  };
}
