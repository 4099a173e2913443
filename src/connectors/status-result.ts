import type { AuthorizeResult, PaymentStatus } from "./contract.ts";

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
