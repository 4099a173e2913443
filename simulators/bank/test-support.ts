/** Helpers for the bank simulator's own tests: hand-written pain.001 files and raw HTTP calls. */
import { randomBytes } from "node:crypto";

export interface FileTx {
  id: string;
  amount: string;
  ccy?: string;
  iban: string;
}

export function uniqueMsgId(): string {
  return `MSG-${randomBytes(6).toString("hex")}`;
}

/** A pain.001.001.09 file with one PmtInf; sums default to the true ones and can be overridden. */
export function painFile(options: {
  msgId?: string;
  txs: FileTx[];
  groupCount?: string;
  groupSum?: string | null;
  infoCount?: string;
  infoSum?: string | null;
  namespace?: string;
  sepa?: boolean;
}): string {
  const cents = options.txs.reduce((sum, t) => sum + BigInt(t.amount.replace(".", "")), 0n);
  const trueSum = `${cents / 100n}.${String(cents % 100n).padStart(2, "0")}`;
  const count = String(options.txs.length);
  const sum = (value: string | null | undefined) =>
    value === null ? "" : `<CtrlSum>${value ?? trueSum}</CtrlSum>`;
  const txs = options.txs
    .map(
      (t) => `<CdtTrfTxInf><PmtId><EndToEndId>${t.id}</EndToEndId></PmtId>
        <Amt><InstdAmt Ccy="${t.ccy ?? "EUR"}">${t.amount}</InstdAmt></Amt>
        <Cdtr><Nm>Creditor ${t.id}</Nm></Cdtr><CdtrAcct><Id><IBAN>${t.iban}</IBAN></Id></CdtrAcct>
        <RmtInf><Ustrd>Payout ${t.id}</Ustrd></RmtInf></CdtTrfTxInf>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${options.namespace ?? "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}">
<CstmrCdtTrfInitn>
  <GrpHdr><MsgId>${options.msgId ?? uniqueMsgId()}</MsgId><CreDtTm>2024-05-01T10:00:00Z</CreDtTm>
    <NbOfTxs>${options.groupCount ?? count}</NbOfTxs>${sum(options.groupSum)}<InitgPty><Nm>Test</Nm></InitgPty></GrpHdr>
  <PmtInf><PmtInfId>PI-1</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg>
    <NbOfTxs>${options.infoCount ?? count}</NbOfTxs>${sum(options.infoSum)}
    ${options.sepa === false ? "" : "<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>"}
    <ReqdExctnDt><Dt>2024-05-02</Dt></ReqdExctnDt><Dbtr><Nm>Debtor</Nm></Dbtr>
    <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>
    <DbtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></DbtrAgt><ChrgBr>SLEV</ChrgBr>
    ${txs}
  </PmtInf>
</CstmrCdtTrfInitn>
</Document>`;
}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the wire JSON
  json: any;
}

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { key?: string | null; xml?: string; contentType?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (options.key !== null) headers.authorization = `Bearer ${options.key ?? "simbank_test_key"}`;
  if (options.xml !== undefined) headers["content-type"] = options.contentType ?? "application/xml";
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: options.xml });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}
