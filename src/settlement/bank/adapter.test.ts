import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, afterEach, before, test } from "node:test";
import { type BankSimulator, startBankSimulator } from "../../../simulators/bank/index.ts";
import { type BankAdapter, createHttpBankAdapter } from "./adapter.ts";
import { BankRejectedFileError, BankUnavailableError } from "./errors.ts";
import { buildPain001 } from "./pain001.ts";
import { parsePain002 } from "./pain002.ts";
import { batch, transfer } from "./test-support.ts";

const API_KEY = "bank_test_key_adapter";
const CLOSED_ACCOUNT = "DE24370400440000000404";

let sim: BankSimulator;
let bank: BankAdapter;
before(async () => {
  sim = await startBankSimulator({ apiKey: API_KEY });
  bank = createHttpBankAdapter({ baseUrl: `${sim.url}/`, apiKey: API_KEY });
});
after(() => sim.close());
afterEach(() => sim.clearFaults());

const messageId = () => `PAYRAIL-${randomBytes(8).toString("hex")}`;

function threePayouts(msgId = messageId()) {
  return buildPain001(
    batch({
      messageId: msgId,
      payments: [
        transfer({ endToEndId: "po_one", amount: 123456n }),
        transfer({
          endToEndId: "po_two",
          amount: 5n,
          creditor: { name: "Jan de Vries", iban: "DE89 3704 0044 0532 0130 00" },
        }),
        transfer({
          endToEndId: "po_three",
          amount: 990n,
          creditor: { name: "Closed Account", iban: CLOSED_ACCOUNT },
        }),
      ],
    }),
  );
}

async function rejection(promise: Promise<unknown>): Promise<BankRejectedFileError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof BankRejectedFileError, String(error));
    return error;
  }
  assert.fail("expected BankRejectedFileError");
}

test("end to end: submit 3 payouts, the bank processes them, the status report says paid, paid, failed", async () => {
  const msgId = messageId();
  const { bankBatchId } = await bank.submitCreditTransfers({
    fileName: `${msgId}.xml`,
    xml: threePayouts(msgId),
  });
  assert.match(bankBatchId, /^bb_/);
  assert.equal(sim.batches().find((b) => b.batchId === bankBatchId)?.fileName, `${msgId}.xml`);

  assert.ok((await sim.processPending()) >= 1);
  const reports = await bank.fetchStatusReports();
  const mine = reports.map((r) => parsePain002(r.xml)).filter((r) => r.originalMessageId === msgId);
  assert.equal(mine.length, 1);
  const report = mine[0]!;
  assert.equal(report.groupStatus, "PART");
  assert.deepEqual(
    report.transactions.map((t) => [t.endToEndId, t.status, t.reasonCode, t.amount, t.currency]),
    [
      ["po_one", "paid", null, 123456n, "eur"],
      ["po_two", "paid", null, 5n, "eur"],
      ["po_three", "failed", "AC04", 990n, "eur"],
    ],
  );
  assert.equal(report.transactions[2]?.reasonText, "Account closed");

  const last = reports.at(-1)!.reportId;
  assert.deepEqual(await bank.fetchStatusReports(last), [], "since is exclusive");
});

test("resending the same file after a lost answer returns the first batch id", async () => {
  const xml = threePayouts();
  const first = await bank.submitCreditTransfers({ fileName: "a.xml", xml });
  const again = await bank.submitCreditTransfers({ fileName: "a.xml", xml });
  assert.equal(again.bankBatchId, first.bankBatchId);
});

test("another file reusing a MsgId is rejected as a duplicate (409)", async () => {
  const msgId = messageId();
  await bank.submitCreditTransfers({ fileName: "b.xml", xml: threePayouts(msgId) });
  const other = buildPain001(batch({ messageId: msgId }));
  const error = await rejection(bank.submitCreditTransfers({ fileName: "c.xml", xml: other }));
  assert.equal(error.status, 409);
  assert.equal(error.code, "duplicate_message_id");
  assert.equal(error.reasonCode, "DUPL");
});

test("an unavailable bank throws BankUnavailableError, and the retry goes through", async () => {
  sim.injectFault({ kind: "unavailable" });
  const xml = threePayouts();
  await assert.rejects(
    bank.submitCreditTransfers({ fileName: "d.xml", xml }),
    (error: unknown) => error instanceof BankUnavailableError && error.status === 503,
  );
  assert.match((await bank.submitCreditTransfers({ fileName: "d.xml", xml })).bankBatchId, /^bb_/);
});

test("a rejected file throws BankRejectedFileError with the bank's reason", async () => {
  sim.injectFault({ kind: "reject_file" });
  const injected = await rejection(bank.submitCreditTransfers({ fileName: "e.xml", xml: threePayouts() }));
  assert.equal(injected.status, 422);
  assert.equal(injected.reasonCode, "FF01");

  const tampered = threePayouts().replace("<CtrlSum>1244.51</CtrlSum>", "<CtrlSum>1244.52</CtrlSum>");
  assert.ok(tampered.includes("1244.52"), "the group CtrlSum was changed");
  const error = await rejection(bank.submitCreditTransfers({ fileName: "f.xml", xml: tampered }));
  assert.equal(error.code, "control_sum_mismatch");
  assert.equal(error.reasonCode, "AM10");
  assert.match(error.message, /AM10 GrpHdr: CtrlSum 1244.52/);
});

test("no answer, or a refused API key, is unavailability, not a rejection", async () => {
  const gone = await startBankSimulator();
  const url = gone.url;
  await gone.close();
  await assert.rejects(
    createHttpBankAdapter({ baseUrl: url, apiKey: API_KEY }).submitCreditTransfers({
      fileName: "g.xml",
      xml: threePayouts(),
    }),
    (error: unknown) => error instanceof BankUnavailableError && error.status === null,
  );
  await assert.rejects(
    createHttpBankAdapter({ baseUrl: url, apiKey: API_KEY }).fetchStatusReports(),
    BankUnavailableError,
  );
  await assert.rejects(
    createHttpBankAdapter({ baseUrl: sim.url, apiKey: "wrong" }).submitCreditTransfers({
      fileName: "h.xml",
      xml: threePayouts(),
    }),
    (error: unknown) => error instanceof BankUnavailableError && error.status === 401,
  );
});

test("fetchStatusReports follows pages until it has every report", async () => {
  await sim.processPending();
  const start = (await bank.fetchStatusReports()).at(-1)?.reportId;
  for (let i = 0; i < 101; i++) {
    await bank.submitCreditTransfers({
      fileName: `p${i}.xml`,
      xml: buildPain001(batch({ messageId: messageId() })),
    });
  }
  assert.equal(await sim.processPending(), 101);
  const fresh = await bank.fetchStatusReports(start);
  assert.equal(fresh.length, 101);
  assert.equal(new Set(fresh.map((r) => r.reportId)).size, 101);
});
