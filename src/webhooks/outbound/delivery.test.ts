import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/context.ts";
import { ManualClock } from "../../core/clock.ts";
import { presentEvent } from "../../events/service.ts";
import { deliverWebhooksJob, dispatchEventsJob } from "./jobs.ts";
import { createWebhookEndpointService } from "./service.ts";
import { verifyPayrailSignature } from "./signature.ts";
import { newEvent, newMerchant, type ReceiverBehaviour, startReceiver, testAuth } from "./test-support.ts";

// Far ahead of the wall clock: on a shared database, workers of other test files never find our deliveries due.
const clock = new ManualClock(Date.UTC(2100, 0, 1));
let t: TestContext;
const receivers: Array<{ close(): Promise<void> }> = [];

before(async () => {
  t = await createTestContext({
    clock,
    env: { PAYRAIL_WEBHOOK_RETRY_SCHEDULE: "1s,2s,3s", PAYRAIL_WEBHOOK_TIMEOUT: "5s" },
  });
});
after(async () => {
  // Closed here rather than in each test, so a failing assertion does not leave a server running.
  await Promise.all(receivers.map((r) => r.close()));
  await t.close();
});

/** A merchant with one endpoint pointing at a fresh receiver that checks every signature. */
async function setup(behaviour: ReceiverBehaviour, enabledEvents = ["*"]) {
  const merchantId = await newMerchant(t.ctx);
  const verdicts: string[] = [];
  let secret = "";
  const receiver = await startReceiver((request, index) => {
    const header = request.headers["payrail-signature"];
    const verified = verifyPayrailSignature(
      request.body,
      String(header ?? ""),
      secret,
      300,
      clock.now().getTime() / 1000,
    );
    verdicts.push(verified.ok ? "ok" : verified.reason);
    return verified.ok ? behaviour(request, index) : 400;
  });
  receivers.push(receiver);
  const service = createWebhookEndpointService(t.ctx);
  const endpoint = await service.create(testAuth(merchantId), {
    url: receiver.url,
    enabled_events: enabledEvents,
  });
  secret = endpoint.secret as string;
  const scope = { merchantIds: [merchantId] };
  return {
    merchantId,
    endpoint,
    receiver,
    verdicts,
    service,
    dispatch: dispatchEventsJob(t.ctx, scope),
    deliver: deliverWebhooksJob(t.ctx, scope),
  };
}

