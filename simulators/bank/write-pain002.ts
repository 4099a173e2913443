/** Writes the pain.002.001.10 status report the simulated bank sends for each processed batch. */
import type { Batch, BatchTransaction } from "./store.ts";

export const PAIN002_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10";

const REPLACEMENTS: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};
const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => REPLACEMENTS[c] ?? c);

/** `tag("A", "x")` is a leaf, `tag("A", ["<B>..</B>"])` wraps children; null children are dropped. */
function tag(name: string, content: string | Array<string | null>, attrs = ""): string {
  if (typeof content === "string") return `<${name}${attrs}>${escapeXml(content)}</${name}>`;
  return `<${name}${attrs}>${content.filter((c) => c !== null).join("")}</${name}>`;
}

function statusOf(transactions: BatchTransaction[]): string {
  const paid = transactions.filter((t) => t.status === "paid").length;
  if (paid === transactions.length) return "ACCP";
  return paid === 0 ? "RJCT" : "PART";
}

function transaction(t: BatchTransaction, reasonText: (code: string) => string | undefined): string {
  const text = t.reasonCode === null ? undefined : reasonText(t.reasonCode);
  return tag("TxInfAndSts", [
    t.instructionId === null ? null : tag("OrgnlInstrId", t.instructionId),
    tag("OrgnlEndToEndId", t.endToEndId),
    tag("TxSts", t.status === "paid" ? "ACSC" : t.status === "failed" ? "RJCT" : "PDNG"),
    t.reasonCode === null
      ? null
      : tag("StsRsnInf", [
          tag("Rsn", [tag("Cd", t.reasonCode)]),
          text === undefined ? null : tag("AddtlInf", text),
        ]),
    tag("OrgnlTxRef", [tag("Amt", [tag("InstdAmt", t.amount, ` Ccy="${escapeXml(t.currency)}"`)])]),
  ]);
}

export function writeStatusReport(options: {
  messageId: string;
  createdAt: Date;
  batch: Batch;
  reasonText: (code: string) => string | undefined;
}): string {
  const { batch } = options;
  const groups = new Map<string, BatchTransaction[]>();
  for (const t of batch.transactions)
    groups.set(t.paymentInfoId, [...(groups.get(t.paymentInfoId) ?? []), t]);
  const body = tag("CstmrPmtStsRpt", [
    tag("GrpHdr", [
      tag("MsgId", options.messageId),
      tag("CreDtTm", options.createdAt.toISOString().replace(/\.\d{3}Z$/, "Z")),
    ]),
    tag("OrgnlGrpInfAndSts", [
      tag("OrgnlMsgId", batch.messageId),
      tag("OrgnlMsgNmId", "pain.001.001.09"),
      tag("OrgnlNbOfTxs", String(batch.transactions.length)),
      batch.controlSum === null ? null : tag("OrgnlCtrlSum", batch.controlSum),
      tag("GrpSts", statusOf(batch.transactions)),
    ]),
    ...[...groups.entries()].map(([id, transactions]) =>
      tag("OrgnlPmtInfAndSts", [
        tag("OrgnlPmtInfId", id),
        tag("OrgnlNbOfTxs", String(transactions.length)),
        tag("PmtInfSts", statusOf(transactions)),
        ...transactions.map((t) => transaction(t, options.reasonText)),
      ]),
    ),
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${tag("Document", [body], ` xmlns="${PAIN002_NAMESPACE}"`)}\n`;
}
