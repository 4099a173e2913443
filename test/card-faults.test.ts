/**
 * Provider faults end to end, for every card connector: a payment is confirmed through Payrail's API while
 * that provider's simulator misbehaves on the payment-creation call (or on its notifications), and the
 * outcome must be the true one, reached once: never a double charge, never a lost payment.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { SandboxFault } from "../simulators/sandbox/faults.ts";
import { CARD, eventually, startTestServer, type TestServer } from "./support/server.ts";

// A short connector timeout keeps "the provider never heard of it" quick to establish: Payrail only
// believes a not-found after twice this timeout, so a confirm's own call can no longer be in flight.
const CONNECTOR_TIMEOUT = "2s";
// The first sync waits until the confirm's own provider calls are surely over: a fault matches by path
// prefix, and a sync's lookup (`/v1/charges?reference=…`, `/v1/payment_intents/search`) would otherwise
// race the creation for it.
const SYNC_SCHEDULE = "3s,200ms,400ms,800ms,1s";
const SETTLE_MS = 20_000;

interface FaultTarget {
  /** The provider's payment-creation path, matched by prefix. */
  createPath: string;
  inject(fault: SandboxFault): void;
  clear(): void;
  /** Payments the simulator holds, across all its accounts. */
  payments(): number;
}

let server: TestServer;
before(async () => {
  server = await startTestServer({
    env: { PAYRAIL_CONNECTOR_TIMEOUT: CONNECTOR_TIMEOUT, PAYRAIL_SYNC_SCHEDULE: SYNC_SCHEDULE },
  });
});
after(async () => {
  await server.close();
});

const TARGETS: Record<"sandbox" | "stripe" | "adyen", () => FaultTarget> = {
  sandbox: () => {
    const sim = server.payrail.simulator;
    assert.ok(sim, "the sandbox simulator runs");
    return {
      createPath: "/v1/charges",
      inject: (f) => sim.injectFault(f),
      clear: () => sim.clearFaults(),
      payments: () => sim.chargeCount(),
    };
  },
  stripe: () => {
    const sim = server.payrail.stripeSimulator;
    assert.ok(sim, "the stripe simulator runs");
    return {
      createPath: "/v1/payment_intents",
      inject: (f) => sim.injectFault(f),
      clear: () => sim.clearFaults(),
      payments: () => sim.paymentIntentCount(),
    };
  },
  adyen: () => {
    const sim = server.payrail.adyenSimulator;
    assert.ok(sim, "the adyen simulator runs");
    return {
      createPath: "/v71/payments",
      inject: (f) => sim.injectFault(f),
      clear: () => sim.clearFaults(),
      payments: () => sim.paymentCount(),
    };
  },
};

type RequestFault = Exclude<SandboxFault, { kind: "duplicate_notifications" | "delay_notifications" }>;

/** `acts`: the simulator creates the payment before the fault shows (or the fault is only a delay). */
const REQUEST_FAULTS: Array<{ name: string; fault: RequestFault; acts: boolean }> = [
  { name: "300 ms of latency", fault: { kind: "latency", ms: 300 }, acts: true },
  { name: "HTTP 500", fault: { kind: "status", status: 500 }, acts: false },
  { name: "HTTP 503", fault: { kind: "status", status: 503 }, acts: false },
  { name: "HTTP 429", fault: { kind: "status", status: 429 }, acts: false },
  { name: "a connection reset before acting", fault: { kind: "reset" }, acts: false },
  { name: "a connection reset after acting", fault: { kind: "reset", after: true }, acts: true },
  { name: "a malformed response body", fault: { kind: "malformed" }, acts: true },
];

