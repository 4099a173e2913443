/**
 * Card data is radioactive: after the whole card suite has run through every card connector (approvals,
 * declines, 3-D Secure, timeouts, saved cards, off-session reuse, tokenization with a waiting CVC,
 * captures and refunds), no table and no log line may hold a test card number or CVC — in clear,
 * grouped, base64 or hex.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "kysely";
import { CARD, eventually, startTestServer, type TestServer } from "./support/server.ts";

const CONNECTORS = ["sandbox", "stripe", "adyen"];
const CARDS = [
  "4242424242424242",
  "5555555555554444",
  "4000000000000002",
  "4000000000009995",
  "4000000000000069",
  "4000000000000127",
  "4000002760003184",
  "4000000000000408",
  "4000056655665556",
];
// CVCs no amount, id or timestamp in the run can produce as a standalone token.
const CVCS = ["739", "846", "951"];

let server: TestServer;
before(async () => {
  // A database of its own on PostgreSQL: the search reads every table, and other tests' rows (amounts
  // that happen to equal a test CVC) are not this suite's to answer for.
  server = await startTestServer({ isolated: true });
});
after(async () => {
  await server.close();
});

/** Every way a value could have been written: clear, grouped by four, base64 (each alignment), hex. */
function encodings(value: string): string[] {
  const out = new Set<string>([
    value,
    value.replace(/(\d{4})(?=\d)/g, "$1 "),
    value.replace(/(\d{4})(?=\d)/g, "$1-"),
  ]);
  for (let start = 0; start < 3; start++) {
    const aligned = value.slice(start, start + 3 * Math.floor((value.length - start) / 3));
    if (aligned.length < 6) continue;
    const bytes = Buffer.from(aligned);
    out.add(bytes.toString("base64"));
    out.add(bytes.toString("base64url"));
  }
  const hex = Buffer.from(value).toString("hex");
  out.add(hex);
  out.add(hex.toUpperCase());
  return [...out];
}

function cvcNeedles(cvc: string): Array<string | RegExp> {
  const fields = [`"cvc":"${cvc}"`, `"cvc": "${cvc}"`, `cvc=${cvc}`, `"cvc":${cvc}`, `[cvc]=${cvc}`];
  return [
    new RegExp(`(^|[^0-9A-Za-z])${cvc}([^0-9A-Za-z]|$)`),
    ...fields.flatMap((field) => encodings(field)),
  ];
}

async function runCardSuite() {
  const accounts = (await server.request("GET", "/v1/connector_accounts?limit=100")).body.data;
  let cvcIndex = 0;
  const cvc = () => CVCS[cvcIndex++ % CVCS.length] as string;
  for (const connector of CONNECTORS) {
    const account = accounts.find((a: any) => a.connector === connector)?.id;
    assert.ok(account, connector);
    const pay = (number: string, extra: Record<string, unknown> = {}) =>
      server.request("POST", "/v1/payment_intents", {
        body: {
          amount: 2000,
          currency: "eur",
          confirm: true,
          connector_account: account,
          payment_method_data: CARD(number, { cvc: cvc() }),
          ...extra,
        },
      });
    for (const number of CARDS) {
      const res = await pay(number, { return_url: "https://shop.example/back" });
      assert.ok(res.status === 200 || res.status === 402, `${connector} ${number}: ${res.text}`);
      if (res.body.status === "succeeded") {
        await server.request("POST", "/v1/refunds", { body: { payment_intent: res.body.id, amount: 300 } });
      }
    }
    const manual = await pay("4242424242424242", { capture_method: "manual" });
    await server.request("POST", `/v1/payment_intents/${manual.body.id}/capture`, {
      body: { amount_to_capture: 1000 },
    });

    const customer = (await server.request("POST", "/v1/customers", { body: { name: "Leak check" } })).body
      .id;
    const first = await pay("5555555555554444", { customer, setup_future_usage: "off_session" });
    assert.equal(first.body.status, "succeeded", first.text);
    const again = await server.request("POST", "/v1/payment_intents", {
      body: {
        amount: 2000,
        currency: "eur",
        customer,
        payment_method: first.body.payment_method,
        off_session: true,
        confirm: true,
        connector_account: account,
      },
    });
    assert.equal(again.body.status, "succeeded", again.text);

    const tokenized = await server.request("POST", "/v1/payment_methods", {
      key: server.merchant.publishable_key,
      body: CARD("4000056655665556", { cvc: cvc() }),
    });
    const later = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 2000, currency: "eur", payment_method: tokenized.body.id, connector_account: account },
    });
    await server.request("POST", `/v1/payment_intents/${later.body.id}/confirm`, { body: {} });
    // One tokenized card is left waiting, so its sealed CVC is in the vault when the tables are read.
    await server.request("POST", "/v1/payment_methods", { body: CARD("4242424242424242", { cvc: cvc() }) });
    // A rejected request echoes nothing either.
    await server.request("POST", "/v1/payment_methods", {
      body: CARD("4242424242424241", { cvc: cvc() }),
    });
  }
  await eventually(
    async () => {
      const pending = await server.payrail.ctx.db
        .selectFrom("payment_intents")
        .select("id")
        .where("status", "=", "processing")
        .execute();
      return pending.length === 0 ? true : undefined;
    },
    30_000,
    "timed-out payments to settle",
  );
  await server.payrail.worker?.drain();
}

