import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { verifyPayrailSignature } from "../src/webhooks/outbound/signature.ts";
import { CARD, eventually, startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
let receiver: Server;
let receiverUrl = "";
const received: Array<{ body: string; signature: string }> = [];
let failuresLeft = 0;

before(async () => {
  server = await startTestServer();
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      if (failuresLeft > 0) {
        failuresLeft--;
        res.writeHead(500).end("try later");
        return;
      }
      received.push({ body, signature: String(req.headers["payrail-signature"]) });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
after(async () => {
  await server.close();
  await new Promise((resolve) => receiver.close(resolve));
});

describe("merchant webhooks end to end", () => {
  test("card → provider → succeeded → signed merchant webhook, retried until the receiver accepts it", async () => {
    const endpoint = await server.request("POST", "/v1/webhook_endpoints", {
      body: { url: receiverUrl, enabled_events: ["payment_intent.succeeded", "refund.updated"] },
    });
    assert.equal(endpoint.status, 200, endpoint.text);
    const secret = endpoint.body.secret as string;
    assert.match(secret, /^whsec_/);
    failuresLeft = 2;
    const paid = await server.request("POST", "/v1/payment_intents", {
      body: { amount: 2500, currency: "usd", confirm: true, payment_method_data: CARD("4242424242424242") },
    });
    assert.equal(paid.body.status, "succeeded");
    const delivery = await eventually(
      async () => received.find((r) => r.body.includes(paid.body.id)),
      10_000,
      "webhook delivery",
    );
    const verdict = verifyPayrailSignature(delivery.body, delivery.signature, secret);
    assert.equal(verdict.ok, true);
    const event = JSON.parse(delivery.body);
    assert.equal(event.type, "payment_intent.succeeded");
    assert.equal(event.data.object.id, paid.body.id);
    assert.equal(event.data.object.amount_received, 2500);
    // The successful attempt is recorded just after the receiver answered: wait for its row.
    const attempts = await eventually(
      async () => {
        const res = await server.request("GET", `/v1/events/${event.id}/webhook_attempts`);
        assert.equal(res.status, 200, res.text);
        return res.body.data.length >= 3 ? res : undefined;
      },
      5_000,
      "the third attempt to be recorded",
    );
    assert.equal(attempts.body.data.length, 3);
    assert.deepEqual(attempts.body.data.map((a: any) => a.status_code).sort(), [200, 500, 500]);
    assert.equal(verifyPayrailSignature(delivery.body, delivery.signature, "whsec_wrong").ok, false);
    assert.equal(
      verifyPayrailSignature(delivery.body.replace("2500", "2501"), delivery.signature, secret).ok,
      false,
    );

    const refund = await server.request("POST", "/v1/refunds", { body: { payment_intent: paid.body.id } });
    const refundEvent = await eventually(
      async () => received.find((r) => r.body.includes(refund.body.id)),
      10_000,
      "refund webhook",
    );
    assert.equal(JSON.parse(refundEvent.body).type, "refund.updated");
    assert.ok(
      !received.some((r) => JSON.parse(r.body).type === "payment_intent.created"),
      "only subscribed types are sent",
    );
  });

  test("a manual resend delivers the event again", async () => {
    const events = await server.request("GET", "/v1/events?type=payment_intent.succeeded&limit=1");
    const id = events.body.data[0].id;
    const before = received.filter((r) => r.body.includes(id)).length;
    const resend = await server.request("POST", `/v1/events/${id}/resend`, { body: {} });
    assert.equal(resend.status, 200, resend.text);
    await eventually(
      async () => (received.filter((r) => r.body.includes(id)).length > before ? true : undefined),
      10_000,
      "resend",
    );
  });
});
