import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { CallContext } from "../contract.ts";
import { createBtcpayConnector } from "./index.ts";
import {
  checkout,
  greenfield,
  localRequest,
  newCall,
  nextRef,
  type SimulatorHarness,
  startSimulator,
  storeIdOf,
} from "./test-support.ts";

let h: SimulatorHarness;
const connector = createBtcpayConnector({ baseUrl: () => h.sim.url });

before(async () => {
  h = await startSimulator();
});
after(() => h.sim.close());

async function settledInvoice(call: CallContext): Promise<string> {
  const started = await connector.startPayment!(call, localRequest());
  assert.ok(started.outcome === "requires_action" && "action" in started);
  await checkout(started.action.type === "redirect_to_url" ? started.action.url : "", { action: "pay" });
  h.sim.confirmPayments(started.connectorReference);
  return started.connectorReference;
}

describe("refunds on the simulator", () => {
  test("full and partial refunds are pull payments of exactly the amount asked, pending until paid out", async () => {
    const call = newCall(h.sim);
    const invoiceId = await settledInvoice(call);
    for (const amount of [2500n, 1000n]) {
      const reference = nextRef("re");
      const refund = await connector.refund(call, {
        reference,
        connectorReference: invoiceId,
        amount,
        currency: "usd",
      });
      assert.ok(
        refund.outcome === "pending" && refund.connectorReference,
        JSON.stringify(refund, (_k, v) => `${v}`),
      );
      assert.equal(refund.reason, "awaiting_payout");
      const { json: pullPayment } = await greenfield(
        h.sim,
        call,
        "GET",
        `/api/v1/pull-payments/${refund.connectorReference}`,
      );
      assert.equal(pullPayment.currency, "USD");
      assert.equal(pullPayment.amount, amount === 2500n ? "25.00" : "10.00");
      assert.equal(pullPayment.name, `Refund ${reference}`);
      const sync = { reference, connectorReference: refund.connectorReference };
      assert.deepEqual(await connector.syncRefund(call, sync), {
        status: "pending",
        connectorReference: refund.connectorReference,
      });
      // The payout completes, but this simulator has no payouts endpoint to say so: still pending.
      assert.ok(h.sim.payRefund(refund.connectorReference));
      assert.equal((await connector.syncRefund(call, sync)).status, "pending");
    }
  });

  test("an unpaid invoice is not refundable; an unknown one is not found", async () => {
    const call = newCall(h.sim);
    const started = await connector.startPayment!(call, localRequest());
    assert.ok(started.outcome === "requires_action");
    const unpaid = await connector.refund(call, {
      reference: nextRef("re"),
      connectorReference: started.connectorReference,
      amount: 100n,
      currency: "usd",
    });
    assert.ok(unpaid.outcome === "failed" && unpaid.reason === "not_refundable");
    assert.equal(unpaid.providerMessage, "Cannot refund this invoice");
    const unknown = await connector.refund(call, {
      reference: nextRef("re"),
      connectorReference: "NoSuchInvoice",
      amount: 100n,
      currency: "usd",
    });
    assert.ok(unknown.outcome === "failed" && unknown.reason === "not_found");
  });

  test("a 503 on the refund is pending; syncRefund of an unknown pull payment is not_found", async () => {
    const call = newCall(h.sim);
    const invoiceId = await settledInvoice(call);
    h.sim.injectFault({
      kind: "status",
      status: 503,
      match: `/api/v1/stores/${storeIdOf(call)}/invoices/${invoiceId}/refund`,
    });
    const refund = await connector.refund(call, {
      reference: nextRef("re"),
      connectorReference: invoiceId,
      amount: 100n,
      currency: "usd",
    });
    assert.deepEqual(refund, { outcome: "pending", reason: "http_503" });
    assert.deepEqual(
      await connector.syncRefund(call, { reference: "x", connectorReference: "NoSuchPullPayment" }),
      {
        status: "not_found",
      },
    );
    // This simulator cannot list a store's pull payments, so a refund is not found by reference alone.
    assert.deepEqual(await connector.syncRefund(call, { reference: "x" }), { status: "pending" });
  });
});

/**
 * Stands in for the Greenfield endpoints the simulator lacks (a store's pull payments, a pull payment's
 * payouts), to show what the connector makes of them.
 */
describe("refunds against BTCPay's pull payment listing and payouts", () => {
  let server: Server;
  let url = "";
  const posted: string[] = [];
  const payouts = new Map<string, unknown[]>();
  const pullPayments = [
    { id: "PP1", name: "Refund re_paid", currency: "USD", amount: "10.00", archived: false },
    { id: "PP2", name: "Refund re_open", currency: "USD", amount: "25.00", archived: false },
    { id: "PP3", name: "Refund re_cancelled", currency: "USD", amount: "5.00", archived: true },
  ];
  payouts.set("PP1", [{ id: "P1", state: "Completed", originalAmount: "10.00" }]);
  payouts.set("PP2", [{ id: "P2", state: "AwaitingPayment", amount: "25.00" }]);
  payouts.set("PP3", [{ id: "P3", state: "Cancelled", amount: "5.00" }]);

  before(async () => {
    server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method === "POST") posted.push(path);
      if (path === "/api/v1/stores/S1/pull-payments") return reply(200, pullPayments);
      const match = /^\/api\/v1\/pull-payments\/([^/]+)(\/payouts)?$/.exec(path);
      const pullPayment = pullPayments.find((pp) => pp.id === match?.[1]);
      if (match && pullPayment) return reply(200, match[2] ? payouts.get(pullPayment.id) : pullPayment);
      reply(404, { code: "not-found", message: "Not found" });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = (): CallContext => ({
    account: {
      id: "mca_1",
      merchantId: "acct_1",
      livemode: false,
      connector: "btcpay",
      config: { store_id: "S1", api_key: "k".repeat(40), allowed_countries: ["DE"], base_url: url },
    },
    notificationUrl: "",
    timeoutMs: 2000,
  });

  test("completed payouts of the whole amount: succeeded; open: pending; archived unpaid: failed", async () => {
    assert.deepEqual(
      await connector.syncRefund(call(), { reference: "re_paid", connectorReference: "PP1" }),
      {
        status: "succeeded",
        connectorReference: "PP1",
        amount: 1000n,
        currency: "usd",
      },
    );
    assert.deepEqual(
      await connector.syncRefund(call(), { reference: "re_open", connectorReference: "PP2" }),
      {
        status: "pending",
        connectorReference: "PP2",
      },
    );
    assert.deepEqual(
      await connector.syncRefund(call(), { reference: "re_cancelled", connectorReference: "PP3" }),
      {
        status: "failed",
        reason: "pull_payment_archived",
      },
    );
  });

  test("by reference alone, the pull payment named after it is found; none is not_found", async () => {
    assert.equal((await connector.syncRefund(call(), { reference: "re_paid" })).status, "succeeded");
    assert.deepEqual(await connector.syncRefund(call(), { reference: "re_other" }), { status: "not_found" });
  });

  test("a retried refund whose pull payment exists is not made again", async () => {
    const refund = await connector.refund(call(), {
      reference: "re_open",
      connectorReference: "INV1",
      amount: 2500n,
      currency: "usd",
    });
    assert.deepEqual(refund, { outcome: "pending", connectorReference: "PP2", reason: "awaiting_payout" });
    assert.deepEqual(posted, []);
  });
});
