import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestContext, type TestContext } from "../../../test/support/context.ts";
import { ManualClock } from "../../core/clock.ts";
import { json } from "../../db/schema.ts";
import type { EventType } from "../../events/types.ts";
import { deliverWebhooksJob, dispatchEventsJob } from "./jobs.ts";
import { createWebhookEndpointService } from "./service.ts";
import { newEvent, newMerchant, type ReceiverBehaviour, startReceiver, testAuth } from "./test-support.ts";
import { createDeliveryFetch, RefusedAddressError } from "./transport.ts";

// Far ahead of the wall clock: on a shared database, workers of other test files never find our deliveries due.
const clock = new ManualClock(Date.UTC(2100, 0, 1));
let t: TestContext;
let quick: TestContext; // the same database kind, with a 200 ms webhook timeout
const receivers: Array<{ close(): Promise<void> }> = [];

before(async () => {
  const env = { PAYRAIL_WEBHOOK_RETRY_SCHEDULE: "1s,2s,3s" };
  t = await createTestContext({ clock, env });
  quick = await createTestContext({ clock, env: { ...env, PAYRAIL_WEBHOOK_TIMEOUT: "200ms" } });
});
after(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await Promise.all([t.close(), quick.close()]);
});

async function receiver(behaviour: ReceiverBehaviour) {
  const started = await startReceiver(behaviour);
  receivers.push(started);
  return started;
}

const deliveries = (ctx: TestContext, merchantId: string) =>
  ctx.ctx.db.selectFrom("webhook_deliveries").selectAll().where("merchant_id", "=", merchantId).execute();

const attempts = (ctx: TestContext, merchantId: string) =>
  ctx.ctx.db.selectFrom("webhook_attempts").selectAll().where("merchant_id", "=", merchantId).execute();

