import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type PayPalSimulator, SETTLEMENT_COLUMNS } from "./index.ts";
import {
  approvedOrder,
  basic,
  call,
  manualClock,
  newApp,
  newToken,
  startTestSimulator,
  type TestApp,
} from "./test-support.ts";

/** Splits one CSV line, honouring double quotes ("" inside a quoted field is a quote). */
function fields(line: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out;
}

describe("paypal simulator: settlement report (STL)", () => {
  const clock = manualClock("2024-03-15T09:00:00.000Z");
  let sim: PayPalSimulator;
  let app: TestApp;
  before(async () => {
    sim = await startTestSimulator({ now: clock.now });
    app = await newApp(sim);
  });
  after(() => sim.close());

  async function capture(value: string, custom: string): Promise<string> {
    const orderId = await approvedOrder(sim, app, {
      purchase_units: [
        { amount: { currency_code: "USD", value }, custom_id: custom, invoice_id: `INV-${custom}` },
      ],
    });
    const captured = await call(sim, app, "POST", `/v2/checkout/orders/${orderId}/capture`, {});
    return captured.json.purchase_units[0].payments.captures[0].id;
  }

  it("lists the day's captures and refunds once the day is over, with per-currency totals and balances", async () => {
    const first = await capture("100.00", "a");
    clock.advance(60_000);
    const second = await capture("20.00", "b");
    clock.advance(60_000);
    const refund = await call(sim, app, "POST", `/v2/payments/captures/${first}/refund`, {
      amount: { currency_code: "USD", value: "40.00" },
    });
    const auth = { authorization: basic(app.clientId, app.clientSecret) };

    const early = await fetch(`${sim.url}/ppreports/outgoing/STL-20240315.01.009.CSV`, { headers: auth });
    assert.equal(early.status, 404);
    await early.text();

    clock.advance(24 * 3600_000);
    app = await newToken(sim, app);
    const unauthorised = await fetch(`${sim.url}/ppreports/outgoing`);
    assert.equal(unauthorised.status, 401);
    await unauthorised.text();
    const listing = await (await fetch(`${sim.url}/ppreports/outgoing`, { headers: auth })).text();
    assert.equal(listing, "STL-20240315.01.009.CSV\n");

    const response = await fetch(`${sim.url}/ppreports/outgoing/STL-20240315.01.009.CSV`, { headers: auth });
    assert.equal(response.status, 200);
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 byte order mark");
    const lines = bytes.subarray(3).toString("utf8").split("\r\n").filter(Boolean);
    assert.deepEqual(
      lines.map((line) => fields(line)[0]),
      ["RH", "FH", "SH", "CH", "SB", "SB", "SB", "SF", "SC", "RF", "RC", "FF"],
    );
    const rows = lines.map(fields);
    assert.equal(rows[0]?.[3], app.merchantId);
    assert.equal(rows[0]?.[4], "009");
    assert.deepEqual(rows[2]?.slice(1, 4), [
      "2024/03/15 00:00:00 +0000",
      "2024/03/15 23:59:59 +0000",
      app.merchantId,
    ]);
    assert.deepEqual(rows[3]?.slice(1), SETTLEMENT_COLUMNS);

    const body = rows
      .slice(4, 7)
      .map((row) => Object.fromEntries(SETTLEMENT_COLUMNS.map((name, i) => [name, row[i + 1]])));
    assert.deepEqual(
      body.map((row) => [
        row["Transaction ID"],
        row["Transaction Event Code"],
        row["Transaction Debit or Credit"],
        row["Gross Transaction Amount"],
        row["Fee Amount"],
      ]),
      [
        [first, "T0006", "CR", "10000", "398"],
        [second, "T0006", "CR", "2000", "119"],
        [refund.json.id, "T1107", "DR", "4000", "0"],
      ],
    );
    assert.equal(body[0]?.["Custom Field"], "a");
    assert.equal(body[0]?.["Invoice ID"], "INV-a");
    assert.equal(body[0]?.["Consumer ID"], "buyer@example.com");
    assert.equal(body[0]?.["Transaction Completion Date"], "2024/03/15 09:00:00 +0000");
    assert.equal(body[2]?.["PayPal Reference ID"], first);
    assert.equal(body[2]?.["PayPal Reference ID Type"], "TXN");

    // gross credits 12000, gross debits 4000, fee debits 517: the day closes at +7483 from 0.
    assert.deepEqual(rows[7], [
      "SF",
      "USD",
      "12000",
      "4000",
      "0",
      "517",
      "CR",
      "0",
      "CR",
      "7483",
      "CR",
      "0",
      "CR",
      "0",
    ]);
    assert.deepEqual(rows[8], ["SC", "3"]);
    assert.deepEqual(rows[11], ["FF", "3"]);

    const direct = sim.settlementReport(app.clientId, "2024-03-15");
    assert.equal(direct.fileName, "STL-20240315.01.009.CSV");
    assert.ok(direct.content.equals(bytes));
  });

  it("carries the balance into the next day's opening balance", async () => {
    await capture("10.00", "c");
    clock.advance(24 * 3600_000);
    app = await newToken(sim, app);
    const day = sim.settlementReport(app.clientId, "2024-03-16");
    const footer = day.content
      .toString("utf8")
      .split("\r\n")
      .map(fields)
      .find((row) => row[0] === "SF");
    assert.deepEqual(footer?.slice(0, 10), ["SF", "USD", "1000", "0", "0", "84", "CR", "7483", "CR", "8399"]);
  });
});
