import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CSV_HEADERS, type MollieSimulator, startMollieSimulator } from "./index.ts";
import { answerCheckout, api, manualClock, newKey, paymentBody, sleep } from "./test-support.ts";

// 10:00 in Amsterdam (CEST).
const clock = manualClock("2024-04-03T08:00:00Z");
let sim: MollieSimulator;

before(async () => {
  sim = await startMollieSimulator({ now: clock.now, resolveAfterMs: 5 });
});
after(() => sim.close());

const eur = (value: string) => ({ currency: "EUR", value });

async function pay(key: string, value: string): Promise<string> {
  const created = await api(sim.url, "POST", "/v2/payments", {
    key,
    body: paymentBody({ amount: eur(value), description: `Order ${value}` }),
  });
  await answerCheckout(created.json._links.checkout.href, "paid", "ideal_INGBNL2A");
  return created.json.id;
}

async function refundFully(key: string, paymentId: string, value: string): Promise<string> {
  const res = await api(sim.url, "POST", `/v2/payments/${paymentId}/refunds`, {
    key,
    body: { amount: eur(value), description: `Refund, "partial"` },
  });
  for (let i = 0; i < 500; i++) {
    const read = await api(sim.url, "GET", `/v2/payments/${paymentId}/refunds/${res.json.id}`, { key });
    if (read.json.status === "refunded") return res.json.id;
    await sleep(5);
  }
  throw new Error("refund did not complete");
}

test("a day of iDEAL payments and refunds settles the next Amsterdam midnight, in Mollie's figures", async () => {
  const key = newKey();
  const ids: string[] = [];
  for (const value of ["10.00", "30.00", "25.00", "11.10", "5.00", "5.00"]) ids.push(await pay(key, value));
  const refundIds = [
    await refundFully(key, ids[1] ?? "", "23.20"),
    await refundFully(key, ids[2] ?? "", "20.00"),
  ];

  const open = await api(sim.url, "GET", "/v2/settlements/open", { key });
  assert.equal(open.status, 200);
  const s = open.json;
  assert.equal(s.resource, "settlement");
  assert.match(s.id, /^stl_/);
  assert.match(s.reference, /^\d{7}\.2404\.01$/);
  assert.equal(s.status, "open");
  assert.equal(s.settledAt, null);
  // Mollie's own example settlement: six iDEAL payments of 86.10, two refunds of 43.20 → 39.75.
  assert.deepEqual(s.amount, eur("39.75"));
  const period = s.periods["2024"]["04"];
  assert.deepEqual(period.revenue, [
    {
      description: "iDEAL",
      method: "ideal",
      count: 6,
      amountNet: eur("86.1000"),
      amountVat: null,
      amountGross: eur("86.1000"),
    },
    {
      description: "Refunds iDEAL",
      method: "refund",
      count: 2,
      amountNet: eur("-43.2000"),
      amountVat: null,
      amountGross: eur("-43.2000"),
    },
  ]);
  assert.deepEqual(period.costs[0], {
    description: "iDEAL",
    method: "ideal",
    count: 6,
    rate: { fixed: eur("0.3500"), percentage: null },
    amountNet: eur("2.1000"),
    amountVat: eur("0.4410"),
    amountGross: eur("2.5410"),
  });
  assert.deepEqual(period.costs[1].amountGross, eur("0.6050"));
  const unsettled = await api(sim.url, "GET", `/v2/payments/${ids[0]}`, { key });
  assert.equal(unsettled.json.settlementId, undefined);

  const csvRes = await fetch(`${sim.url}/simulator/exports/settlements/${s.id}.csv`, {
    headers: { authorization: `Bearer ${key}` },
  });
  assert.equal(csvRes.status, 200);
  assert.equal(csvRes.headers.get("content-type"), "text/csv; charset=utf-8");
  assert.match(csvRes.headers.get("content-disposition") ?? "", /settlement-\d{7}\.2404\.01\.csv/);
  const csv = await csvRes.text();
  const lines = csv.trimEnd().split("\r\n");
  assert.equal(lines[0], CSV_HEADERS.map((h) => `"${h}"`).join(","));
  assert.equal(lines.length, 9);
  const first = lines[1]?.split('","').map((f) => f.replace(/^"|"$/g, ""));
  assert.equal(first?.[0], "2024-04-03 10:00:00", "Amsterdam time");
  assert.deepEqual(first?.slice(1, 6), ["iDEAL", "EUR", "10.00", "paid", ids[0]]);
  assert.equal(first?.[7], "T. TEST");
  assert.match(first?.[8] ?? "", /^NL\d{2}INGB\d{10}$/);
  assert.equal(first?.[12], s.reference);
  assert.ok(
    lines.some(
      (l) => l.includes(`"${refundIds[0]}"`) && l.includes('"-23.20"') && l.includes('"Refund, ""partial"""'),
    ),
  );
  assert.ok(
    lines.some((l) => l.includes(`"${ids[1]}"`) && l.endsWith('"23.20"')),
    "Amount refunded column",
  );
  assert.equal(sim.balanceReportCsv(key, "2024-04-03"), csv);
  assert.equal(sim.settlementCsv(key, s.id), csv);

  clock.set("2024-04-03T22:00:00Z");
  const settled = (await api(sim.url, "GET", `/v2/settlements/${s.id}`, { key })).json;
  assert.equal(settled.status, "paidout");
  assert.equal(settled.settledAt, "2024-04-03T22:00:00+00:00");
  assert.equal((await api(sim.url, "GET", "/v2/settlements/open", { key })).status, 404);
  const payment = (await api(sim.url, "GET", `/v2/payments/${ids[0]}`, { key })).json;
  assert.equal(payment.settlementId, s.id);
  assert.equal(payment._links.settlement.href, `${sim.url}/v2/settlements/${s.id}`);

  const settledPayments = await api(sim.url, "GET", `/v2/settlements/${s.id}/payments?limit=4`, { key });
  assert.equal(settledPayments.json.count, 4);
  assert.ok(settledPayments.json._links.next.href.includes("limit=4"));
  const settledRefunds = await api(sim.url, "GET", `/v2/settlements/${s.id}/refunds`, { key });
  assert.deepEqual(
    settledRefunds.json._embedded.refunds.map((r: { id: string }) => r.id).sort(),
    [...refundIds].sort(),
  );

  await pay(key, "1.00");
  const list = await api(sim.url, "GET", "/v2/settlements", { key });
  assert.equal(list.json.count, 2);
  assert.equal(list.json._embedded.settlements[0].status, "open", "newest first");
  assert.match(list.json._embedded.settlements[0].reference, /\.2404\.02$/);
  assert.equal(list.json._embedded.settlements[1].id, s.id);
});

test("exports need the account's key and a known settlement", async () => {
  const noKey = await fetch(`${sim.url}/simulator/exports/balance-report/2024-04-03.csv`);
  assert.equal(noKey.status, 401);
  await noKey.text();
  const unknown = await api(sim.url, "GET", "/simulator/exports/settlements/stl_nope.csv", { key: newKey() });
  assert.equal(unknown.status, 404);
  const empty = await api(sim.url, "GET", "/simulator/exports/balance-report/2024-01-01.csv", {
    key: newKey(),
  });
  assert.equal(empty.status, 200);
  assert.equal(empty.text.split("\r\n").filter(Boolean).length, 1, "headers only");
  assert.equal((await api(sim.url, "GET", "/v2/settlements/stl_nope", { key: newKey() })).status, 404);
});
