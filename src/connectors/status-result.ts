import type { AuthorizeResult, ModifyResult, PaymentStatus, RefundStatus } from "./contract.ts";

/**
 * A provider's status of a payment as the answer to starting it or to the shopper's return. What an
 * authorize answer cannot say (expired, voided, review, not found, still waiting) comes back `pending`
 * with the connector's `reason`: Payrail's next sync tells those apart.
 */
export function statusAsAuthorizeResult(
  status: PaymentStatus,
  reason: (status: PaymentStatus) => string,
): AuthorizeResult {
  switch (status.status) {
    case "authorized":
      return {
        outcome: "authorized",
        connectorReference: status.connectorReference,
        amount: status.amount,
        currency: status.currency,
        captured: status.captured,
        ...(status.networkTransactionId ? { networkTransactionId: status.networkTransactionId } : {}),
      };
    case "declined":
      return {
        outcome: "declined",
        declineCode: status.declineCode,
        providerMessage: status.providerMessage,
        connectorReference: status.connectorReference,
      };
    case "requires_action":
      return {
        outcome: "requires_action",
        connectorReference: status.connectorReference,
        action: status.action,
        ...(status.expiresAt ? { expiresAt: status.expiresAt } : {}),
      };
    default: {
      const connectorReference = "connectorReference" in status ? status.connectorReference : undefined;
      return connectorReference
        ? { outcome: "pending", connectorReference, reason: reason(status) }
        : { outcome: "pending", reason: reason(status) };
    }
  }
}

/**
 * A provider's status of a refund as the answer to asking for it. Still running or not found yet is
 * `pending` (never a failure); `paymentReference` stands in when the refund has no id of its own yet.
 */
export function refundStatusAsModifyResult(status: RefundStatus, paymentReference?: string): ModifyResult {
  switch (status.status) {
    case "succeeded":
      return {
        outcome: "succeeded",
        connectorReference: status.connectorReference,
        amount: status.amount,
        currency: status.currency,
      };
    case "failed":
      return { outcome: "failed", reason: status.reason };
    case "pending":
      return {
        outcome: "pending",
        connectorReference: status.connectorReference ?? paymentReference,
        reason: "refund_processing",
      };
    case "not_found":
      return paymentReference
        ? { outcome: "pending", connectorReference: paymentReference, reason: "refund_not_found" }
        : { outcome: "pending", reason: "refund_not_found" };
  }
}
