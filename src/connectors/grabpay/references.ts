/**
 * How our references become GrabPay's `partnerTxID` (at most 32 characters), and what we keep as the
 * connector reference of a charge.
 */
import { createHash } from "node:crypto";

export const PARTNER_TX_ID_MAX = 32;
/** Marks a partnerTxID derived from a longer reference, which a notification cannot map back. */
const DERIVED_PREFIX = "H";

const SENDABLE = new RegExp(`^[A-Za-z0-9_-]{1,${PARTNER_TX_ID_MAX}}$`);

/** Our reference itself when it fits (Payrail's do), else a stable 32-character digest of it. */
export function partnerTxIdFor(reference: string): string {
  if (SENDABLE.test(reference)) return reference;
  const digest = createHash("sha256").update(reference, "utf8").digest("base64url");
  return `${DERIVED_PREFIX}${digest.slice(0, PARTNER_TX_ID_MAX - DERIVED_PREFIX.length)}`;
}

/** Undefined when the partnerTxID may be a digest: our reference is then unknown. */
export function referenceOf(partnerTxID: string): string | undefined {
  const derivedShape = new RegExp(`^${DERIVED_PREFIX}[A-Za-z0-9_-]{${PARTNER_TX_ID_MAX - 1}}$`);
  return derivedShape.test(partnerTxID) ? undefined : partnerTxID;
}

/**
 * The connector reference of a charge: `<partnerTxID>:<GrabPay amount>`, then `:<txID>` once GrabPay
 * names the transaction. GrabPay's status answers carry no amount, and a refund must name the charge's
 * txID and its partnerGroupTxID (our partnerTxID): Payrail keeps all three for us.
 */
export interface ChargeHandle {
  partnerTxID: string;
  /** In GrabPay's units (IDR and VND whole). */
  amount: bigint;
  txID?: string | undefined;
}

export function formatChargeHandle(handle: ChargeHandle): string {
  const base = `${handle.partnerTxID}:${handle.amount}`;
  return handle.txID ? `${base}:${handle.txID}` : base;
}

const HANDLE = /^([A-Za-z0-9_-]{1,32}):(\d{1,16})(?::([0-9A-Za-z_-]{1,64}))?$/;

export function parseChargeHandle(text: string | null | undefined): ChargeHandle | undefined {
  const match = HANDLE.exec(text ?? "");
  if (!match) return undefined;
  const [, partnerTxID = "", amount = "0", txID] = match;
  return { partnerTxID, amount: BigInt(amount), ...(txID ? { txID } : {}) };
}
