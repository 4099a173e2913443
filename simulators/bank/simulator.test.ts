import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { XMLParser } from "fast-xml-parser";
import { type BankSimulator, startBankSimulator } from "./index.ts";
import { call, painFile, uniqueMsgId } from "./test-support.ts";

const OK_IBAN = "NL91ABNA0417164300";
const CLOSED = "DE24370400440000000404";

let sim: BankSimulator;
before(async () => {
  sim = await startBankSimulator();
});
after(() => sim.close());
afterEach(() => {
  sim.clearFaults();
  sim.clearOutcomes();
});

const submit = (xml: string, extra: { key?: string | null; contentType?: string } = {}) =>
  call(sim.url, "POST", "/v1/credit-transfers", { xml, ...extra });

const reports = async (since?: string) => {
  const res = await call(sim.url, "GET", `/v1/status-reports${since ? `?since=${since}` : ""}`);
  assert.equal(res.status, 200);
  return res.json.reports as Array<{ report_id: string; batch_id: string; xml: string }>;
};

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false });

describe("file intake", () => {
  test("accepts a valid file with 202, its batch id and transaction count", async () => {
    const res = await submit(painFile({ txs: [{ id: "e1", amount: "10.00", iban: OK_IBAN }] }));
    assert.equal(res.status, 202);
    assert.match(res.json.batch_id, /^bb_\d{8}$/);
    assert.equal(res.json.received_transactions, 1);
    const batch = sim.batches().find((b) => b.batchId === res.json.batch_id);
    assert.equal(batch?.status, "received");
    assert.equal(batch?.transactions[0]?.amountMinor, 1000n);
  });

  test("needs the API key and an XML body", async () => {
    const xml = painFile({ txs: [{ id: "e1", amount: "1.00", iban: OK_IBAN }] });
    assert.equal((await submit(xml, { key: null })).status, 401);
    assert.equal((await submit(xml, { key: "wrong" })).status, 401);
    assert.equal((await submit(xml, { contentType: "application/json" })).status, 415);
    const broken = await submit("<Document><CstmrCdtTrfInitn>");
    assert.equal(broken.status, 400);
    assert.equal(broken.json.error.code, "malformed_xml");
  });

  test("refuses another message version", async () => {
    const res = await submit(
      painFile({
        namespace: "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
        txs: [{ id: "e1", amount: "1.00", iban: OK_IBAN }],
      }),
    );
    assert.equal(res.status, 422);
    assert.equal(res.json.error.code, "unsupported_message");
  });

  const txs = [
    { id: "e1", amount: "10.00", iban: OK_IBAN },
    { id: "e2", amount: "0.50", iban: OK_IBAN },
  ];
  const cases: Array<[string, Parameters<typeof painFile>[0], string, string]> = [
    ["group CtrlSum", { txs, groupSum: "10.49" }, "control_sum_mismatch", "AM10"],
    ["PmtInf CtrlSum", { txs, infoSum: "10.51" }, "control_sum_mismatch", "AM10"],
    ["group NbOfTxs", { txs, groupCount: "3" }, "number_of_transactions_mismatch", "AM18"],
    ["PmtInf NbOfTxs", { txs, infoCount: "1" }, "number_of_transactions_mismatch", "AM18"],
    [
      "creditor IBAN checksum",
      { txs: [{ id: "e1", amount: "1.00", iban: "NL91ABNA0417164301" }] },
      "invalid_iban",
      "AC01",
    ],
    [
      "EUR with 3 decimals",
      { txs: [{ id: "e1", amount: "1.001", iban: OK_IBAN }] },
      "invalid_amount",
      "AM12",
    ],
    [
      "JPY with decimals",
      { txs: [{ id: "e1", amount: "5.00", ccy: "JPY", iban: OK_IBAN }], sepa: false },
      "invalid_amount",
      "AM12",
    ],
    [
      "SEPA in USD",
      { txs: [{ id: "e1", amount: "5.00", ccy: "USD", iban: OK_IBAN }] },
      "invalid_currency",
      "AM03",
    ],
    ["repeated EndToEndId", { txs: [txs[0]!, txs[0]!] }, "duplicate_end_to_end_id", "AM05"],
  ];
  for (const [name, file, code, reason] of cases) {
    test(`refuses a wrong ${name} with 422 ${code}`, async () => {
      const res = await submit(painFile(file));
      assert.equal(res.status, 422, JSON.stringify(res.json));
      assert.equal(res.json.error.code, code);
      assert.equal(res.json.error.reason_code, reason);
      assert.equal(typeof res.json.error.message, "string");
    });
  }

  test("CtrlSum may be left out, and may carry more zeros", async () => {
    assert.equal((await submit(painFile({ txs, groupSum: null, infoSum: null }))).status, 202);
    assert.equal((await submit(painFile({ txs, groupSum: "10.500" }))).status, 202);
  });

  test("a MsgId seen before is a 409 that says whether it is the same file", async () => {
    const msgId = uniqueMsgId();
    const xml = painFile({ msgId, txs: [{ id: "e1", amount: "1.00", iban: OK_IBAN }] });
    const first = await submit(xml);
    assert.equal(first.status, 202);
    const again = await submit(xml);
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, "duplicate_message_id");
    assert.equal(again.json.error.reason_code, "DUPL");
    assert.equal(again.json.error.batch_id, first.json.batch_id);
    assert.equal(again.json.error.same_file, true);
    const other = await submit(painFile({ msgId, txs: [{ id: "e9", amount: "2.00", iban: OK_IBAN }] }));
    assert.equal(other.status, 409);
    assert.equal(other.json.error.same_file, false);
  });

  test("injected faults fail the next N submissions, then clear", async () => {
    const file = () => painFile({ txs: [{ id: "e1", amount: "1.00", iban: OK_IBAN }] });
    sim.injectFault({ kind: "unavailable", count: 2 });
    sim.injectFault({ kind: "reject_file" });
    const before = sim.batches().length;
    assert.equal((await submit(file())).status, 503);
    assert.equal((await submit(file())).status, 503);
    const rejected = await submit(file());
    assert.equal(rejected.status, 422);
    assert.equal(rejected.json.error.code, "file_rejected");
    assert.equal(sim.batches().length, before, "faulted files are not kept");
    assert.equal((await submit(file())).status, 202);
  });
});

