import assert from "node:assert/strict";
import { eventually, type TestServer } from "./server.ts";

/** Creates and confirms a payment with a non-card method on the server's default merchant (or `key`'s). */
export async function payWith(
  server: TestServer,
  body: Record<string, unknown>,
  options: { key?: string; idempotencyKey?: string } = {},
) {
  const response = await server.request("POST", "/v1/payment_intents", {
    body: { confirm: true, return_url: "https://shop.example/order/42", ...body },
    ...(options.key ? { key: options.key } : {}),
    ...(options.idempotencyKey ? { headers: { "idempotency-key": options.idempotencyKey } } : {}),
  });
  return response;
}

export async function intentOf(server: TestServer, id: string, key?: string) {
  const got = await server.request("GET", `/v1/payment_intents/${id}`, key ? { key } : {});
  assert.equal(got.status, 200, got.text);
  return got.body;
}

/** Waits until the intent reaches `status` (the worker runs in the background). */
export function untilStatus(
  server: TestServer,
  id: string,
  status: string,
  key?: string,
  timeoutMs = 15_000,
) {
  return eventually(
    async () => {
      const intent = await intentOf(server, id, key);
      return intent.status === status ? intent : undefined;
    },
    timeoutMs,
    `${id} to be ${status}`,
  );
}

/** The events of one object, oldest first. */
export async function eventTypesOf(server: TestServer, objectId: string, key?: string): Promise<string[]> {
  const list = await server.request("GET", "/v1/events?limit=100", key ? { key } : {});
  assert.equal(list.status, 200, list.text);
  return (list.body.data as Array<{ type: string; data: { object: { id: string } } }>)
    .filter((event) => event.data.object.id === objectId)
    .map((event) => event.type)
    .reverse();
}

/** Follows a browser redirect chain by hand (GET), returning the first URL outside `stopAt`'s origin. */
export async function follow(url: string, stopAt: string): Promise<{ url: string; status: number }> {
  let current = url;
  for (let hop = 0; hop < 10; hop++) {
    if (current.startsWith(stopAt)) return { url: current, status: 0 };
    const response = await fetch(current, { redirect: "manual" });
    await response.arrayBuffer();
    const location = response.headers.get("location");
    if (!location) return { url: current, status: response.status };
    current = new URL(location, current).toString();
  }
  throw new Error(`too many redirects from ${url}`);
}

/** A browser's form post, answering the redirect it gets (not followed). */
export async function postForm(url: string, fields: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
  const text = await response.text();
  return { status: response.status, location: response.headers.get("location"), text };
}

/** The provider notifications Payrail received for a connector: how each was judged. */
export async function notificationsOf(server: TestServer, connector: string) {
  return server.payrail.ctx.db
    .selectFrom("inbound_webhooks")
    .select(["status", "failure", "provider_event_id"])
    .where("connector", "=", connector)
    .where("merchant_id", "=", server.merchant.merchant_id)
    .execute();
}
