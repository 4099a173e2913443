import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CSV_HEADERS, type MollieSimulator, startMollieSimulator } from "../../../simulators/mollie/index.ts";
import type { CallContext } from "../contract.ts";
import { createMollieConnector, createMollieReports, parseMollieCsv } from "./index.ts";
import {
  answerCheckout,
  apiKeyOf,
  localRequest,
  manualClock,
  newCall,
  nextRef,
  waitUntil,
} from "./test-support.ts";

// 10:00 in Amsterdam (CEST).
const clock = manualClock("2024-04-03T08:00:00Z");
let sim: MollieSimulator;
const connector = createMollieConnector({ baseUrl: () => sim.url, now: clock.now });
const reports = createMollieReports({ baseUrl: () => sim.url });

before(async () => {
  sim = await startMollieSimulator({ now: clock.now, resolveAfterMs: 5, notificationRetryDelaysMs: [] });
});
after(() => sim.close());

async function paid(call: CallContext, amount: bigint): Promise<string> {
  const result = await connector.startPayment!(call, localRequest({ amount }));
  assert.ok(result.outcome === "requires_action" && result.action.type === "redirect_to_url");
  await answerCheckout(result.action.url, "paid");
  return result.connectorReference;
}

async function refunded(call: CallContext, paymentId: string, amount: bigint): Promise<string> {
  const reference = nextRef("re");
  const result = await connector.refund(call, {
    reference,
    connectorReference: paymentId,
    amount,
    currency: "eur",
  });
  assert.ok(result.outcome === "pending");
  let refundId = "";
  await waitUntil(async () => {
    const status = await connector.syncRefund(call, {
      reference,
      connectorReference: result.connectorReference,
    });
    if (status.status === "succeeded") refundId = status.connectorReference.split("/")[1] ?? "";
    return status.status === "succeeded";
  });
  return refundId;
}

describe("settlements and their CSV", () => {
  test("a day of iDEAL payments and refunds, read back for reconciliation", async () => {
    const call = newCall();
    const ids: string[] = [];
    for (const amount of [1000n, 3000n, 2500n, 1110n, 500n, 500n]) ids.push(await paid(call, amount));
    const refundIds = [await refunded(call, ids[1] ?? "", 2320n), await refunded(call, ids[2] ?? "", 2000n)];

    const open = await reports.getSettlement(call, "open");
    assert.ok(open.ok && open.value);
    const s = open.value;
    assert.match(s.id, /^stl_/);
    assert.match(s.reference ?? "", /^\d{7}\.2404\.01$/);
    assert.equal(s.status, "open");
    assert.equal(s.settledAt, null);
    // Mollie's example settlement: 86.10 in, 43.20 refunded, costs with VAT → 39.75.
    assert.deepEqual(s.amount, { amount: 3975n, currency: "eur" });
    assert.deepEqual(
      s.lines.map((l) => [
        l.period,
        l.kind,
        l.description,
        l.count,
        l.amountGross.units,
        l.amountGross.scale,
      ]),
      [
        ["2024-04", "revenue", "iDEAL", 6, 861000n, 4],
        ["2024-04", "revenue", "Refunds iDEAL", 2, -432000n, 4],
        ["2024-04", "cost", "iDEAL", 6, 25410n, 4],
        ["2024-04", "cost", "Refunds iDEAL", 2, 6050n, 4],
      ],
    );

    const csv = await reports.settlementCsv(call, s.id);
    assert.ok(csv.ok && csv.value);
    const rows = csv.value;
    assert.equal(rows.length, 8);
    const first = rows[0];
    assert.ok(first);
    assert.equal(first.date, "2024-04-03 10:00:00");
    assert.equal(first.id, ids[0]);
    assert.deepEqual(first.amount, { amount: 1000n, currency: "eur" });
    assert.equal(first.status, "paid");
    assert.equal(first.consumerName, "T. TEST");
    assert.equal(first.settlementReference, s.reference);
    const refundRow = rows.find((r) => r.id === refundIds[0]);
    assert.deepEqual(refundRow?.amount, { amount: -2320n, currency: "eur" });
    assert.equal(refundRow?.amountRefunded, null);
    assert.deepEqual(rows.find((r) => r.id === ids[1])?.amountRefunded, { amount: 2320n, currency: "eur" });
    const total = rows.reduce((sum, r) => sum + r.amount.amount, 0n);
    assert.equal(total, 8610n - 4320n);

    const day = await reports.balanceReportCsv(call, "2024-04-03");
    assert.deepEqual(day, csv);
    assert.deepEqual(await reports.balanceReportCsv(call, "2024-01-01"), { ok: true, value: [] });

    clock.advance(14 * 60 * 60 * 1000);
    const list = await reports.listSettlements(call);
    assert.ok(list.ok);
    assert.equal(list.value.settlements.length, 1);
    assert.equal(list.value.next, undefined);
    const settled = list.value.settlements[0];
    assert.equal(settled?.status, "paidout");
    assert.equal(settled?.settledAt?.toISOString(), "2024-04-03T22:00:00.000Z");
    assert.deepEqual(await reports.getSettlement(call, "open"), { ok: true, value: null });
  });

  test("pages, unknown settlements, a refused key, an outage", async () => {
    const call = newCall();
    assert.deepEqual(await reports.listSettlements(call), {
      ok: true,
      value: { settlements: [], next: undefined },
    });
    assert.deepEqual(await reports.getSettlement(call, "stl_NoSuchOne"), { ok: true, value: null });
    assert.deepEqual(await reports.settlementCsv(call, "stl_NoSuchOne"), { ok: true, value: null });
    await paid(call, 100n);
    clock.advance(24 * 60 * 60 * 1000);
    await paid(call, 200n);
    const page = await reports.listSettlements(call, { limit: 1 });
    assert.ok(page.ok);
    assert.equal(page.value.settlements[0]?.status, "open");
    assert.ok(page.value.next);
    const next = await reports.listSettlements(call, { from: page.value.next, limit: 1 });
    assert.ok(next.ok);
    assert.equal(next.value.settlements[0]?.status, "paidout");
    assert.equal(apiKeyOf(call).startsWith("test_"), true);

    const refused = newCall({}, { api_key: `live_${"k".repeat(30)}` });
    assert.deepEqual(await reports.listSettlements(refused), { ok: false, reason: "http_401" });
    assert.deepEqual(await reports.settlementCsv(refused, "open"), { ok: false, reason: "http_401" });
    sim.injectFault({ kind: "status", status: 503 });
    assert.deepEqual(await reports.getSettlement(call, "open"), { ok: false, reason: "http_503" });
    await assert.rejects(reports.balanceReportCsv(call, "03-04-2024"), RangeError);
  });
});

