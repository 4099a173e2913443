import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { type GrabPaySimulator, startGrabPaySimulator } from "../../../simulators/grabpay/index.ts";
import type { CallContext, ConnectorAccount, InboundWebhook } from "../contract.ts";
import { createGrabPayConnector } from "./index.ts";
import { partnerSignature } from "./signing.ts";
import {
  localRequest,
  newCall,
  newReference,
  payAndReturn,
  type Received,
  type Receiver,
  startReceiver,
} from "./test-support.ts";

let sim: GrabPaySimulator;
let receiver: Receiver;
const connector = createGrabPayConnector({ baseUrl: () => sim.url });

before(async () => {
  receiver = await startReceiver();
  sim = await startGrabPaySimulator({ notificationRetryDelaysMs: [20] });
});
after(async () => {
  await sim.close();
  await receiver.close();
});

function asWebhook(received: Received): InboundWebhook {
  return { rawBody: received.raw, headers: received.headers };
}

function notificationOf(received: Received): Record<string, unknown> {
  return JSON.parse(received.raw.toString("utf8")) as Record<string, unknown>;
}

/** The next notification for this account about `partnerTxID` of the given type. */
function nextFor(call: CallContext, partnerTxID: string, txType = "Payment") {
  return receiver.waitFor(
    (r) =>
      r.path === new URL(call.notificationUrl).pathname &&
      notificationOf(r).partnerTxID === partnerTxID &&
      notificationOf(r).txType === txType,
  );
}

/** A notification body signed as GrabPay signs, for bodies the simulator would never send. */
function signed(account: ConnectorAccount, body: string, date = new Date()): InboundWebhook {
  const headers = { "content-type": "application/json", date: date.toUTCString() };
  const signature = partnerSignature(String(account.config.partner_secret), {
    method: "POST",
    contentType: headers["content-type"],
    date: headers.date,
    pathAndQuery: `/v1/hooks/grabpay/${account.id}`,
    body,
  });
  return {
    rawBody: Buffer.from(body),
    headers: { ...headers, authorization: `${account.config.partner_id}:${signature}` },
  };
}

