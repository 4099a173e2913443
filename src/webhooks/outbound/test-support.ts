import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { recordEvents } from "../../events/service.ts";
import type { EventType } from "../../events/types.ts";
import type { AppContext } from "../../http/context.ts";
import { generateApiKey, hashApiKey, redactKey } from "../../merchants/keys.ts";
import { insertApiKey, insertMerchant } from "../../merchants/repo.ts";

/** A merchant of its own per test, so runs on a shared PostgreSQL never see each other's rows. */
export async function newMerchant(ctx: AppContext, name = "Webhook test shop"): Promise<string> {
  const id = ctx.ids.next("acct");
  await insertMerchant(ctx.db, { id, name, createdAt: ctx.clock.now() });
  return id;
}

export async function newSecretKey(ctx: AppContext, merchantId: string, livemode = false): Promise<string> {
  const key = generateApiKey(ctx.random, "secret", livemode);
  await insertApiKey(ctx.db, {
    id: ctx.ids.next("key"),
    merchantId,
    livemode,
    kind: "secret",
    hash: hashApiKey(key),
    redacted: redactKey(key),
    createdAt: ctx.clock.now(),
  });
  return key;
}

/** Records one event the way a capability would, and returns its id. */
export async function newEvent(
  ctx: AppContext,
  merchantId: string,
  type: EventType = "payment_intent.succeeded",
  livemode = false,
): Promise<string> {
  const objectId = ctx.ids.next("pi");
  await recordEvents(ctx, ctx.db, [
    { merchantId, livemode, type, object: { id: objectId, object: "payment_intent", amount: 1000 } },
  ]);
  const row = await ctx.db
    .selectFrom("events")
    .select("id")
    .where("merchant_id", "=", merchantId)
    .where("object_id", "=", objectId)
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver does with a request: answer with a status, or never answer. */
export type ReceiverBehaviour = (
  request: ReceivedRequest,
  index: number,
) => number | "hang" | { status: number; body: string };

/** A real HTTP server on 127.0.0.1 standing in for a merchant's webhook receiver. */
export async function startReceiver(behaviour: ReceiverBehaviour) {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(request);
      const answer = behaviour(request, received.length - 1);
      if (answer === "hang") return;
      const { status, body } = typeof answer === "number" ? { status: answer, body: "ok" } : answer;
      res.writeHead(status, { "content-type": "text/plain", ...(status === 302 ? { location: "/x" } : {}) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const testAuth = (merchantId: string, livemode = false) => ({
  merchantId,
  livemode,
  keyKind: "secret" as const,
  keyId: "key_test",
});
