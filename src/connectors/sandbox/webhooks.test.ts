import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import type { ConnectorAccount } from "../contract.ts";
import { parseSignatureHeader } from "../timestamped-signature.ts";
import { createSandboxConnector } from "./index.ts";

const API_KEY = "sbx_sk_0123456789abcdefghijABCDEFGHIJ";
const account: ConnectorAccount = {
  id: "mca_1",
  merchantId: "acct_1",
  livemode: false,
  connector: "sandbox",
  config: { api_key: API_KEY },
};
const connector = createSandboxConnector({ baseUrl: () => "http://127.0.0.1:1" });
const now = new Date(Date.UTC(2030, 0, 1, 12));
const t = Math.floor(now.getTime() / 1000);

function sign(body: Buffer | string, timestamp = t, key = API_KEY): string {
  const v1 = createHmac("sha256", key).update(`${timestamp}.`).update(body).digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

const chargeEvent = {
  id: "evt_abc",
  object: "event",
  type: "charge.authorized",
  created: t,
  data: {
    object: {
      id: "ch_1",
      object: "charge",
      reference: "pa_1",
      status: "authorized",
      amount: 1000,
      currency: "usd",
      amount_captured: 0,
      amount_refunded: 0,
      capture: false,
      decline_code: null,
      message: null,
      redirect_url: null,
      network_transaction_id: "1",
      created: t,
      card: { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2040 },
    },
  },
};

function webhook(body: unknown, header?: string | null, name = "Sandbox-Signature") {
  const rawBody = Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (header !== null) headers[name] = header ?? sign(rawBody);
  return { rawBody, headers };
}

describe("verifyWebhook", () => {
  test("a valid signature yields the mapped payment event", async () => {
    const result = await connector.verifyWebhook(account, webhook(chargeEvent), now);
    assert.deepEqual(result, {
      ok: true,
      event: {
        kind: "payment",
        providerEventId: "evt_abc",
        reference: "pa_1",
        connectorReference: "ch_1",
        status: {
          status: "authorized",
          connectorReference: "ch_1",
          amount: 1000n,
          currency: "usd",
          captured: false,
          capturedAmount: 0n,
        },
      },
    });
  });

  test("the header name is case-insensitive", async () => {
    const result = await connector.verifyWebhook(
      account,
      webhook(chargeEvent, undefined, "sandbox-signature"),
      now,
    );
    assert.equal(result.ok, true);
  });

  test("the exact raw bytes are verified, whitespace and all", async () => {
    const raw = `{ "id": "evt_ws",\n "object": "event", "type": "x.y", "data": {"object": {}} }`;
    const result = await connector.verifyWebhook(account, webhook(raw), now);
    assert.deepEqual(result, {
      ok: true,
      event: { kind: "unknown", providerEventId: "evt_ws", providerType: "x.y" },
    });
  });

  test("a tampered body fails", async () => {
    const good = webhook(chargeEvent);
    const tampered = Buffer.from(good.rawBody.toString().replace('"amount":1000', '"amount":1'));
    const result = await connector.verifyWebhook(account, { rawBody: tampered, headers: good.headers }, now);
    assert.deepEqual(result, { ok: false, reason: "signature_mismatch" });
  });

  test("a signature made with another key fails", async () => {
    const raw = JSON.stringify(chargeEvent);
    const header = sign(raw, t, "sbx_sk_someoneelsesomeoneelsesomeone");
    const result = await connector.verifyWebhook(account, webhook(raw, header), now);
    assert.deepEqual(result, { ok: false, reason: "signature_mismatch" });
  });

  test("a changed timestamp breaks the signature", async () => {
    const raw = JSON.stringify(chargeEvent);
    const header = sign(raw).replace(`t=${t}`, `t=${t + 1}`);
    const result = await connector.verifyWebhook(account, webhook(raw, header), now);
    assert.deepEqual(result, { ok: false, reason: "signature_mismatch" });
  });

  test("a stale timestamp fails, 300 s is still fine", async () => {
    const raw = JSON.stringify(chargeEvent);
    assert.deepEqual(await connector.verifyWebhook(account, webhook(raw, sign(raw, t - 301)), now), {
      ok: false,
      reason: "timestamp_too_old",
    });
    assert.equal((await connector.verifyWebhook(account, webhook(raw, sign(raw, t - 300)), now)).ok, true);
  });

  test("a future timestamp fails, 300 s is still fine", async () => {
    const raw = JSON.stringify(chargeEvent);
    assert.deepEqual(await connector.verifyWebhook(account, webhook(raw, sign(raw, t + 301)), now), {
      ok: false,
      reason: "timestamp_in_future",
    });
    assert.equal((await connector.verifyWebhook(account, webhook(raw, sign(raw, t + 300)), now)).ok, true);
  });

  test("several v1 values: any one matching is enough", async () => {
    const raw = JSON.stringify(chargeEvent);
    const good = sign(raw).split(",")[1];
    const header = `t=${t},v1=${"0".repeat(64)},${good}`;
    assert.equal((await connector.verifyWebhook(account, webhook(raw, header), now)).ok, true);
  });

  test("a missing header fails", async () => {
    assert.deepEqual(await connector.verifyWebhook(account, webhook(chargeEvent, null), now), {
      ok: false,
      reason: "missing_signature_header",
    });
  });

  for (const header of ["", "garbage", `t=${t}`, "v1=abc", `t=abc,v1=${"a".repeat(64)}`, `t=${t},v1=short`]) {
    test(`a malformed header ${JSON.stringify(header)} fails`, async () => {
      assert.deepEqual(await connector.verifyWebhook(account, webhook(chargeEvent, header), now), {
        ok: false,
        reason: "malformed_signature_header",
      });
    });
  }

  test("a v1 of the right length but wrong bytes fails without throwing", async () => {
    const header = `t=${t},v1=${"f".repeat(64)}`;
    assert.deepEqual(await connector.verifyWebhook(account, webhook(chargeEvent, header), now), {
      ok: false,
      reason: "signature_mismatch",
    });
  });

  test("malformed JSON with a valid signature fails", async () => {
    assert.deepEqual(await connector.verifyWebhook(account, webhook('{"id":"evt_1",'), now), {
      ok: false,
      reason: "malformed_json",
    });
  });

  test("a known type whose object is unreadable fails", async () => {
    const event = { ...chargeEvent, data: { object: { id: "ch_1" } } };
    assert.deepEqual(await connector.verifyWebhook(account, webhook(event), now), {
      ok: false,
      reason: "malformed_event",
    });
  });

  test("an unknown event type is kept as unknown", async () => {
    const event = { ...chargeEvent, id: "evt_u", type: "dispute.created" };
    assert.deepEqual(await connector.verifyWebhook(account, webhook(event), now), {
      ok: true,
      event: { kind: "unknown", providerEventId: "evt_u", providerType: "dispute.created" },
    });
  });

  test("a refund event maps to a refund", async () => {
    const event = {
      id: "evt_r",
      object: "event",
      type: "refund.pending",
      created: t,
      data: {
        object: {
          id: "rf_1",
          object: "refund",
          charge: "ch_1",
          reference: "re_1",
          amount: 100,
          currency: "usd",
          status: "pending",
          failure_reason: null,
          created: t,
        },
      },
    };
    assert.deepEqual(await connector.verifyWebhook(account, webhook(event), now), {
      ok: true,
      event: {
        kind: "refund",
        providerEventId: "evt_r",
        reference: "re_1",
        connectorReference: "rf_1",
        status: { status: "pending", connectorReference: "rf_1" },
      },
    });
  });

  test("an account without a usable key fails without throwing", async () => {
    const broken = { ...account, config: {} };
    assert.deepEqual(await connector.verifyWebhook(broken, webhook(chargeEvent), now), {
      ok: false,
      reason: "account_config_invalid",
    });
  });
});

describe("parseSignatureHeader", () => {
  test("tolerates spaces and unknown schemes", () => {
    const parsed = parseSignatureHeader(` t=12 , v0=zz, v1=${"ab".repeat(32)} `);
    assert.equal(parsed?.timestamp, 12);
    assert.equal(parsed?.signatures.length, 1);
  });
});