describe("parseMollieCsv", () => {
  const header = CSV_HEADERS.map((h) => `"${h}"`).join(",");
  const row = (fields: string[]) => fields.map((f) => `"${f.replace(/"/g, '""')}"`).join(",");
  const payment = [
    "2024-04-03 10:00:00",
    "iDEAL",
    "EUR",
    "10.00",
    "paid",
    "tr_WDqYK6vllg",
    'Order "7", with a comma',
    "T. TEST",
    "NL91INGB0001234567",
    "INGBNL2A",
    "EUR",
    "10.00",
    "1234567.2404.01",
    "0.00",
  ];

  test("quoted fields with quotes, commas and a line break; CRLF or LF", () => {
    const multiline = [...payment];
    multiline[6] = "two\r\nlines";
    for (const eol of ["\r\n", "\n"]) {
      const parsed = parseMollieCsv(`${header}${eol}${row(payment)}${eol}${row(multiline)}${eol}`);
      assert.ok(parsed.ok);
      assert.equal(parsed.rows.length, 2);
      assert.equal(parsed.rows[0]?.description, 'Order "7", with a comma');
      assert.equal(parsed.rows[1]?.description, "two\r\nlines");
      assert.deepEqual(parsed.rows[0]?.amountRefunded, { amount: 0n, currency: "eur" });
    }
  });

  test("a byte order mark and columns in another order", () => {
    const reversed = [...CSV_HEADERS]
      .reverse()
      .map((h) => `"${h}"`)
      .join(",");
    const parsed = parseMollieCsv(`\ufeff${reversed}\r\n${row([...payment].reverse())}\r\n`);
    assert.ok(parsed.ok);
    assert.equal(parsed.rows[0]?.id, "tr_WDqYK6vllg");
  });

  const broken: Array<[string, string]> = [
    ["an open quote", `${header}\r\n"2024-04-03`],
    ["a missing column", `"Date","Amount"\r\n"x","1.00"`],
    ["an amount with a comma", `${header}\r\n${row(payment.map((f, i) => (i === 3 ? "10,00" : f)))}`],
    ["a short row", `${header}\r\n${row(payment.slice(0, 10))}`],
    ["nothing", ""],
  ];
  for (const [name, text] of broken) {
    test(`refused: ${name}`, () => assert.equal(parseMollieCsv(text).ok, false));
  }
});
