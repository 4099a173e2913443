/**
 * ISO 20022 pain.002.001.10 (CustomerPaymentStatusReport): the bank's answer to a pain.001, per file,
 * per payment group and per transaction. An unknown or missing status is pending, never paid.
 */
import { findCurrency } from "../../core/money.ts";
import { toMinorUnits } from "./decimal.ts";
import { BankFileError } from "./errors.ts";
import { list, readDocument, requiredText, textAt, type XmlNode } from "./xml.ts";

export const PAIN002_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10";

/** ISO 20022 external status reason codes banks commonly return for credit transfers. */
export const BANK_REASON_CODES: Readonly<Record<string, string>> = {
  AC01: "Incorrect account number: the IBAN does not exist at the receiving bank.",
  AC04: "Closed account number: the receiving account has been closed.",
  AC06: "Blocked account: the receiving account is blocked and cannot take payments.",
  AG01: "Transaction forbidden: this kind of transfer is not allowed on the receiving account.",
  AM04: "Insufficient funds: the paying account did not cover the amount.",
  AM05: "Duplication: the transfer was already executed.",
  AM10: "Invalid control sum: the file's control sum does not match its amounts.",
  BE04: "Missing creditor address: the receiving bank needs the beneficiary's address.",
  FF01: "Invalid file format: the bank could not read the file.",
  MD07: "End customer deceased: the account holder has died.",
  MS02: "Not specified reason by the customer.",
  MS03: "Reason not specified by the bank.",
  RC01: "Bank identifier incorrect: the BIC is wrong or unknown.",
  RR04: "Regulatory reason: the transfer was stopped for regulatory (sanctions, AML) reasons.",
  DUPL: "Duplicate payment: the bank already received this payment.",
};

export type BankTransferStatus = "paid" | "failed" | "pending";

export interface StatusReportTransaction {
  endToEndId: string;
  instructionId: string | null;
  /** the ISO TxSts as sent (or inherited from the group), for the record */
  isoStatus: string | null;
  status: BankTransferStatus;
  reasonCode: string | null;
  reasonText: string | null;
  /** the amount the bank quotes back, when it does; compare it with what was asked */
  amount: bigint | null;
  currency: string | null;
}

export interface StatusReport {
  messageId: string;
  originalMessageId: string;
  originalMessageNameId: string | null;
  /** GrpSts: ACCP, PART, RJCT, ... or null */
  groupStatus: string | null;
  groupReasonCode: string | null;
  transactions: StatusReportTransaction[];
}

const STATUS: Record<string, BankTransferStatus> = {
  ACSC: "paid",
  ACCC: "paid",
  RJCT: "failed",
  ACSP: "pending",
  ACTC: "pending",
  PDNG: "pending",
};

export function mapTransferStatus(isoStatus: string | null): BankTransferStatus {
  return (isoStatus !== null && STATUS[isoStatus]) || "pending";
}

export function describeBankReason(code: string): string {
  return BANK_REASON_CODES[code] ?? `The bank gave reason code ${code}.`;
}

function firstReason(node: XmlNode): { code: string | null; text: string | null } {
  const info = list(node?.StsRsnInf)[0];
  if (!info) return { code: null, text: null };
  const code = textAt(info, "Rsn", "Cd") ?? textAt(info, "Rsn", "Prtry");
  const details = list(info.AddtlInf).filter((part) => typeof part === "string" && part !== "");
  const text =
    details.length > 0 ? details.join(" ") : code !== null ? (BANK_REASON_CODES[code] ?? null) : null;
  return { code, text };
}

function quotedAmount(tx: XmlNode): { amount: bigint | null; currency: string | null } {
  const node = tx?.OrgnlTxRef?.Amt?.InstdAmt;
  const text = textAt(tx, "OrgnlTxRef", "Amt", "InstdAmt");
  const currency = typeof node?.["@_Ccy"] === "string" ? node["@_Ccy"].toLowerCase() : null;
  const exponent = currency === null ? undefined : findCurrency(currency)?.exponent;
  if (text === null || currency === null || exponent === undefined) return { amount: null, currency: null };
  return { amount: toMinorUnits(text, exponent), currency };
}

export function parsePain002(xml: string): StatusReport {
  const message = readDocument(xml, PAIN002_NAMESPACE, "CstmrPmtStsRpt");
  const group = message.OrgnlGrpInfAndSts;
  if (!group || typeof group !== "object") throw new BankFileError("pain.002: missing OrgnlGrpInfAndSts");
  const groupStatus = textAt(group, "GrpSts");
  const transactions: StatusReportTransaction[] = [];
  for (const info of list(message.OrgnlPmtInfAndSts)) {
    // A transaction without its own TxSts takes its payment group's status, then the file's.
    const inherited = textAt(info, "PmtInfSts") ?? groupStatus;
    for (const tx of list(info?.TxInfAndSts)) {
      const endToEndId = requiredText(tx, "pain.002: TxInfAndSts", "OrgnlEndToEndId");
      const isoStatus = textAt(tx, "TxSts") ?? inherited;
      const ownReason = firstReason(tx);
      const reason = ownReason.code !== null ? ownReason : firstReason(info);
      transactions.push({
        endToEndId,
        instructionId: textAt(tx, "OrgnlInstrId"),
        isoStatus,
        status: mapTransferStatus(isoStatus),
        reasonCode: reason.code,
        reasonText: reason.text,
        ...quotedAmount(tx),
      });
    }
  }
  return {
    messageId: requiredText(message, "pain.002", "GrpHdr", "MsgId"),
    originalMessageId: requiredText(group, "pain.002", "OrgnlMsgId"),
    originalMessageNameId: textAt(group, "OrgnlMsgNmId"),
    groupStatus,
    groupReasonCode: firstReason(group).code,
    transactions,
  };
}