/** A fresh merchant per case, so its intents, events and notifications are only this case's. */
async function newShop(connector: string) {
  const shop = await server.newMerchant(`faults ${connector}`);
  const as = (
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ) => server.request(method, path, { ...options, key: shop.secret_key });
  const list = await as("GET", "/v1/connector_accounts?limit=100");
  const account: string | undefined = list.body.data.find((a: any) => a.connector === connector)?.id;
  assert.ok(account, `no ${connector} test account`);
  const pay = async (extra: Record<string, unknown> = {}) => {
    const request = {
      body: {
        amount: 2000,
        currency: "eur",
        confirm: true,
        connector_account: account,
        payment_method_data: CARD("4242424242424242"),
        ...extra,
      },
      headers: { "idempotency-key": `faults-${randomUUID()}` },
    };
    const first = await as("POST", "/v1/payment_intents", request);
    // What a careful client does with an answer that says nothing: the same request, the same key.
    const answer =
      first.status >= 500 || first.status === 409 ? await as("POST", "/v1/payment_intents", request) : first;
    assert.equal(answer.status, 200, answer.text);
    return { first, answer };
  };
  const intent = async (id: string) => (await as("GET", `/v1/payment_intents/${id}`)).body;
  const settled = (id: string) =>
    eventually(
      async () => {
        const now = await intent(id);
        return now.status === "processing" ? undefined : now;
      },
      SETTLE_MS,
      `${connector} payment ${id} to settle`,
    );
  return { shop, as, account, pay, intent, settled };
}

function inboundRows(account: string) {
  return server.payrail.ctx.db
    .selectFrom("inbound_webhooks")
    .select(["id", "status", "raw_body", "headers", "provider_event_id"])
    .where("connector_account_id", "=", account)
    .orderBy("received_at")
    .execute();
}

async function notificationsDone(account: string) {
  return eventually(
    async () => {
      const rows = await inboundRows(account);
      return rows.length > 0 && rows.every((r) => r.status !== "pending") ? rows : undefined;
    },
    SETTLE_MS,
    "every notification to be processed",
  );
}

