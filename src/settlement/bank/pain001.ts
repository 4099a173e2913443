/**
 * ISO 20022 pain.001.001.09 (CustomerCreditTransferInitiation): the file that asks our bank to pay
 * payouts out of the platform's account. One PmtInf per currency; EUR goes as SEPA credit transfers.
 */
import { electronicFormatIBAN, isValidBIC, isValidIBAN } from "ibantools";
import { findCurrency } from "../../core/money.ts";
import { toSepaText } from "./bank-account.ts";
import {
  type Decimal,
  decimalEquals,
  formatDecimal,
  formatMinorUnits,
  parseDecimal,
  sumMinorUnits,
  toMinorUnits,
} from "./decimal.ts";
import { BankFileError } from "./errors.ts";
import {
  el,
  list,
  readDocument,
  renderXml,
  requiredText,
  textAt,
  type XmlElement,
  type XmlNode,
} from "./xml.ts";

export const PAIN001_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

export interface CreditTransfer {
  /** the payout id; the bank reports each transfer's status under it */
  endToEndId: string;
  instructionId?: string;
  /** minor units */
  amount: bigint;
  /** lower-case ISO 4217 */
  currency: string;
  creditor: { name: string; iban: string; bic?: string | null };
  remittanceInformation: string;
}

export interface CreditTransferBatch {
  messageId: string;
  createdAt: Date;
  initiatingParty: { name: string };
  debtor: { name: string; iban: string; bic: string };
  /** YYYY-MM-DD */
  requestedExecutionDate: string;
  payments: CreditTransfer[];
}

const MAX_ID_LENGTH = 35;
const MAX_NAME_LENGTH = 70;
const MAX_REMITTANCE_LENGTH = 140;
/** ActiveOrHistoricCurrencyAndAmount and DecimalNumber allow 18 digits in all. */
const MAX_DIGITS = 18;
/** The EPC rulebook's largest SEPA credit transfer: 999,999,999.99 EUR. */
const MAX_SEPA_AMOUNT = 99_999_999_999n;
const PRINTABLE_ID = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

function fail(message: string): never {
  throw new BankFileError(`pain.001: ${message}`);
}

function checkId(what: string, id: string): string {
  if (typeof id !== "string" || id.length === 0) fail(`${what} is missing`);
  if (id.length > MAX_ID_LENGTH) fail(`${what} '${id}' is ${id.length} characters; the limit is 35`);
  if (!PRINTABLE_ID.test(id))
    fail(`${what} '${id}' may only hold printable ASCII, without spaces at its ends`);
  return id;
}

function sepaName(what: string, name: string): string {
  const text = toSepaText(name).slice(0, MAX_NAME_LENGTH).trim();
  if (text.length === 0) fail(`${what} name is empty once reduced to the SEPA character set`);
  return text;
}

function checkIban(what: string, iban: string): string {
  const electronic = electronicFormatIBAN(iban) ?? "";
  if (!isValidIBAN(electronic)) fail(`${what} IBAN '${iban}' is not a valid IBAN`);
  return electronic;
}

function checkBic(what: string, bic: string | null | undefined): string | null {
  if (bic === null || bic === undefined || bic.trim() === "") return null;
  const normalized = bic.replace(/\s+/g, "").toUpperCase();
  if (!isValidBIC(normalized)) fail(`${what} BIC '${bic}' is not a valid BIC`);
  return normalized;
}

function checkDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const parsed = match ? new Date(`${date}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    fail(`requestedExecutionDate '${date}' is not a YYYY-MM-DD date`);
  }
  return date;
}

function formatSum(what: string, sum: Decimal): string {
  if (sum.units >= 10n ** BigInt(MAX_DIGITS)) fail(`${what} has more than ${MAX_DIGITS} digits`);
  return formatDecimal(sum);
}

interface PreparedTransfer {
  endToEndId: string;
  instructionId: string | null;
  amount: bigint;
  currency: string;
  exponent: number;
  creditor: { name: string; iban: string; bic: string | null };
  remittance: string;
}

function prepare(payment: CreditTransfer): PreparedTransfer {
  const endToEndId = checkId("endToEndId", payment.endToEndId);
  const where = `payment ${endToEndId}`;
  const currency = findCurrency(payment.currency ?? "");
  if (!currency) fail(`${where}: unknown currency '${payment.currency}'`);
  if (typeof payment.amount !== "bigint" || payment.amount <= 0n) {
    fail(`${where}: amount must be a positive bigint of minor units, got ${String(payment.amount)}`);
  }
  if (payment.amount >= 10n ** BigInt(MAX_DIGITS))
    fail(`${where}: amount has more than ${MAX_DIGITS} digits`);
  if (currency.code === "eur" && payment.amount > MAX_SEPA_AMOUNT) {
    fail(`${where}: a SEPA credit transfer is at most 999999999.99 EUR`);
  }
  const remittance = payment.remittanceInformation ?? "";
  if (remittance.length > MAX_REMITTANCE_LENGTH) {
    fail(`${where}: remittanceInformation is ${remittance.length} characters; the limit is 140`);
  }
  return {
    endToEndId,
    instructionId:
      payment.instructionId === undefined ? null : checkId("instructionId", payment.instructionId),
    amount: payment.amount,
    currency: currency.code,
    exponent: currency.exponent,
    creditor: {
      name: sepaName(`${where}: creditor`, payment.creditor.name),
      iban: checkIban(`${where}: creditor`, payment.creditor.iban),
      bic: checkBic(`${where}: creditor`, payment.creditor.bic),
    },
    remittance: toSepaText(remittance).slice(0, MAX_REMITTANCE_LENGTH).trim(),
  };
}

function account(iban: string): XmlElement {
  return el("Id", [el("IBAN", iban)]);
}

function agent(bic: string): XmlElement[] {
  return [el("FinInstnId", [el("BICFI", bic)])];
}

function transferElement(t: PreparedTransfer): XmlElement {
  return el("CdtTrfTxInf", [
    el("PmtId", [t.instructionId !== null && el("InstrId", t.instructionId), el("EndToEndId", t.endToEndId)]),
    el("Amt", [el("InstdAmt", formatMinorUnits(t.amount, t.exponent), { Ccy: t.currency.toUpperCase() })]),
    t.creditor.bic !== null && el("CdtrAgt", agent(t.creditor.bic)),
    el("Cdtr", [el("Nm", t.creditor.name)]),
    el("CdtrAcct", [account(t.creditor.iban)]),
    t.remittance !== "" && el("RmtInf", [el("Ustrd", t.remittance)]),
  ]);
}

function paymentInfoId(messageId: string, currency: string): string {
  const suffix = `-${currency.toUpperCase()}`;
  return `${messageId.slice(0, MAX_ID_LENGTH - suffix.length)}${suffix}`;
}

export function buildPain001(batch: CreditTransferBatch): string {
  const messageId = checkId("messageId", batch.messageId);
  if (!(batch.createdAt instanceof Date) || Number.isNaN(batch.createdAt.getTime())) {
    fail("createdAt is not a valid date");
  }
  if (!Array.isArray(batch.payments) || batch.payments.length === 0) fail("the batch has no payments");
  const executionDate = checkDate(batch.requestedExecutionDate);
  const debtor = {
    name: sepaName("debtor", batch.debtor.name),
    iban: checkIban("debtor", batch.debtor.iban),
    bic: checkBic("debtor", batch.debtor.bic) ?? fail("debtor BIC is missing"),
  };

  const groups = new Map<string, PreparedTransfer[]>();
  const seen = new Set<string>();
  for (const payment of batch.payments) {
    const prepared = prepare(payment);
    if (seen.has(prepared.endToEndId)) fail(`endToEndId ${prepared.endToEndId} appears twice in the batch`);
    seen.add(prepared.endToEndId);
    const group = groups.get(prepared.currency) ?? [];
    group.push(prepared);
    groups.set(prepared.currency, group);
  }
  const all = [...groups.values()].flat();

  const paymentInfos = [...groups.entries()].map(([currency, transfers]) => {
    const sepa = currency === "eur";
    return el("PmtInf", [
      el("PmtInfId", paymentInfoId(messageId, currency)),
      el("PmtMtd", "TRF"),
      el("BtchBookg", "true"),
      el("NbOfTxs", String(transfers.length)),
      el("CtrlSum", formatSum(`CtrlSum of ${currency}`, sumMinorUnits(transfers))),
      sepa && el("PmtTpInf", [el("SvcLvl", [el("Cd", "SEPA")])]),
      el("ReqdExctnDt", [el("Dt", executionDate)]),
      el("Dbtr", [el("Nm", debtor.name)]),
      el("DbtrAcct", [account(debtor.iban)]),
      el("DbtrAgt", agent(debtor.bic)),
      el("ChrgBr", sepa ? "SLEV" : "SHAR"),
      ...transfers.map(transferElement),
    ]);
  });

  return renderXml(
    el(
      "Document",
      [
        el("CstmrCdtTrfInitn", [
          el("GrpHdr", [
            el("MsgId", messageId),
            el("CreDtTm", batch.createdAt.toISOString().replace(/\.\d{3}Z$/, "Z")),
            el("NbOfTxs", String(all.length)),
            el("CtrlSum", formatSum("CtrlSum", sumMinorUnits(all))),
            el("InitgPty", [el("Nm", sepaName("initiating party", batch.initiatingParty.name))]),
          ]),
          ...paymentInfos,
        ]),
      ],
      { xmlns: PAIN001_NAMESPACE },
    ),
  );
}

export interface ParsedPaymentInfo {
  id: string;
  serviceLevel: string | null;
  chargeBearer: string | null;
  requestedExecutionDate: string;
  debtor: { name: string; iban: string; bic: string | null };
  numberOfTransactions: number;
  controlSum: string | null;
}

export interface ParsedCreditTransfer {
  paymentInfoId: string;
  endToEndId: string;
  instructionId: string | null;
  amount: bigint;
  currency: string;
  creditor: { name: string; iban: string; bic: string | null };
  remittanceInformation: string | null;
}

export interface ParsedPain001 {
  messageId: string;
  createdAt: string;
  initiatingParty: { name: string };
  numberOfTransactions: number;
  controlSum: string | null;
  paymentInfos: ParsedPaymentInfo[];
  payments: ParsedCreditTransfer[];
}

function parseCount(where: string, text: string): number {
  if (!/^\d{1,15}$/.test(text)) fail(`${where}: NbOfTxs '${text}' is not a number`);
  return Number(text);
}

/** Checks the declared NbOfTxs and CtrlSum (when present) against the transactions themselves. */
function checkTotals(
  where: string,
  node: XmlNode,
  transfers: ParsedCreditTransfer[],
): [number, string | null] {
  const count = parseCount(where, requiredText(node, where, "NbOfTxs"));
  if (count !== transfers.length) {
    fail(`${where}: NbOfTxs says ${count} but there are ${transfers.length} transactions`);
  }
  const declared = textAt(node, "CtrlSum");
  if (declared !== null) {
    const value = parseDecimal(declared) ?? fail(`${where}: CtrlSum '${declared}' is not a decimal`);
    const actual = sumMinorUnits(
      transfers.map((t) => ({ amount: t.amount, exponent: exponentOf(t.currency) })),
    );
    if (!decimalEquals(value, actual)) {
      fail(
        `${where}: CtrlSum ${declared} differs from the sum of the transactions, ${formatDecimal(actual)}`,
      );
    }
  }
  return [count, declared];
}

function exponentOf(currency: string): number {
  return findCurrency(currency)?.exponent ?? fail(`unknown currency '${currency}'`);
}

function parseTransfer(paymentInfoId: string, node: XmlNode): ParsedCreditTransfer {
  const endToEndId = requiredText(node, "CdtTrfTxInf", "PmtId", "EndToEndId");
  const where = `transaction ${endToEndId}`;
  const amountNode = node?.Amt?.InstdAmt;
  const currency = String(amountNode?.["@_Ccy"] ?? "").toLowerCase();
  const text = requiredText(node, where, "Amt", "InstdAmt");
  const amount = toMinorUnits(text, exponentOf(currency));
  if (amount === null || amount <= 0n)
    fail(`${where}: '${text} ${currency.toUpperCase()}' is not a valid amount`);
  const remittance = list(node?.RmtInf?.Ustrd).filter((part) => typeof part === "string");
  return {
    paymentInfoId,
    endToEndId,
    instructionId: textAt(node, "PmtId", "InstrId"),
    amount,
    currency,
    creditor: {
      name: requiredText(node, where, "Cdtr", "Nm"),
      iban: requiredText(node, where, "CdtrAcct", "Id", "IBAN"),
      bic: textAt(node, "CdtrAgt", "FinInstnId", "BICFI"),
    },
    remittanceInformation: remittance.length > 0 ? remittance.join(" ") : null,
  };
}

export function parsePain001(xml: string): ParsedPain001 {
  const message = readDocument(xml, PAIN001_NAMESPACE, "CstmrCdtTrfInitn");
  const header = message.GrpHdr;
  const paymentInfos: ParsedPaymentInfo[] = [];
  const payments: ParsedCreditTransfer[] = [];
  const infos = list(message.PmtInf);
  if (infos.length === 0) fail("the file has no PmtInf");
  for (const info of infos) {
    const id = requiredText(info, "PmtInf", "PmtInfId");
    const where = `PmtInf ${id}`;
    const transfers = list(info.CdtTrfTxInf).map((tx: XmlNode) => parseTransfer(id, tx));
    if (transfers.length === 0) fail(`${where}: no CdtTrfTxInf`);
    const [count, controlSum] = checkTotals(where, info, transfers);
    paymentInfos.push({
      id,
      serviceLevel: textAt(list(info.PmtTpInf?.SvcLvl)[0], "Cd"),
      chargeBearer: textAt(info, "ChrgBr"),
      requestedExecutionDate:
        textAt(info, "ReqdExctnDt", "Dt") ?? requiredText(info, where, "ReqdExctnDt", "DtTm"),
      debtor: {
        name: requiredText(info, where, "Dbtr", "Nm"),
        iban: requiredText(info, where, "DbtrAcct", "Id", "IBAN"),
        bic: textAt(info, "DbtrAgt", "FinInstnId", "BICFI"),
      },
      numberOfTransactions: count,
      controlSum,
    });
    payments.push(...transfers);
  }
  const [count, controlSum] = checkTotals("GrpHdr", header, payments);
  return {
    messageId: requiredText(header, "GrpHdr", "MsgId"),
    createdAt: requiredText(header, "GrpHdr", "CreDtTm"),
    initiatingParty: { name: textAt(header, "InitgPty", "Nm") ?? "" },
    numberOfTransactions: count,
    controlSum,
    paymentInfos,
    payments,
  };
}