/** An endpoint row written directly, as a URL the API would refuse may have been saved before a DNS change. */
async function rawEndpoint(
  ctx: TestContext,
  merchantId: string,
  livemode: boolean,
  url: string,
  events = ["*"],
) {
  const now = clock.now();
  const row = await ctx.ctx.db
    .insertInto("webhook_endpoints")
    .values({
      id: ctx.ctx.ids.next("we"),
      merchant_id: merchantId,
      livemode,
      url,
      description: null,
      enabled_events: json(events),
      secret: "whsec_0123456789abcdefghijABCDEFGHIJ01",
      status: "enabled",
      disabled_reason: null,
      metadata: json({}),
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("dispatch", () => {
  test("fans events out by merchant, mode, type and '*'; disabled endpoints get nothing", async () => {
    const merchantId = await newMerchant(t.ctx);
    const other = await newMerchant(t.ctx);
    const service = createWebhookEndpointService(t.ctx);
    const make = async (enabled_events: string[]) =>
      (await service.create(testAuth(merchantId), { url: "https://hooks.example.com/", enabled_events })).id;
    const succeededOnly = await make(["payment_intent.succeeded"]);
    const all = await make(["*"]);
    const refunds = await make(["refund.created", "refund.updated"]);
    const disabled = await make(["*"]);
    await service.update(testAuth(merchantId), disabled, { disabled: true }, {});
    const live = await rawEndpoint(t, merchantId, true, "https://hooks.example.com/");
    const foreign = await rawEndpoint(t, other, false, "https://hooks.example.com/");

    const types: EventType[] = ["payment_intent.succeeded", "refund.created", "customer.created"];
    const ids: Record<string, string> = {};
    for (const type of types) ids[type] = await newEvent(t.ctx, merchantId, type);
    const job = dispatchEventsJob(t.ctx, { merchantIds: [merchantId, other] });
    assert.equal(await job.run(), 4, "three events and the disabled-endpoint event");
    assert.equal(await job.run(), 0);

    const rows = await deliveries(t, merchantId);
    const pairs = (endpoint: string) =>
      rows
        .filter((d) => d.endpoint_id === endpoint)
        .map((d) => d.event_id)
        .sort();
    assert.deepEqual(pairs(succeededOnly), [ids["payment_intent.succeeded"]]);
    assert.deepEqual(pairs(refunds), [ids["refund.created"]]);
    assert.equal(pairs(all).length, 4); // the three, and webhook_endpoint.disabled
    assert.deepEqual(pairs(disabled), []);
    assert.deepEqual(pairs(live), []);
    assert.equal((await deliveries(t, other)).filter((d) => d.endpoint_id === foreign).length, 0);
    assert.ok(rows.every((d) => d.status === "pending" && d.attempts === 0));
    const undispatched = await t.ctx.db
      .selectFrom("events")
      .select("id")
      .where("merchant_id", "=", merchantId)
      .where("dispatched", "=", false)
      .execute();
    assert.equal(undispatched.length, 0);
    const backlog = (await t.ctx.metrics.outboxBacklog.get()).values;
    assert.equal(backlog.find((v) => v.labels.queue === "events")?.value, 0);
    assert.equal(backlog.find((v) => v.labels.queue === "deliveries")?.value, rows.length);
  });

  test("two dispatchers at once fan each event out once", async () => {
    const merchantId = await newMerchant(t.ctx);
    await rawEndpoint(t, merchantId, false, "https://hooks.example.com/");
    for (let i = 0; i < 30; i++) await newEvent(t.ctx, merchantId);
    const scope = { merchantIds: [merchantId], batchSize: 7 };
    const a = dispatchEventsJob(t.ctx, scope);
    const b = dispatchEventsJob(t.ctx, scope);
    let handled = 0;
    for (;;) {
      const [x, y] = await Promise.all([a.run(), b.run()]);
      handled += x + y;
      if (x + y === 0) break;
    }
    assert.equal(handled, 30);
    const rows = await deliveries(t, merchantId);
    assert.equal(rows.length, 30);
    assert.equal(new Set(rows.map((d) => d.event_id)).size, 30);
  });
});

describe("delivery edge cases", () => {
  test("two deliver jobs running at once deliver each delivery once", async () => {
    const merchantId = await newMerchant(t.ctx);
    const seen = new Map<string, number>();
    const r = await receiver((request) => {
      const id = JSON.parse(request.body).id as string;
      seen.set(id, (seen.get(id) ?? 0) + 1);
      return 200;
    });
    await rawEndpoint(t, merchantId, false, r.url);
    for (let i = 0; i < 24; i++) await newEvent(t.ctx, merchantId);
    const scope = { merchantIds: [merchantId] };
    await dispatchEventsJob(t.ctx, scope).run();
    const a = deliverWebhooksJob(t.ctx, { ...scope, batchSize: 5, concurrency: 3 });
    const b = deliverWebhooksJob(t.ctx, { ...scope, batchSize: 5, concurrency: 3 });
    for (;;) {
      const [x, y] = await Promise.all([a.run(), b.run()]);
      if (x + y === 0) break;
    }
    assert.equal(seen.size, 24);
    assert.ok([...seen.values()].every((n) => n === 1));
    assert.equal(r.received.length, 24);
    assert.ok((await deliveries(t, merchantId)).every((d) => d.status === "succeeded" && d.attempts === 1));
    assert.equal((await attempts(t, merchantId)).length, 24);
  });

  test("a receiver that never answers times out, and that counts as a failed attempt", async () => {
    const merchantId = await newMerchant(quick.ctx);
    const r = await receiver(() => "hang");
    await rawEndpoint(quick, merchantId, false, r.url);
    await newEvent(quick.ctx, merchantId);
    const scope = { merchantIds: [merchantId] };
    await dispatchEventsJob(quick.ctx, scope).run();
    assert.equal(await deliverWebhooksJob(quick.ctx, scope).run(), 1);
    const [attempt] = await attempts(quick, merchantId);
    assert.equal(attempt?.status_code, null);
    assert.equal(attempt?.error, "timed out after 200 ms");
    assert.ok((attempt?.latency_ms ?? 0) >= 150);
    const [delivery] = await deliveries(quick, merchantId);
    assert.equal(delivery?.status, "pending");
    assert.equal(delivery?.attempts, 1);
    assert.equal(delivery?.next_attempt_at.getTime(), clock.now().getTime() + 1000);
    const outcomes = (await quick.ctx.metrics.webhookAttempts.get()).values;
    assert.ok(outcomes.some((v) => v.labels.outcome === "timeout"));
  });

  test("a refused connection is a failed attempt with the reason", async () => {
    const merchantId = await newMerchant(t.ctx);
    const r = await receiver(() => 200);
    await r.close();
    await rawEndpoint(t, merchantId, false, r.url);
    await newEvent(t.ctx, merchantId);
    await dispatchEventsJob(t.ctx, { merchantIds: [merchantId] }).run();
    await deliverWebhooksJob(t.ctx, { merchantIds: [merchantId] }).run();
    const [attempt] = await attempts(t, merchantId);
    assert.equal(attempt?.status_code, null);
    assert.match(attempt?.error ?? "", /ECONNREFUSED/);
  });

  test("live mode checks the URL again at delivery time and never connects to a local address", async () => {
    const merchantId = await newMerchant(t.ctx);
    const r = await receiver(() => 200);
    await rawEndpoint(t, merchantId, true, r.url);
    await newEvent(t.ctx, merchantId, "payment_intent.succeeded", true);
    await dispatchEventsJob(t.ctx, { merchantIds: [merchantId] }).run();
    await deliverWebhooksJob(t.ctx, { merchantIds: [merchantId] }).run();
    const [attempt] = await attempts(t, merchantId);
    assert.match(attempt?.error ?? "", /^refused: .*loopback/);
    assert.equal(r.received.length, 0);
    assert.doesNotMatch(attempt?.error ?? "", /whsec_/);
  });

  test("the live transport refuses a name that resolves to loopback at connect time (DNS rebinding)", async () => {
    const r = await receiver(() => 200);
    const url = r.url.replace("127.0.0.1", "localhost");
    const init = () => ({
      method: "POST" as const,
      headers: { "content-type": "application/json" },
      body: "{}",
      redirect: "manual" as const,
      signal: AbortSignal.timeout(5000),
    });
    await assert.rejects(createDeliveryFetch("live")(url, init()), RefusedAddressError);
    assert.equal(r.received.length, 0);
    assert.equal((await createDeliveryFetch("test")(url, init())).status, 200);
    assert.equal(r.received.length, 1);
  });

  test("deliveries of a deleted endpoint disappear with it; a disabled endpoint's are failed unattempted", async () => {
    const merchantId = await newMerchant(t.ctx);
    const service = createWebhookEndpointService(t.ctx);
    const gone = await rawEndpoint(t, merchantId, false, "https://hooks.example.com/a");
    const off = await rawEndpoint(t, merchantId, false, "https://hooks.example.com/b");
    await newEvent(t.ctx, merchantId, "customer.created");
    await dispatchEventsJob(t.ctx, { merchantIds: [merchantId] }).run();
    await service.remove(testAuth(merchantId), gone);
    await t.ctx.db
      .updateTable("webhook_endpoints")
      .set({ status: "disabled" })
      .where("id", "=", off)
      .execute();
    const fetchNever = async () => assert.fail("no request may be sent");
    assert.equal(await deliverWebhooksJob(t.ctx, { merchantIds: [merchantId], fetch: fetchNever }).run(), 1);
    const rows = await deliveries(t, merchantId);
    assert.deepEqual(
      rows.map((d) => [d.endpoint_id, d.status, d.attempts]),
      [[off, "failed", 0]],
    );
    assert.equal((await attempts(t, merchantId)).length, 0);
  });
});
