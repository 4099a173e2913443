import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type MollieSimulator, startMollieSimulator } from "../../../simulators/mollie/index.ts";
import type { ConnectorAccount } from "../contract.ts";
import { createMollieConnector } from "./index.ts";
import { answerCheckout, localRequest, newCall, nextRef, startReceiver } from "./test-support.ts";

let sim: MollieSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const connector = createMollieConnector({ baseUrl: () => sim.url });

before(async () => {
  sim = await startMollieSimulator({ resolveAfterMs: 15, notificationRetryDelaysMs: [] });
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
  await sim.close();
});

test("Mollie's real notification names the payment; sync then tells what happened", async () => {
  const call = newCall({ notificationUrl: `${receiver.url}/hooks/mca_1` });
  const request = localRequest({ amount: 1999n });
  const started = await connector.startPayment!(call, request);
  assert.ok(started.outcome === "requires_action" && started.action.type === "redirect_to_url");
  const id = started.connectorReference;
  await answerCheckout(started.action.url, "paid");

  const [notification] = await receiver.waitFor(1);
  assert.ok(notification);
  assert.equal(notification.rawBody.toString(), `id=${id}`);
  const account: ConnectorAccount = call.account;
  const verified = await connector.verifyWebhook(account, notification, notification.at);
  assert.deepEqual(verified, {
    ok: true,
    event: {
      kind: "payment_lookup",
      providerEventId: `${id}@${notification.at.getTime()}`,
      connectorReference: id,
    },
  });
  assert.ok(verified.ok && verified.event.kind === "payment_lookup");
  const status = await connector.sync(call, {
    reference: request.reference,
    connectorReference: verified.event.connectorReference,
  });
  assert.equal(status.status, "authorized");
  assert.equal(status.status === "authorized" && status.amount, 1999n);

  // A refund's changes are notified with the same payment id: a new arrival is a new event.
  await connector.refund(call, {
    reference: nextRef("re"),
    connectorReference: id,
    amount: 999n,
    currency: "eur",
  });
  const later = await receiver.waitFor(3);
  const third = later[2];
  assert.ok(third);
  assert.equal(third.rawBody.toString(), `id=${id}`);
  const arrival = new Date(notification.at.getTime() + 5000);
  const again = await connector.verifyWebhook(account, third, arrival);
  assert.ok(again.ok && verified.ok);
  assert.notEqual(again.event.providerEventId, verified.event.providerEventId);

  // Tampered: anything more than the id is refused.
  const tampered = { ...notification, rawBody: Buffer.from(`id=${id}&status=paid`) };
  assert.equal((await connector.verifyWebhook(account, tampered, arrival)).ok, false);
});