const deliveriesOf = (merchantId: string) =>
  t.ctx.db
    .selectFrom("webhook_deliveries")
    .selectAll()
    .where("merchant_id", "=", merchantId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();

const attemptsOf = (merchantId: string) =>
  t.ctx.db
    .selectFrom("webhook_attempts")
    .selectAll()
    .where("merchant_id", "=", merchantId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();

describe("webhook delivery", () => {
  test("fails twice, then succeeds on the schedule; every request is signed over its exact bytes", async () => {
    const s = await setup((_request, index) => (index < 2 ? 500 : 200));
    const eventId = await newEvent(t.ctx, s.merchantId);
    assert.equal(await s.dispatch.run(), 1);
    assert.equal(await s.dispatch.run(), 0);
    const [pending] = await deliveriesOf(s.merchantId);
    assert.equal(pending?.status, "pending");
    assert.equal(pending?.next_attempt_at.getTime(), clock.now().getTime());

    assert.equal(await s.deliver.run(), 1);
    let [delivery] = await deliveriesOf(s.merchantId);
    assert.equal(delivery?.attempts, 1);
    assert.equal(delivery?.last_status_code, 500);
    assert.equal(delivery?.next_attempt_at.getTime(), clock.now().getTime() + 1000);
    assert.equal(delivery?.locked_until, null);
    assert.equal(await s.deliver.run(), 0, "not due before the first delay");

    clock.advance(1000);
    assert.equal(await s.deliver.run(), 1);
    [delivery] = await deliveriesOf(s.merchantId);
    assert.equal(delivery?.next_attempt_at.getTime(), clock.now().getTime() + 2000);
    clock.advance(1999);
    assert.equal(await s.deliver.run(), 0);
    clock.advance(1);
    assert.equal(await s.deliver.run(), 1);
    [delivery] = await deliveriesOf(s.merchantId);
    assert.equal(delivery?.status, "succeeded");
    assert.equal(delivery?.attempts, 3);
    assert.equal(await s.deliver.run(), 0);

    assert.deepEqual(s.verdicts, ["ok", "ok", "ok"]);
    const first = s.receiver.received[0];
    assert.equal(first?.method, "POST");
    assert.equal(first?.url, "/webhooks");
    assert.equal(first?.headers["content-type"], "application/json");
    assert.equal(first?.headers["user-agent"], "Payrail/1.0 (+webhooks)");
    const eventRow = await t.ctx.db
      .selectFrom("events")
      .selectAll()
      .where("id", "=", eventId)
      .executeTakeFirstOrThrow();
    assert.equal(first?.body, JSON.stringify(presentEvent(eventRow)));

    const attempts = await attemptsOf(s.merchantId);
    assert.deepEqual(
      attempts.map((a) => a.status_code),
      [500, 500, 200],
    );
    assert.deepEqual(
      attempts.map((a) => a.error),
      ["HTTP 500", "HTTP 500", null],
    );
    assert.ok(
      attempts.every((a) => a.latency_ms >= 0 && a.event_id === eventId && a.endpoint_id === s.endpoint.id),
    );
    const listed = await s.service.eventAttempts(testAuth(s.merchantId), eventId, { limit: 10 });
    assert.deepEqual(
      listed.rows.map((a) => a.status_code),
      [200, 500, 500],
    );
    assert.equal(listed.rows[0]?.object, "webhook_attempt");
    const byEndpoint = await s.service.endpointAttempts(testAuth(s.merchantId), s.endpoint.id, { limit: 2 });
    assert.equal(byEndpoint.rows.length, 2);
    assert.equal(byEndpoint.has_more, true);

    const outcomes = (await t.ctx.metrics.webhookAttempts.get()).values;
    assert.ok(outcomes.some((v) => v.labels.outcome === "succeeded" && v.value >= 1));
    assert.ok(
      (await t.ctx.metrics.webhookLag.get()).values.some(
        (v) => v.metricName?.endsWith("_count") && v.value >= 1,
      ),
    );
  });

  test("an endpoint failing the whole schedule is disabled, with an event in the same step", async () => {
    const s = await setup(() => 500);
    await newEvent(t.ctx, s.merchantId);
    await s.dispatch.run();
    for (const delay of [1000, 2000, 3000]) {
      assert.equal(await s.deliver.run(), 1);
      clock.advance(delay);
    }
    // A second delivery arrives meanwhile and has its first attempt alongside the last one of the first.
    await newEvent(t.ctx, s.merchantId);
    await s.dispatch.run();
    assert.equal(await s.deliver.run(), 2);
    const [exhausted, second] = await deliveriesOf(s.merchantId);
    assert.equal(exhausted?.status, "failed");
    assert.equal(exhausted?.attempts, 4);
    assert.equal(second?.status, "pending");

    const endpoint = await s.service.retrieve(testAuth(s.merchantId), s.endpoint.id);
    assert.equal(endpoint.status, "disabled");
    assert.equal(endpoint.disabled_reason, "delivery_failures");
    const events = await t.ctx.db
      .selectFrom("events")
      .selectAll()
      .where("merchant_id", "=", s.merchantId)
      .where("type", "=", "webhook_endpoint.disabled")
      .execute();
    assert.equal(events.length, 1);
    assert.equal(events[0]?.object_id, s.endpoint.id);
    assert.equal((events[0]?.data.object as { status?: string } | undefined)?.status, "disabled");

    // The other delivery is not attempted any more, and new events do not reach the endpoint.
    clock.advance(1000);
    assert.equal(await s.deliver.run(), 1);
    const after = await deliveriesOf(s.merchantId);
    assert.equal(after[1]?.status, "failed");
    assert.equal(after[1]?.attempts, 1);
    assert.equal(s.receiver.received.length, 5);
    await s.dispatch.run();
    assert.equal(
      (await deliveriesOf(s.merchantId)).length,
      2,
      "the disabled event reaches no disabled endpoint",
    );
  });

  test("a success for another event in the meantime keeps the endpoint enabled", async () => {
    let failing = "";
    const s = await setup((request) => (JSON.parse(request.body).id === failing ? 503 : 200));
    failing = await newEvent(t.ctx, s.merchantId);
    clock.advance(10);
    await s.dispatch.run();
    await s.deliver.run();
    const succeeding = await newEvent(t.ctx, s.merchantId);
    await s.dispatch.run();
    for (const delay of [1000, 2000, 3000]) {
      clock.advance(delay);
      await s.deliver.run();
    }
    const deliveries = await deliveriesOf(s.merchantId);
    assert.equal(deliveries.find((d) => d.event_id === failing)?.status, "failed");
    assert.equal(deliveries.find((d) => d.event_id === succeeding)?.status, "succeeded");
    assert.equal((await s.service.retrieve(testAuth(s.merchantId), s.endpoint.id)).status, "enabled");
  });

  test("a redirect is a failure and is not followed; big response bodies are cut off", async () => {
    const s = await setup((request) =>
      request.url === "/x"
        ? 200
        : JSON.parse(request.body).type === "refund.created"
          ? 302
          : { status: 200, body: "x".repeat(1 << 20) },
    );
    await newEvent(t.ctx, s.merchantId, "refund.created");
    await newEvent(t.ctx, s.merchantId, "customer.created");
    await s.dispatch.run();
    assert.equal(await s.deliver.run(), 2);
    const attempts = await attemptsOf(s.merchantId);
    const redirect = attempts.find((a) => a.status_code === 302);
    assert.equal(redirect?.error, "HTTP 302: redirects are not followed");
    assert.ok(attempts.some((a) => a.status_code === 200 && a.error === null));
    assert.equal(s.receiver.received.length, 2);
    assert.ok(s.receiver.received.every((r) => r.url === "/webhooks"));
  });

  test("resend creates a new delivery of the same event", async () => {
    const s = await setup(() => 200);
    const eventId = await newEvent(t.ctx, s.merchantId);
    await s.dispatch.run();
    await s.deliver.run();
    const resent = await s.service.resend(testAuth(s.merchantId), eventId, undefined);
    assert.equal(resent.length, 1);
    assert.equal(resent[0]?.object, "webhook_delivery");
    assert.equal(resent[0]?.status, "pending");
    assert.equal(resent[0]?.event, eventId);
    const named = await s.service.resend(testAuth(s.merchantId), eventId, s.endpoint.id);
    assert.equal(named[0]?.webhook_endpoint, s.endpoint.id);
    assert.equal(await s.deliver.run(), 2);
    assert.equal(s.receiver.received.length, 3);
    assert.ok(s.receiver.received.every((r) => JSON.parse(r.body).id === eventId));
    assert.ok((await deliveriesOf(s.merchantId)).every((d) => d.status === "succeeded"));
    assert.deepEqual(s.verdicts, ["ok", "ok", "ok"]);
  });
});