describe("processing and status reports", () => {
  test("processes pending batches into ordered pain.002 reports; since is exclusive", async () => {
    await sim.processPending();
    const start = (await reports()).at(-1)?.report_id;
    const msgId = uniqueMsgId();
    sim.setOutcome("nl91 abna 0417 1643 00", { status: "failed", reasonCode: "AG01" });
    const file = painFile({
      msgId,
      txs: [
        { id: "ok-1", amount: "12.34", iban: "DE89370400440532013000" },
        { id: "closed-1", amount: "1.00", iban: CLOSED },
        { id: "override-1", amount: "2.00", iban: OK_IBAN },
      ],
    });
    assert.equal((await submit(file)).status, 202);
    assert.equal(await sim.processPending(), 1);
    assert.equal(await sim.processPending(), 0, "nothing left to process");

    const fresh = await reports(start);
    assert.equal(fresh.length, 1);
    const report = fresh[0]!;
    const doc = parser.parse(report.xml).Document;
    assert.equal(doc["@_xmlns"], "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10");
    const rpt = doc.CstmrPmtStsRpt;
    assert.equal(rpt.OrgnlGrpInfAndSts.OrgnlMsgId, msgId);
    assert.equal(rpt.OrgnlGrpInfAndSts.OrgnlMsgNmId, "pain.001.001.09");
    assert.equal(rpt.OrgnlGrpInfAndSts.GrpSts, "PART");
    const txs = rpt.OrgnlPmtInfAndSts.TxInfAndSts;
    assert.deepEqual(
      txs.map((t: any) => [t.OrgnlEndToEndId, t.TxSts, t.StsRsnInf?.Rsn?.Cd ?? null]),
      [
        ["ok-1", "ACSC", null],
        ["closed-1", "RJCT", "AC04"],
        ["override-1", "RJCT", "AG01"],
      ],
    );
    assert.deepEqual(await reports(report.report_id), []);
    const batch = sim.batches().find((b) => b.messageId === msgId);
    assert.equal(batch?.status, "processed");
    assert.deepEqual(
      batch?.transactions.map((t) => t.status),
      ["paid", "failed", "failed"],
    );
  });

  test("POST /v1/credit-transfers/process works like processPending, and reports keep their order", async () => {
    for (const id of ["a", "b"]) {
      await submit(painFile({ txs: [{ id, amount: "1.00", iban: OK_IBAN }] }));
    }
    const res = await call(sim.url, "POST", "/v1/credit-transfers/process");
    assert.equal(res.status, 200);
    assert.ok(res.json.processed_batches >= 2);
    const all = await reports();
    const ids = all.map((r) => r.report_id);
    assert.deepEqual(ids, [...ids].sort());
    assert.deepEqual(
      (await reports(ids[0])).map((r) => r.report_id),
      ids.slice(1),
    );
    const limited = await call(sim.url, "GET", "/v1/status-reports?limit=1");
    assert.equal(limited.json.reports.length, 1);
    assert.equal(limited.json.has_more, true);
    assert.equal((await call(sim.url, "GET", "/v1/status-reports?limit=0")).status, 400);
    assert.equal((await call(sim.url, "GET", "/v1/status-reports", { key: null })).status, 401);
  });

  test("autoProcessMs processes a file by itself", async () => {
    const auto = await startBankSimulator({ autoProcessMs: 20, apiKey: "other_key" });
    try {
      const res = await call(auto.url, "POST", "/v1/credit-transfers", {
        key: "other_key",
        xml: painFile({ txs: [{ id: "a", amount: "1.00", iban: OK_IBAN }] }),
      });
      assert.equal(res.status, 202);
      for (let i = 0; i < 50 && auto.batches()[0]?.status !== "processed"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(auto.batches()[0]?.status, "processed");
    } finally {
      await auto.close();
    }
  });
});
