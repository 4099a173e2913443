import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CARD, startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

describe("customers", () => {
  test("create, retrieve, update, list, delete, with events", async () => {
    const created = await server.request("POST", "/v1/customers", {
      body: { email: "ada@example.com", name: "Ada", metadata: { tier: "gold" } },
    });
    assert.equal(created.status, 200, created.text);
    assert.match(created.body.id, /^cus_/);
    assert.equal(created.body.object, "customer");
    const got = await server.request("GET", `/v1/customers/${created.body.id}`);
    assert.deepEqual(got.body, created.body);
    const updated = await server.request("POST", `/v1/customers/${created.body.id}`, {
      body: { name: "Ada L.", metadata: { tier: "", since: "2026" } },
    });
    assert.equal(updated.body.name, "Ada L.");
    assert.deepEqual(updated.body.metadata, { since: "2026" });
    const byEmail = await server.request("GET", "/v1/customers?email=ada@example.com");
    assert.ok(byEmail.body.data.some((c: any) => c.id === created.body.id));
    const paid = await server.request("POST", "/v1/payment_intents", {
      body: {
        amount: 100,
        currency: "usd",
        customer: created.body.id,
        confirm: true,
        payment_method_data: CARD("4242424242424242"),
      },
    });
    assert.equal(paid.body.customer, created.body.id);
    const theirs = await server.request("GET", `/v1/payment_intents?customer=${created.body.id}`);
    assert.deepEqual(
      theirs.body.data.map((p: any) => p.id),
      [paid.body.id],
    );
    const deleted = await server.request("DELETE", `/v1/customers/${created.body.id}`);
    assert.deepEqual(deleted.body, { id: created.body.id, object: "customer", deleted: true });
    const after = await server.request("GET", `/v1/customers/${created.body.id}`);
    assert.equal(after.body.deleted, true);
    assert.equal(after.body.email, undefined);
    const again = await server.request("DELETE", `/v1/customers/${created.body.id}`);
    assert.equal(again.status, 404);
    const events = await server.request("GET", "/v1/events?type=customer.*&limit=100");
    const mine = events.body.data
      .filter((e: any) => e.data.object.id === created.body.id)
      .map((e: any) => e.type);
    assert.deepEqual(mine.sort(), ["customer.created", "customer.deleted", "customer.updated"]);
  });
});

describe("lists", () => {
  test("newest first, limit, starting_after, ending_before, has_more", async () => {
    const other = await server.newMerchant();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await server.request("POST", "/v1/customers", {
        key: other.secret_key,
        body: { name: `c${i}` },
      });
      ids.push(res.body.id);
    }
    const newestFirst = [...ids].reverse();
    const page1 = await server.request("GET", "/v1/customers?limit=3", { key: other.secret_key });
    assert.deepEqual(
      page1.body.data.map((c: any) => c.id),
      newestFirst.slice(0, 3),
    );
    assert.equal(page1.body.has_more, true);
    assert.equal(page1.body.object, "list");
    const page2 = await server.request(
      "GET",
      `/v1/customers?limit=3&starting_after=${page1.body.data[2].id}`,
      { key: other.secret_key },
    );
    assert.deepEqual(
      page2.body.data.map((c: any) => c.id),
      newestFirst.slice(3, 6),
    );
    const page3 = await server.request(
      "GET",
      `/v1/customers?limit=3&starting_after=${page2.body.data[2].id}`,
      { key: other.secret_key },
    );
    assert.deepEqual(
      page3.body.data.map((c: any) => c.id),
      newestFirst.slice(6),
    );
    assert.equal(page3.body.has_more, false);
    const back = await server.request("GET", `/v1/customers?limit=2&ending_before=${page2.body.data[0].id}`, {
      key: other.secret_key,
    });
    assert.deepEqual(
      back.body.data.map((c: any) => c.id),
      newestFirst.slice(1, 3),
    );
    const foreign = await server.request("GET", `/v1/customers?starting_after=${ids[0]}`);
    assert.equal(foreign.status, 400, "another merchant's id is not a cursor here");
  });

  test("payment intents filter by status and created range; events by type", async () => {
    const other = await server.newMerchant();
    const key = other.secret_key;
    const ok = await server.request("POST", "/v1/payment_intents", {
      key,
      body: { amount: 100, currency: "usd", confirm: true, payment_method_data: CARD("4242424242424242") },
    });
    await server.request("POST", "/v1/payment_intents", { key, body: { amount: 100, currency: "usd" } });
    const succeeded = await server.request("GET", "/v1/payment_intents?status=succeeded", { key });
    assert.deepEqual(
      succeeded.body.data.map((p: any) => p.id),
      [ok.body.id],
    );
    const future = await server.request("GET", `/v1/payment_intents?created[gt]=${ok.body.created + 3600}`, {
      key,
    });
    assert.equal(future.body.data.length, 0);
    const range = await server.request(
      "GET",
      `/v1/payment_intents?created[gte]=${ok.body.created - 5}&created[lte]=${ok.body.created + 5}`,
      { key },
    );
    assert.equal(range.body.data.length, 2);
    const events = await server.request("GET", "/v1/events?type=payment_intent.succeeded", { key });
    assert.equal(events.body.data.length, 1);
    assert.equal(events.body.data[0].data.object.id, ok.body.id);
    const one = await server.request("GET", `/v1/events/${events.body.data[0].id}`, { key });
    assert.equal(one.body.type, "payment_intent.succeeded");
    // The provider's notification can settle the payment before the API response does; then the
    // event has no originating request. The creation event always has one.
    const created = await server.request("GET", "/v1/events?type=payment_intent.created", { key });
    assert.equal(created.body.data.length, 2);
    for (const event of created.body.data) assert.match(event.request.id, /^req_/);
  });
});