async function dumpTables(): Promise<Map<string, string>> {
  const db = server.payrail.ctx.db;
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
  const dumps = new Map<string, string>();
  for (const { table_name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table_name)}`.execute(db);
    const text = rows.rows
      .map((row) =>
        JSON.stringify(row, (_key, value) => {
          if (typeof value === "bigint") return value.toString();
          if (value instanceof Uint8Array) {
            const bytes = Buffer.from(value);
            return [bytes.toString("utf8"), bytes.toString("base64"), bytes.toString("hex")].join(" ");
          }
          if (value && typeof value === "object" && (value as { type?: string }).type === "Buffer") {
            const bytes = Buffer.from((value as { data: number[] }).data);
            return [bytes.toString("utf8"), bytes.toString("base64"), bytes.toString("hex")].join(" ");
          }
          return value;
        }),
      )
      .join("\n");
    dumps.set(table_name, text);
  }
  return dumps;
}

test("no table and no log line holds a card number or CVC after the full card suite", async () => {
  await runCardSuite();
  const dumps = await dumpTables();
  assert.ok(dumps.has("payment_methods") && dumps.has("inbound_webhooks") && dumps.has("audit_log"));
  assert.ok((dumps.get("payment_methods") ?? "").length > 1000, "cards were vaulted");
  assert.ok((dumps.get("vault_cvcs") ?? "").length > 50, "a CVC is waiting, sealed");
  const logs = server.logLines.join("");
  assert.ok(logs.length > 10_000, "the run was logged at debug level");
  const places: Array<[string, string]> = [...dumps.entries(), ["logs", logs]];

  const found: string[] = [];
  for (const pan of CARDS) {
    for (const needle of encodings(pan)) {
      for (const [place, text] of places)
        if (text.includes(needle)) found.push(`card …${pan.slice(-4)} in ${place}`);
    }
  }
  for (const cvc of CVCS) {
    for (const needle of cvcNeedles(cvc)) {
      for (const [place, text] of places) {
        const hit = typeof needle === "string" ? text.includes(needle) : needle.test(text);
        if (hit) found.push(`CVC ${cvc} (${String(needle)}) in ${place}`);
      }
    }
  }
  assert.deepEqual(found, []);
});

test("the search itself finds a card or CVC hidden at any offset in base64, hex or clear", () => {
  const pan = "4242424242424242";
  const hidden = (text: string) => encodings(pan).some((needle) => text.includes(needle));
  for (const prefix of ["", "x", "xy", "xyz"]) {
    assert.ok(hidden(Buffer.from(`${prefix}${pan}|tail`).toString("base64")), `base64 after '${prefix}'`);
    assert.ok(hidden(Buffer.from(`${prefix}${pan}`).toString("hex")), "hex");
  }
  assert.ok(hidden("card 4242 4242 4242 4242 used"));
  assert.ok(!hidden("4242424242 is not a whole card"));
  const cvcFound = (text: string) =>
    cvcNeedles("739").some((needle) =>
      typeof needle === "string" ? text.includes(needle) : needle.test(text),
    );
  assert.ok(cvcFound('{"cvc":"739"}'));
  assert.ok(cvcFound(Buffer.from('ab{"cvc":"739"}').toString("base64")));
  assert.ok(cvcFound("security code 739."));
  assert.ok(!cvcFound("pi_3x739Ab and 17391"));
});
