import assert from "node:assert/strict";
import { test } from "node:test";
import { CARD, startTestServer } from "./support/server.ts";

test("graceful shutdown: requests in flight finish, new connections are refused", async () => {
  const server = await startTestServer();
  const simulator = server.payrail.simulator;
  assert.ok(simulator);
  await server.request("GET", "/healthz"); // warm the client up so the slow request is surely sent
  simulator.injectFault({ kind: "latency", ms: 700, times: 1, match: "/v1/charges" });
  const inFlight = server.request("POST", "/v1/payment_intents", {
    body: { amount: 4100, currency: "usd", confirm: true, payment_method_data: CARD("4242424242424242") },
    headers: { connection: "close" },
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const closing = server.payrail.close();
  const res = await inFlight;
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.status, "succeeded", "the payment in flight completed with its outcome recorded");
  await closing;
  await assert.rejects(fetch(`${server.url}/healthz`), "the closed server accepts nothing new");
  await server.close();
});