// One simulator per connector: the three connectors run side by side, the cases of each one in turn
// (a fault is taken by whichever request reaches that simulator first).
describe("card connector faults", { concurrency: true }, () => {
  for (const connector of ["sandbox", "stripe", "adyen"] as const) {
    describe(`faults at ${connector}`, { concurrency: false }, () => {
      let target: FaultTarget;
      before(() => {
        target = TARGETS[connector]();
      });

      for (const { name, fault, acts } of REQUEST_FAULTS) {
        // Adyen's Checkout API cannot be read, so Payrail's sync sends the very same /payments request
        // again with the same Idempotency-Key: a request that never arrived is made by that retry.
        // Stripe's SDK retries a closed connection once by itself, with the same idempotency key.
        // Otherwise the provider is asked by reference: one it never saw fails, uncharged.
        const sdkRetries = connector === "stripe" && fault.kind === "reset";
        const charged = acts || sdkRetries || connector === "adyen";
        // Only a delay, or a retry that got an answer, lets the confirm learn the outcome; any other
        // fault leaves it unknown, never failed.
        const firstStatus = fault.kind === "latency" || sdkRetries ? "succeeded" : "processing";
        test(`${name} on payment creation: ${charged ? "succeeds" : "fails"}, charged at most once`, async () => {
          const { as, pay, settled } = await newShop(connector);
          const before = target.payments();
          target.inject({ ...fault, match: `POST ${target.createPath}` });
          let first: Awaited<ReturnType<typeof pay>>["first"];
          try {
            ({ first } = await pay());
          } finally {
            target.clear();
          }
          assert.equal(first.body.status, firstStatus, first.text);

          const final = await settled(first.body.id);
          if (charged) {
            assert.equal(final.status, "succeeded");
            assert.equal(final.amount_received, 2000);
            assert.equal(final.last_payment_error, null);
          } else {
            assert.equal(final.status, "requires_payment_method");
            assert.equal(final.amount_received, 0);
            assert.equal(final.last_payment_error?.code, "processing_error");
          }
          assert.equal(target.payments() - before, charged ? 1 : 0, "payments at the provider");

          const all = (await as("GET", "/v1/payment_intents?limit=100")).body.data;
          assert.equal(all.length, 1, "one intent for one idempotency key");
          const received = all.reduce((sum: number, pi: any) => sum + pi.amount_received, 0);
          assert.equal(received, charged ? 2000 : 0);
        });
      }

      test("duplicated notifications are stored as duplicates and succeed the payment once", async () => {
        const { as, account, pay, settled } = await newShop(connector);
        target.inject({ kind: "duplicate_notifications", match: `/v1/hooks/${connector}/${account}` });
        try {
          const { answer } = await pay();
          const final = await settled(answer.body.id);
          assert.equal(final.status, "succeeded");
          await eventually(
            async () =>
              (await inboundRows(account)).some((r) => r.status === "duplicate") ? true : undefined,
            SETTLE_MS,
            `a duplicate ${connector} notification`,
          );
          await notificationsDone(account);
          const events = await as("GET", "/v1/events?type=payment_intent.succeeded&limit=100");
          const mine = events.body.data.filter((e: any) => e.data.object.id === answer.body.id);
          assert.equal(mine.length, 1, "one payment_intent.succeeded event");
          assert.equal((await as("GET", `/v1/payment_intents/${answer.body.id}`)).body.amount_received, 2000);
        } finally {
          target.clear();
        }
      });

      if (connector === "adyen") {
        describe("late AUTHORISATION after the capture", () => {
          const authorisationOf = (rows: Awaited<ReturnType<typeof inboundRows>>) =>
            rows.find((row) => {
              const body = JSON.parse(Buffer.from(row.raw_body).toString("utf8"));
              return body.notificationItems?.[0]?.NotificationRequestItem?.eventCode === "AUTHORISATION";
            });

          const payAndCapture = async (shop: Awaited<ReturnType<typeof newShop>>) => {
            const { answer } = await shop.pay({ capture_method: "manual" });
            assert.equal(answer.body.status, "requires_capture", answer.text);
            const capture = await shop.as("POST", `/v1/payment_intents/${answer.body.id}/capture`, {
              body: {},
              headers: { "idempotency-key": `capture-${randomUUID()}` },
            });
            assert.equal(capture.status, 200, capture.text);
            const captured = await eventually(
              async () => {
                const now = await shop.intent(answer.body.id);
                return now.status === "succeeded" ? now : undefined;
              },
              SETTLE_MS,
              "the capture to be confirmed",
            );
            assert.equal(captured.amount_received, 2000);
            return captured;
          };

          test("a re-delivered AUTHORISATION changes nothing", async () => {
            const shop = await newShop(connector);
            const captured = await payAndCapture(shop);
            const rows = await notificationsDone(shop.account);
            const authorisation = authorisationOf(rows);
            assert.ok(authorisation, "the AUTHORISATION notification was stored");

            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(authorisation.headers)) {
              if (!["host", "content-length", "connection", "transfer-encoding"].includes(name))
                headers[name] = value;
            }
            const again = await server.request("POST", `/v1/hooks/adyen/${shop.account}`, {
              key: "",
              raw: Buffer.from(authorisation.raw_body).toString("utf8"),
              headers,
            });
            assert.equal(again.status, 200, again.text);
            assert.equal(again.text, "[accepted]");
            const added = (await notificationsDone(shop.account)).filter(
              (row) => !rows.some((earlier) => earlier.id === row.id),
            );
            assert.deepEqual(
              added.map((row) => [row.status, row.provider_event_id]),
              [["duplicate", authorisation.provider_event_id]],
            );

            const now = await shop.intent(captured.id);
            assert.equal(now.status, "succeeded");
            assert.equal(now.amount_received, captured.amount_received);
          });

          test("an AUTHORISATION delivered after its CAPTURE changes nothing", async () => {
            const shop = await newShop(connector);
            const sim = server.payrail.adyenSimulator;
            assert.ok(sim);
            sim.injectFault({
              kind: "reorder_notifications",
              count: 2,
              flushAfterMs: 5_000,
              match: `/v1/hooks/adyen/${shop.account}`,
            });
            try {
              const captured = await payAndCapture(shop);
              const rows = await eventually(
                async () => {
                  const all = await inboundRows(shop.account);
                  return authorisationOf(all) && all.every((r) => r.status !== "pending") ? all : undefined;
                },
                SETTLE_MS,
                "the late AUTHORISATION",
              );
              const codes = rows.map(
                (row) =>
                  JSON.parse(Buffer.from(row.raw_body).toString("utf8")).notificationItems[0]
                    .NotificationRequestItem.eventCode,
              );
              assert.ok(codes.indexOf("CAPTURE") < codes.indexOf("AUTHORISATION"), codes.join(","));
              const now = await shop.intent(captured.id);
              assert.equal(now.status, "succeeded");
              assert.equal(now.amount_received, 2000);
              const events = await shop.as("GET", "/v1/events?type=payment_intent.succeeded&limit=100");
              assert.equal(events.body.data.filter((e: any) => e.data.object.id === captured.id).length, 1);
            } finally {
              sim.clearFaults();
            }
          });
        });
      }
    });
  }
});
