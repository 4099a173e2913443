import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ConnectorAccount, InboundWebhook } from "../contract.ts";
import { createMollieConnector } from "./index.ts";

const connector = createMollieConnector({ baseUrl: () => "http://127.0.0.1:9" });
const account: ConnectorAccount = {
  id: "mca_1",
  merchantId: "acct_1",
  livemode: false,
  connector: "mollie",
  config: { api_key: `test_${"a".repeat(30)}` },
};
const arrival = new Date("2024-04-03T10:00:05.123Z");
const form = { "content-type": "application/x-www-form-urlencoded" };
const hook = (body: string | Buffer, headers: Record<string, string> = form): InboundWebhook => ({
  rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body),
  headers,
});
const verify = (w: InboundWebhook, at = arrival, acc = account) => connector.verifyWebhook(acc, w, at);

describe("verifyWebhook: only a payment id, never trusted for more", () => {
  test("id=tr_… is a lookup of that payment, one event per arrival", async () => {
    assert.deepEqual(await verify(hook("id=tr_WDqYK6vllg")), {
      ok: true,
      event: {
        kind: "payment_lookup",
        providerEventId: `tr_WDqYK6vllg@${arrival.getTime()}`,
        connectorReference: "tr_WDqYK6vllg",
      },
    });
    const later = await verify(hook("id=tr_WDqYK6vllg"), new Date(arrival.getTime() + 1));
    assert.ok(later.ok);
    assert.equal(later.event.providerEventId, `tr_WDqYK6vllg@${arrival.getTime() + 1}`);
    assert.deepEqual(
      await verify(hook("id=tr_WDqYK6vllg")),
      await verify(hook("id=tr_WDqYK6vllg")),
      "a replay of one arrival is the same event",
    );
  });

  test("headers and the account do not matter: there is nothing to verify them against", async () => {
    assert.equal((await verify(hook("id=tr_WDqYK6vllg", {}))).ok, true);
    assert.equal((await verify(hook("id=tr_WDqYK6vllg"), arrival, { ...account, config: {} })).ok, true);
  });

  const refused: Array<[string, string | Buffer]> = [
    ["empty", ""],
    ["another resource", "id=re_4qqhO89gsT"],
    ["an order", "id=ord_pbjz8x"],
    ["an extra field", "id=tr_WDqYK6vllg&status=paid"],
    ["a field before", "status=paid&id=tr_WDqYK6vllg"],
    ["a trailing newline", "id=tr_WDqYK6vllg\n"],
    ["spaces", " id=tr_WDqYK6vllg"],
    ["percent-encoded", "id=tr%5FWDqYK6vllg"],
    ["a path", "id=tr_WDqYK6vllg/refunds"],
    ["too short an id", "id=tr_ab"],
    ["JSON", '{"id":"tr_WDqYK6vllg"}'],
    ["two ids", "id=tr_WDqYK6vllg&id=tr_other12345"],
    ["a huge body", `id=tr_${"a".repeat(200)}`],
    ["non-UTF-8 bytes", Buffer.from([0x69, 0x64, 0x3d, 0x74, 0x72, 0x5f, 0xff, 0xfe, 0x41, 0x42, 0x43])],
  ];
  for (const [name, body] of refused) {
    test(`refused: ${name}`, async () => {
      const result = await verify(hook(body));
      assert.equal(result.ok, false);
    });
  }

  test("an invalid arrival time is refused, not thrown", async () => {
    assert.equal((await verify(hook("id=tr_WDqYK6vllg"), new Date(Number.NaN))).ok, false);
  });
});
