/** Full and partial refunds of a successful charge, their status and their notifications. */
import type { Authenticated } from "./auth.ts";
import { refreshExpiry } from "./charges.ts";
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
import type { Refund } from "./store.ts";

const REFUND_FIELDS = [
  "partnerTxID",
  "partnerGroupTxID",
  "amount",
  "currency",
  "merchantID",
  "originTxID",
  "description",
  "echo",
] as const;

function refundView(refund: Refund): Record<string, unknown> {
  const view: Record<string, unknown> = {
    txID: refund.txID,
    status: "success",
    description: refund.description,
    txStatus: "success",
    reason: "",
    paymentMethod: refund.charge.paymentMethod,
  };
  if (refund.echo !== null) view.echo = refund.echo;
  return view;
}

export function createRefund(ctx: Context, auth: Authenticated, raw: Buffer): Sent {
  const parsed = parseJsonObject(raw);
  if (!parsed.ok) return partnerError(parsed.error);
  const body = parsed.value;
  const partner = auth.partner;
  try {
    rejectUnknown(body, REFUND_FIELDS);
    const partnerTxID = requiredString(body, "partnerTxID", 32);
    const partnerGroupTxID = requiredString(body, "partnerGroupTxID", 32);
    const amount = requiredAmount(body, "amount");
    const currency = requiredCurrency(body.currency);
    const merchantID = requiredString(body, "merchantID", 64);
    const originTxID = requiredString(body, "originTxID", 64);
    const description = optionalString(body, "description", 128) ?? "";
    const echo = optionalString(body, "echo", 256);
    if (merchantID !== partner.merchantId) {
      return partnerError(ERR.forbidden("merchantID does not belong to this partner"));
    }
    const fingerprint = canonicalJson(body);
    const existing = ctx.store.refund(partner.partnerId, partnerTxID);
    if (existing) {
      return existing.fingerprint === fingerprint
        ? json(200, refundView(existing))
        : partnerError(ERR.conflict(`partnerTxID ${partnerTxID} was already used`));
    }
    if (ctx.store.charge(partner.partnerId, partnerTxID)) {
      return partnerError(ERR.conflict(`partnerTxID ${partnerTxID} is already a charge's partnerTxID`));
    }
    const charge = ctx.store.chargeByTxID(originTxID);
    if (!charge || charge.partner !== partner) {
      return partnerError(ERR.notFound(`no charge with txID ${originTxID}`));
    }
    if (auth.kind === "token" && auth.token.charge !== charge) {
      return partnerError(ERR.forbidden("the access token was not issued for this charge"));
    }
    refreshExpiry(ctx, charge);
    if (charge.state !== "success") {
      return partnerError(
        ERR.unprocessable("only a successful charge can be refunded", "origin_not_success"),
      );
    }
    if (partnerGroupTxID !== charge.partnerGroupTxID) {
      return partnerError(
        ERR.invalidArgument(
          "partnerGroupTxID must be the original charge's partnerGroupTxID",
          "partnerGroupTxID",
        ),
      );
    }
    if (currency !== charge.currency) {
      return partnerError(ERR.invalidArgument("currency does not match the original charge", "currency"));
    }
    if (charge.refunded + amount > charge.amount) {
      return partnerError(ERR.invalidArgument("amount exceeds the charge's refundable amount", "amount"));
    }
    charge.refunded += amount;
    const now = ctx.now();
    const refund: Refund = {
      partner,
      charge,
      partnerTxID,
      partnerGroupTxID,
      amount,
      currency,
      description,
      echo,
      txID: newTxID(ctx.random),
      fingerprint,
      createdAt: now,
    };
    ctx.store.putRefund(refund);
    const unix = Math.floor(now.getTime() / 1000);
    ctx.notifier.notify(partner, {
      txType: "Refund",
      txID: refund.txID,
      partnerTxID,
      partnerGroupTxID,
      originTxID: charge.txID,
      merchantID,
      status: "success",
      txStatus: "success",
      amount: Number(amount),
      currency,
      paymentMethod: charge.paymentMethod,
      reason: "",
      createdAt: unix,
      completedAt: unix,
    });
    return json(200, refundView(refund));
  } catch (thrown) {
    if (thrown instanceof ParamError) return partnerError(thrown.error);
    throw thrown;
  }
}

export function refundStatus(
  ctx: Context,
  auth: Authenticated,
  partnerTxID: string,
  search: URLSearchParams,
): Sent {
  const refund = ctx.store.refund(auth.partner.partnerId, partnerTxID);
  if (!refund) return partnerError(ERR.notFound(`no refund with partnerTxID ${partnerTxID}`));
  if (auth.kind === "token" && auth.token.charge !== refund.charge) {
    return partnerError(ERR.forbidden("the access token was not issued for this refund's charge"));
  }
  try {
    if (requiredCurrency(search.get("currency")) !== refund.currency) {
      return partnerError(ERR.invalidArgument("currency does not match the refund's currency", "currency"));
    }
  } catch (thrown) {
    if (thrown instanceof ParamError) return partnerError(thrown.error);
    throw thrown;
  }
  return json(200, refundView(refund));
}
