/** Reads and checks an incoming pain.001.001.09 file the way a bank's file intake would. */
import currencyCodes from "currency-codes";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { isValidIbanChecksum } from "./iban.ts";

export const PAIN001_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

export interface Rejection {
  status: 400 | 422;
  code: string;
  /** ISO 20022 status reason code */
  reasonCode: string;
  message: string;
}

export interface IncomingTransfer {
  paymentInfoId: string;
  instructionId: string | null;
  endToEndId: string;
  /** as written in the file */
  amount: string;
  amountMinor: bigint;
  /** upper-case ISO 4217 */
  currency: string;
  creditorName: string;
  creditorIban: string;
}

export interface IncomingFile {
  messageId: string;
  numberOfTransactions: number;
  controlSum: string | null;
  transfers: IncomingTransfer[];
}

class Rejected extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.message);
  }
}

function reject(code: string, reasonCode: string, message: string, status: 400 | 422 = 422): never {
  throw new Rejected({ status, code, reasonCode, message });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  ignoreDeclaration: true,
});

// biome-ignore lint/suspicious/noExplicitAny: parsed XML, read defensively below
type Node = any;

const many = (node: Node): Node[] => (node == null ? [] : Array.isArray(node) ? node : [node]);

function leaf(node: Node): string | null {
  if (typeof node === "string") return node;
  if (node && typeof node === "object" && typeof node["#text"] === "string") return node["#text"];
  return null;
}

function need(node: Node, where: string, path: string): string {
  let current = node;
  for (const name of path.split("/")) current = current?.[name];
  const value = leaf(current);
  if (value === null || value.trim() === "") reject("invalid_file", "FF01", `${where}: ${path} is missing`);
  return value.trim();
}

/** Amounts and sums as integers in units of 10^-17, the finest DecimalNumber allows. */
const SCALE = 17;
function toFixedScale(text: string): bigint | null {
  const match = /^(\d{1,18})(?:\.(\d{1,17}))?$/.exec(text);
  if (!match) return null;
  return BigInt(`${match[1]}${(match[2] ?? "").padEnd(SCALE, "0")}`);
}

function checkTotals(where: string, node: Node, transfers: IncomingTransfer[], sums: bigint[]): void {
  const count = need(node, where, "NbOfTxs");
  if (count !== String(transfers.length)) {
    reject(
      "number_of_transactions_mismatch",
      "AM18",
      `${where}: NbOfTxs is ${count}, the file holds ${transfers.length}`,
    );
  }
  const declared = leaf(node.CtrlSum);
  if (declared === null) return;
  const value = toFixedScale(declared.trim());
  const actual = sums.reduce((a, b) => a + b, 0n);
  if (value === null || value !== actual) {
    reject(
      "control_sum_mismatch",
      "AM10",
      `${where}: CtrlSum ${declared} is not the sum of the instructed amounts`,
    );
  }
}

function readTransfer(paymentInfoId: string, tx: Node, sepa: boolean): [IncomingTransfer, bigint] {
  const endToEndId = need(tx, "CdtTrfTxInf", "PmtId/EndToEndId");
  const where = `transaction ${endToEndId}`;
  if (endToEndId.length > 35) reject("invalid_file", "FF01", `${where}: EndToEndId is longer than 35`);
  const amount = need(tx, where, "Amt/InstdAmt");
  const currency = String(tx.Amt.InstdAmt["@Ccy"] ?? "");
  const digits = currencyCodes.code(currency)?.digits;
  if (digits === undefined) reject("invalid_currency", "AM03", `${where}: unknown currency '${currency}'`);
  if (sepa && currency !== "EUR")
    reject("invalid_currency", "AM03", `${where}: SEPA transfers are in EUR only`);
  const match = /^(\d{1,18})(?:\.(\d+))?$/.exec(amount);
  const fraction = match?.[2] ?? "";
  if (!match || fraction.length > digits) {
    reject(
      "invalid_amount",
      "AM12",
      `${where}: '${amount}' is not an amount in ${currency} (${digits} decimals)`,
    );
  }
  const amountMinor = BigInt(`${match[1]}${fraction.padEnd(digits, "0")}`);
  if (amountMinor <= 0n) reject("invalid_amount", "AM01", `${where}: the amount is zero`);
  const creditorIban = need(tx, where, "CdtrAcct/Id/IBAN");
  if (!isValidIbanChecksum(creditorIban)) {
    reject("invalid_iban", "AC01", `${where}: creditor IBAN ${creditorIban} fails the IBAN check`);
  }
  const transfer: IncomingTransfer = {
    paymentInfoId,
    instructionId: leaf(tx.PmtId?.InstrId),
    endToEndId,
    amount,
    amountMinor,
    currency,
    creditorName: need(tx, where, "Cdtr/Nm"),
    creditorIban,
  };
  return [transfer, toFixedScale(amount) ?? 0n];
}

