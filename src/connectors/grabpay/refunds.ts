/**
 * Refunds of a successful charge, full or partial, with the partner HMAC. Our refund reference is the
 * refund's partnerTxID, GrabPay's idempotency handle: the same body again answers the same refund.
 */
import type { ModifyRequest, ModifyResult, RefundStatus, SyncRequest } from "../contract.ts";
import { toGrabPayAmount } from "./amounts.ts";
import { grabPayClient } from "./client.ts";
import { currencyOfMarket } from "./config.ts";
import { type GrabPayAccount, lookupCharge, unexpected } from "./payments.ts";
import { type ChargeHandle, parseChargeHandle, partnerTxIdFor } from "./references.ts";
import {
  chargeState,
  parseRefundEcho,
  refundEcho,
  refundStatusToModifyResult,
  refundToRefundStatus,
} from "./transformers.ts";
import { parsePartnerError, parseRefund } from "./wire.ts";

/** Refusals GrabPay gives for a refund that will never succeed as asked. */
function refusal(status: number, body: unknown): ModifyResult | undefined {
  const error = parsePartnerError(body);
  if (!error) return undefined;
  if (status === 404)
    return { outcome: "failed", reason: "charge_not_found", providerMessage: error.message };
  if (status === 409)
    return { outcome: "failed", reason: "reference_reused", providerMessage: error.message };
  if (status === 400) {
    const reason = error.reason === "amount" ? "amount_exceeds_refundable" : error.reason || error.code;
    return { outcome: "failed", reason, providerMessage: error.message };
  }
  return undefined;
}

/** The charge's txID: kept in the handle once GrabPay named it, else asked for. */
async function originTxIdOf(
  a: GrabPayAccount,
  handle: ChargeHandle,
): Promise<{ txID: string } | ModifyResult> {
  if (handle.txID) return { txID: handle.txID };
  const found = await lookupCharge(a, handle.partnerTxID);
  if (found.kind === "unknown") return { outcome: "pending", reason: "charge_status_unknown" };
  if (found.kind === "found" && chargeState(found.charge.txStatus, found.charge.reason) === "success") {
    return { txID: found.charge.txID };
  }
  return { outcome: "failed", reason: "charge_not_refundable" };
}

export async function refundCharge(a: GrabPayAccount, request: ModifyRequest): Promise<ModifyResult> {
  const handle = parseChargeHandle(request.connectorReference);
  if (!handle) return { outcome: "failed", reason: "charge_not_found" };
  const amount = toGrabPayAmount(request.amount, request.currency);
  if (amount === undefined) return { outcome: "failed", reason: "amount_not_representable" };
  const origin = await originTxIdOf(a, handle);
  if (!("txID" in origin)) return origin;
  const currency = request.currency.toUpperCase();
  const answer = await grabPayClient.refund(a.c, {
    partnerTxID: partnerTxIdFor(request.reference),
    partnerGroupTxID: handle.partnerTxID,
    amount: Number(amount),
    currency,
    merchantID: a.config.merchant_id,
    originTxID: origin.txID,
    echo: refundEcho(amount, currency),
  });
  if (answer.kind === "unknown") return { outcome: "pending", reason: answer.reason };
  if (answer.status === 200) {
    const refund = parseRefund(answer.body);
    if (!refund) return { outcome: "pending", reason: "malformed_response" };
    return refundStatusToModifyResult(
      refundToRefundStatus(refund, parseRefundEcho(refund.echo) ?? { amount, currency }),
    );
  }
  const refused = refusal(answer.status, answer.body);
  if (refused) return refused;
  throw unexpected("refund", answer);
}

export async function syncRefund(a: GrabPayAccount, request: SyncRequest): Promise<RefundStatus> {
  const currency = currencyOfMarket(a.config).toUpperCase();
  const answer = await grabPayClient.refundStatus(a.c, partnerTxIdFor(request.reference), currency);
  const known = request.connectorReference ?? undefined;
  if (answer.kind === "unknown") return { status: "pending", connectorReference: known };
  if (answer.status === 404) return { status: "not_found" };
  if (answer.status !== 200) throw unexpected("refund status", answer);
  const refund = parseRefund(answer.body);
  if (!refund) return { status: "pending", connectorReference: known };
  return refundToRefundStatus(refund, parseRefundEcho(refund.echo));
}