describe("GrabPay notifications, as the simulator sends them", () => {
  it("a paid charge: verified and mapped to an authorized payment with the exact amount", async () => {
    const call = newCall(sim, { receiver });
    const request = localRequest({ amount: 4321n });
    const { returned } = await payAndReturn(connector, call, request, "approve");
    assert.ok(returned?.outcome === "authorized");
    const received = await nextFor(call, request.reference);
    const verified = await connector.verifyWebhook(call.account, asWebhook(received), new Date());
    assert.ok(verified.ok, verified.ok ? "" : verified.reason);
    const { event } = verified;
    assert.ok(event.kind === "payment");
    assert.equal(event.reference, request.reference);
    assert.equal(event.connectorReference, returned.connectorReference);
    assert.deepEqual(event.status, {
      status: "authorized",
      connectorReference: returned.connectorReference,
      amount: 4321n,
      currency: "sgd",
      captured: true,
      capturedAmount: 4321n,
    });
    assert.equal(event.providerEventId, `Payment:${notificationOf(received).txID}:success`);
  });

  it("a failed and a declined charge: declines with GrabPay's reason", async () => {
    const call = newCall(sim, { receiver });
    for (const [choice, code] of [
      ["fail", "insufficient_funds"],
      ["decline", "generic_decline"],
    ] as const) {
      const request = localRequest();
      await payAndReturn(connector, call, request, choice);
      const verified = await connector.verifyWebhook(
        call.account,
        asWebhook(await nextFor(call, request.reference)),
        new Date(),
      );
      assert.ok(verified.ok && verified.event.kind === "payment", choice);
      assert.equal(verified.event.status.status === "declined" && verified.event.status.declineCode, code);
    }
  });

  it("a refund: mapped to a succeeded refund of our reference, GrabPay's amount converted", async () => {
    const call = newCall(sim, { receiver, country: "ID" });
    const request = localRequest({ currency: "idr", amount: 3_000_000n });
    const { returned } = await payAndReturn(connector, call, request, "approve");
    assert.ok(returned?.outcome === "authorized");
    const reference = `re_${randomBytes(12).toString("hex")}`;
    const refunded = await connector.refund(call, {
      reference,
      connectorReference: returned.connectorReference,
      amount: 1_000_000n,
      currency: "idr",
    });
    assert.ok(refunded.outcome === "succeeded");
    const verified = await connector.verifyWebhook(
      call.account,
      asWebhook(await nextFor(call, reference, "Refund")),
      new Date(),
    );
    assert.ok(verified.ok && verified.event.kind === "refund");
    assert.equal(verified.event.reference, reference);
    assert.deepEqual(verified.event.status, {
      status: "succeeded",
      connectorReference: refunded.connectorReference,
      amount: 1_000_000n,
      currency: "idr",
    });
  });

  it("a duplicated notification has the same providerEventId", async () => {
    const call = newCall(sim, { receiver });
    sim.injectFault({ kind: "duplicate_notifications", match: new URL(call.notificationUrl).pathname });
    const request = localRequest();
    await payAndReturn(connector, call, request, "approve");
    await nextFor(call, request.reference);
    const path = new URL(call.notificationUrl).pathname;
    const start = Date.now();
    while (receiver.received.filter((r) => r.path === path).length < 2 && Date.now() - start < 3000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const copies = receiver.received.filter((r) => r.path === path);
    assert.equal(copies.length, 2);
    const ids = await Promise.all(
      copies.map(async (r) => {
        const verified = await connector.verifyWebhook(call.account, asWebhook(r), new Date());
        return verified.ok ? verified.event.providerEventId : verified.reason;
      }),
    );
    assert.equal(ids[0], ids[1]);
  });

  it("a charge made under a digest of a long reference asks Payrail to look it up", async () => {
    const call = newCall(sim, { receiver });
    const request = localRequest({ reference: `${newReference()}-and-more-than-32-characters` });
    const { started } = await payAndReturn(connector, call, request, "approve");
    assert.ok(started.outcome === "requires_action");
    const partnerTxID = started.connectorReference.split(":")[0] ?? "";
    const verified = await connector.verifyWebhook(
      call.account,
      asWebhook(await nextFor(call, partnerTxID)),
      new Date(),
    );
    assert.ok(verified.ok);
    assert.deepEqual(verified.event, {
      kind: "payment_lookup",
      providerEventId: verified.event.providerEventId,
      connectorReference: started.connectorReference,
    });
  });

  describe("refused", () => {
    let call: CallContext;
    let genuine: Received;
    before(async () => {
      call = newCall(sim, { receiver });
      const request = localRequest();
      await payAndReturn(connector, call, request, "approve");
      genuine = await nextFor(call, request.reference);
    });

    const verify = (webhook: InboundWebhook, account: ConnectorAccount = call.account, now = new Date()) =>
      connector.verifyWebhook(account, webhook, now);

    it("a body changed by one byte", async () => {
      const raw = Buffer.from(genuine.raw);
      raw[raw.length - 2] = (raw[raw.length - 2] ?? 0) ^ 1;
      assert.deepEqual(await verify({ ...asWebhook(genuine), rawBody: raw }), {
        ok: false,
        reason: "signature_mismatch",
      });
    });

    it("a changed signature, a missing one, another partner's", async () => {
      const headers = genuine.headers;
      const [partner, signature = ""] = String(headers.authorization).split(":");
      const flipped = `${partner}:${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
      assert.equal(
        (await verify({ ...asWebhook(genuine), headers: { ...headers, authorization: flipped } })).ok,
        false,
      );
      const { authorization: _, ...unsigned } = headers;
      assert.deepEqual(await verify({ ...asWebhook(genuine), headers: unsigned }), {
        ok: false,
        reason: "missing_signature_header",
      });
      assert.deepEqual(
        await verify({ ...asWebhook(genuine), headers: { ...headers, authorization: `other:${signature}` } }),
        { ok: false, reason: "unknown_partner" },
      );
    });

    it("an account with another secret", async () => {
      const other = {
        ...call.account,
        config: { ...call.account.config, partner_secret: "another-secret-value" },
      };
      assert.deepEqual(await verify(asWebhook(genuine), other), { ok: false, reason: "signature_mismatch" });
    });

    it("a notification URL whose path is not the one signed", async () => {
      const elsewhere = {
        ...call.account,
        config: { ...call.account.config, notification_url: "https://payrail.example/hooks/other" },
      };
      assert.deepEqual(await verify(asWebhook(genuine), elsewhere), {
        ok: false,
        reason: "signature_mismatch",
      });
      const same = {
        ...call.account,
        config: { ...call.account.config, notification_url: call.notificationUrl },
      };
      assert.equal((await verify(asWebhook(genuine), same)).ok, true);
    });

    it("a Date more than five minutes from now", async () => {
      const later = new Date(Date.now() + 6 * 60_000);
      assert.deepEqual(await verify(asWebhook(genuine), call.account, later), {
        ok: false,
        reason: "date_outside_tolerance",
      });
    });

    it("a signed body that is not JSON, or lacks what a notification has", async () => {
      assert.deepEqual(await verify(signed(call.account, "{not json")), {
        ok: false,
        reason: "malformed_json",
      });
      assert.deepEqual(await verify(signed(call.account, '{"txType":"Payment"}')), {
        ok: false,
        reason: "malformed_notification",
      });
    });

    it("an account whose configuration is unusable", async () => {
      const broken = { ...call.account, config: {} };
      assert.deepEqual(await verify(asWebhook(genuine), broken), {
        ok: false,
        reason: "account_config_invalid",
      });
    });
  });

  it("a signed notification of a type we do not know maps to unknown", async () => {
    const call = newCall(sim);
    const body = JSON.stringify({ txType: "Chargeback", txID: "t1", partnerTxID: "p1", status: "success" });
    const verified = await connector.verifyWebhook(call.account, signed(call.account, body), new Date());
    assert.deepEqual(verified, {
      ok: true,
      event: { kind: "unknown", providerEventId: "Chargeback:t1:success", providerType: "Chargeback" },
    });
  });
});
