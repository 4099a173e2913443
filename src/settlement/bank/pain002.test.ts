import assert from "node:assert/strict";
import { test } from "node:test";
import { BankFileError } from "./errors.ts";
import { BANK_REASON_CODES, mapTransferStatus, PAIN002_NAMESPACE, parsePain002 } from "./pain002.ts";

function report(body: string, groupStatus = "PART"): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${PAIN002_NAMESPACE}">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>STS-1</MsgId><CreDtTm>2024-05-02T08:00:00Z</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>MSG-1</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
      <GrpSts>${groupStatus}</GrpSts>
    </OrgnlGrpInfAndSts>
    ${body}
  </CstmrPmtStsRpt>
</Document>`;
}

test("maps ISO transaction statuses; anything unknown stays pending", () => {
  const xml = report(`
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>MSG-1-EUR</OrgnlPmtInfId>
      <TxInfAndSts><OrgnlInstrId>I-1</OrgnlInstrId><OrgnlEndToEndId>po_1</OrgnlEndToEndId><TxSts>ACSC</TxSts>
        <OrgnlTxRef><Amt><InstdAmt Ccy="EUR">1234.50</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts>
      <TxInfAndSts><OrgnlEndToEndId>po_2</OrgnlEndToEndId><TxSts>ACCC</TxSts></TxInfAndSts>
      <TxInfAndSts><OrgnlEndToEndId>po_3</OrgnlEndToEndId><TxSts>RJCT</TxSts>
        <StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>
      <TxInfAndSts><OrgnlEndToEndId>po_4</OrgnlEndToEndId><TxSts>RJCT</TxSts>
        <StsRsnInf><Rsn><Prtry>X99</Prtry></Rsn><AddtlInf>Beneficiary &amp; bank</AddtlInf><AddtlInf>unknown</AddtlInf></StsRsnInf></TxInfAndSts>
      <TxInfAndSts><OrgnlEndToEndId>po_5</OrgnlEndToEndId><TxSts>ACSP</TxSts></TxInfAndSts>
      <TxInfAndSts><OrgnlEndToEndId>po_6</OrgnlEndToEndId><TxSts>ACTC</TxSts></TxInfAndSts>
      <TxInfAndSts><OrgnlEndToEndId>po_7</OrgnlEndToEndId><TxSts>PDNG</TxSts></TxInfAndSts>
      <TxInfAndSts><OrgnlEndToEndId>po_8</OrgnlEndToEndId><TxSts>ZZZZ</TxSts></TxInfAndSts>
    </OrgnlPmtInfAndSts>`);
  const parsed = parsePain002(xml);
  assert.equal(parsed.messageId, "STS-1");
  assert.equal(parsed.originalMessageId, "MSG-1");
  assert.equal(parsed.originalMessageNameId, "pain.001.001.09");
  assert.equal(parsed.groupStatus, "PART");
  assert.deepEqual(
    parsed.transactions.map((t) => [t.endToEndId, t.status, t.reasonCode, t.reasonText]),
    [
      ["po_1", "paid", null, null],
      ["po_2", "paid", null, null],
      ["po_3", "failed", "AC04", BANK_REASON_CODES.AC04],
      ["po_4", "failed", "X99", "Beneficiary & bank unknown"],
      ["po_5", "pending", null, null],
      ["po_6", "pending", null, null],
      ["po_7", "pending", null, null],
      ["po_8", "pending", null, null],
    ],
  );
  assert.equal(parsed.transactions[0]?.instructionId, "I-1");
  assert.equal(parsed.transactions[0]?.amount, 123450n);
  assert.equal(parsed.transactions[0]?.currency, "eur");
  assert.equal(parsed.transactions[1]?.amount, null);
});

test("a transaction without TxSts takes its group's status and reason", () => {
  const xml = report(
    `<OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>MSG-1-EUR</OrgnlPmtInfId>
      <PmtInfSts>RJCT</PmtInfSts>
      <StsRsnInf><Rsn><Cd>AM04</Cd></Rsn></StsRsnInf>
      <TxInfAndSts><OrgnlEndToEndId>po_1</OrgnlEndToEndId></TxInfAndSts>
    </OrgnlPmtInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>MSG-1-JPY</OrgnlPmtInfId>
      <TxInfAndSts><OrgnlEndToEndId>po_2</OrgnlEndToEndId></TxInfAndSts>
    </OrgnlPmtInfAndSts>`,
    "ACCP",
  );
  const [first, second] = parsePain002(xml).transactions;
  assert.equal(first?.status, "failed");
  assert.equal(first?.reasonCode, "AM04");
  assert.equal(second?.status, "pending", "ACCP (accepted, not yet settled) is not paid");
});

test("a whole-file rejection without transactions keeps the group status and reason", () => {
  const xml = report("", "RJCT").replace(
    "<GrpSts>RJCT</GrpSts>",
    "<GrpSts>RJCT</GrpSts><StsRsnInf><Rsn><Cd>FF01</Cd></Rsn></StsRsnInf>",
  );
  const parsed = parsePain002(xml);
  assert.equal(parsed.groupStatus, "RJCT");
  assert.equal(parsed.groupReasonCode, "FF01");
  assert.deepEqual(parsed.transactions, []);
});

test("refuses other messages and broken XML", () => {
  assert.throws(() => parsePain002(report("").replace("pain.002.001.10", "pain.002.001.03")), BankFileError);
  assert.throws(() => parsePain002("<Document>"), BankFileError);
  assert.throws(() => parsePain002(`<!DOCTYPE x [<!ENTITY a "b">]>${report("")}`), /DOCTYPE/);
  assert.equal(mapTransferStatus(null), "pending");
  for (const code of [
    "AC01",
    "AC04",
    "AC06",
    "AG01",
    "AM04",
    "BE04",
    "MD07",
    "MS03",
    "RC01",
    "RR04",
    "FF01",
    "DUPL",
  ]) {
    assert.equal(typeof BANK_REASON_CODES[code], "string", code);
  }
});