function readFile(xml: string): IncomingFile {
  if (/<!DOCTYPE/i.test(xml)) reject("malformed_xml", "FF01", "DOCTYPE is not accepted", 400);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) reject("malformed_xml", "FF01", `XML is not well formed: ${valid.err.msg}`, 400);
  const document = parser.parse(xml)?.Document;
  if (!document || typeof document !== "object") reject("malformed_xml", "FF01", "no Document element", 400);
  if (document["@xmlns"] !== PAIN001_NAMESPACE) {
    reject(
      "unsupported_message",
      "FF01",
      `expected namespace ${PAIN001_NAMESPACE}, got ${document["@xmlns"]}`,
    );
  }
  const message = document.CstmrCdtTrfInitn;
  if (!message?.GrpHdr) reject("invalid_file", "FF01", "CstmrCdtTrfInitn/GrpHdr is missing");
  const messageId = need(message, "GrpHdr", "GrpHdr/MsgId");
  if (messageId.length > 35) reject("invalid_file", "FF01", "MsgId is longer than 35");
  need(message, "GrpHdr", "GrpHdr/CreDtTm");

  const transfers: IncomingTransfer[] = [];
  const sums: bigint[] = [];
  const infos = many(message.PmtInf);
  if (infos.length === 0) reject("invalid_file", "FF01", "the file has no PmtInf");
  for (const info of infos) {
    const id = need(info, "PmtInf", "PmtInfId");
    const where = `PmtInf ${id}`;
    if (need(info, where, "PmtMtd") !== "TRF") reject("invalid_file", "FF01", `${where}: PmtMtd must be TRF`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(need(info, where, "ReqdExctnDt/Dt"))) {
      reject("invalid_file", "DT01", `${where}: ReqdExctnDt/Dt is not a date`);
    }
    const debtorIban = need(info, where, "DbtrAcct/Id/IBAN");
    if (!isValidIbanChecksum(debtorIban))
      reject("invalid_iban", "AC02", `${where}: debtor IBAN fails the IBAN check`);
    need(info, where, "Dbtr/Nm");
    const sepa = many(info.PmtTpInf?.SvcLvl).some((level: Node) => leaf(level?.Cd) === "SEPA");
    const read = many(info.CdtTrfTxInf).map((tx: Node) => readTransfer(id, tx, sepa));
    if (read.length === 0) reject("invalid_file", "FF01", `${where}: no CdtTrfTxInf`);
    checkTotals(
      where,
      info,
      read.map(([t]) => t),
      read.map(([, sum]) => sum),
    );
    for (const [transfer, sum] of read) {
      transfers.push(transfer);
      sums.push(sum);
    }
  }
  checkTotals("GrpHdr", message.GrpHdr, transfers, sums);
  const ids = new Set(transfers.map((t) => t.endToEndId));
  if (ids.size !== transfers.length) reject("duplicate_end_to_end_id", "AM05", "an EndToEndId appears twice");
  return {
    messageId,
    numberOfTransactions: transfers.length,
    controlSum: leaf(message.GrpHdr.CtrlSum),
    transfers,
  };
}

export function readCreditTransferFile(
  xml: string,
): { ok: true; file: IncomingFile } | { ok: false; rejection: Rejection } {
  try {
    return { ok: true, file: readFile(xml) };
  } catch (error) {
    if (error instanceof Rejected) return { ok: false, rejection: error.rejection };
    throw error;
  }
}
