import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { type SandboxSimulator, startSandboxSimulator } from "../../../simulators/sandbox/index.ts";
import type { AuthorizeRequest, CallContext } from "../contract.ts";
import { redirectUrlOf } from "../contract.ts";
import { createSandboxConnector, sandboxConfigSchema } from "./index.ts";
import {
  apiKeyOf,
  authorized as authorizedWith,
  authorizeRequest,
  newCall,
  nextRef,
  sleep,
} from "./test-support.ts";

let sim: SandboxSimulator;
const connector = createSandboxConnector({ baseUrl: () => sim.url });

before(async () => {
  sim = await startSandboxSimulator({ resolveAfterMs: 50, notificationRetryDelaysMs: [20] });
});
after(() => sim.close());

const authorized = (call: CallContext, overrides: Partial<AuthorizeRequest> = {}) =>
  authorizedWith(connector, call, overrides);
describe("definition", () => {
  test("identity and capabilities", () => {
    assert.equal(connector.id, "sandbox");
    assert.equal(connector.displayName, "Sandbox card processor");
    assert.deepEqual(connector.capabilities, {
      paymentMethods: ["card"],
      currencies: "*",
      manualCapture: true,
      partialCapture: true,
      multipleCaptures: true,
      refunds: true,
      webhooks: true,
      captureWindowMs: 7 * 24 * 60 * 60 * 1000,
    });
  });

  test("defaultTestAccountConfig draws a 32-character base62 key from the random source", () => {
    let calls = 0;
    const random = (size: number) => {
      calls += 1;
      return Buffer.alloc(size, 255 - calls * 3);
    };
    const config = connector.defaultTestAccountConfig?.(random);
    assert.ok(config);
    assert.match(String(config.api_key), /^sbx_sk_[0-9A-Za-z]{32}$/);
    assert.equal(sandboxConfigSchema.safeParse(config).success, true);
    assert.ok(calls >= 2, "bytes at or above 248 are rejected, so more were drawn");
    const a = connector.defaultTestAccountConfig?.(randomBytes);
    const b = connector.defaultTestAccountConfig?.(randomBytes);
    assert.notEqual(a?.api_key, b?.api_key);
  });

  test("the config schema", () => {
    assert.equal(sandboxConfigSchema.safeParse({ api_key: "sbx_sk_short" }).success, false);
    assert.equal(sandboxConfigSchema.safeParse({}).success, false);
    assert.equal(
      sandboxConfigSchema.safeParse({ api_key: `sbx_sk_${"a".repeat(24)}`, base_url: "ftp://x" }).success,
      false,
    );
    assert.equal(
      sandboxConfigSchema.safeParse({
        api_key: `sbx_sk_${"a".repeat(24)}`,
        base_url: "http://localhost:4010",
      }).success,
      true,
    );
    assert.equal(sandboxConfigSchema.shape.api_key.meta()?.secret, true);
  });
});

describe("authorize", () => {
  const table: Array<[string, string, string | undefined]> = [
    ["4242424242424242", "authorized", undefined],
    ["5555555555554444", "authorized", undefined],
    ["4000000000000002", "declined", "generic_decline"],
    ["4000000000009995", "declined", "insufficient_funds"],
    ["4000000000009987", "declined", "lost_card"],
    ["4000000000009979", "declined", "stolen_card"],
    ["4000000000000069", "declined", "expired_card"],
    ["4000000000000127", "declined", "incorrect_cvc"],
    ["4000000000000119", "declined", "processing_error"],
    ["4000002760003184", "requires_action", undefined],
    ["4000000000000408", "pending", undefined],
    ["4000000000000416", "pending", undefined],
  ];
  for (const [number, outcome, declineCode] of table) {
    test(`${number} → ${outcome}${declineCode ? ` (${declineCode})` : ""}`, async () => {
      const call = newCall();
      const request = authorizeRequest(number);
      const result = await connector.authorize(call, request);
      assert.equal(result.outcome, outcome);
      if (result.outcome === "declined") {
        assert.equal(result.declineCode, declineCode);
        assert.match(result.connectorReference ?? "", /^ch_/);
        assert.equal(typeof result.providerMessage, "string");
      }
      if (result.outcome === "authorized") {
        assert.equal(result.amount, 1000n);
        assert.equal(result.currency, "usd");
        assert.equal(result.captured, false);
        assert.match(result.networkTransactionId ?? "", /^\d{15}$/);
      }
      if (result.outcome === "requires_action") {
        assert.equal(redirectUrlOf(result), `${sim.url}/3ds/${result.connectorReference}`);
      }
      if (result.outcome === "pending") assert.equal(result.reason, "network_error");
      assert.equal(sim.chargeCount(apiKeyOf(call)), 1);
    });
  }

  test("capture=true comes back captured", async () => {
    const result = await connector.authorize(
      newCall(),
      authorizeRequest("4242424242424242", { capture: true }),
    );
    assert.equal(result.outcome, "authorized");
    assert.equal(result.outcome === "authorized" && result.captured, true);
  });

  test("a non-Luhn number is declined incorrect_number, a bad CVC incorrect_cvc", async () => {
    const call = newCall();
    const number = await connector.authorize(call, authorizeRequest("4242424242424241"));
    assert.equal(number.outcome, "declined");
    assert.equal(number.outcome === "declined" && number.declineCode, "incorrect_number");
    const cvc = authorizeRequest();
    cvc.card.cvc = "1";
    const result = await connector.authorize(call, cvc);
    assert.equal(result.outcome === "declined" && result.declineCode, "incorrect_cvc");
    assert.equal(sim.chargeCount(apiKeyOf(call)), 0);
  });

  test("a retry without the CVC (another body, same reference) finds the first charge", async () => {
    const call = newCall();
    const request = authorizeRequest();
    const first = await connector.authorize(call, request);
    const retry = await connector.authorize(call, { ...request, card: { ...request.card, cvc: undefined } });
    assert.deepEqual(retry, first);
    assert.equal(sim.chargeCount(apiKeyOf(call)), 1);
  });

  test("a reference reused for another amount is not a success", async () => {
    const call = newCall();
    const request = authorizeRequest();
    await connector.authorize(call, request);
    const other = await connector.authorize(call, { ...request, amount: 2000n });
    assert.equal(other.outcome, "pending");
    assert.equal(other.outcome === "pending" && other.reason, "amount_mismatch");
  });

  test("3-D Secure: requires_action, the shopper approves, sync sees it authorized", async () => {
    const call = newCall();
    const request = authorizeRequest("4000002760003184");
    const result = await connector.authorize(call, request);
    assert.equal(result.outcome, "requires_action");
    if (result.outcome !== "requires_action") return;
    const pending = await connector.sync(call, { reference: request.reference });
    assert.equal(pending.status, "requires_action");
    const submitted = await fetch(redirectUrlOf(result), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "result=approve",
      redirect: "manual",
    });
    assert.equal(submitted.status, 303);
    assert.equal(
      new URL(submitted.headers.get("location") ?? "").searchParams.get("charge"),
      result.connectorReference,
    );
    const status = await connector.sync(call, {
      reference: request.reference,
      connectorReference: result.connectorReference,
    });
    assert.equal(status.status, "authorized");
  });

  test("a base_url in the account config overrides the default", async () => {
    const elsewhere = createSandboxConnector({ baseUrl: () => "http://127.0.0.1:9" });
    const result = await elsewhere.authorize(newCall({}, { base_url: `${sim.url}/` }), authorizeRequest());
    assert.equal(result.outcome, "authorized");
  });

  test("an unreachable processor is pending, never thrown", async () => {
    const nowhere = createSandboxConnector({ baseUrl: () => "http://127.0.0.1:9" });
    const call = newCall();
    assert.deepEqual(await nowhere.authorize(call, authorizeRequest()), {
      outcome: "pending",
      reason: "network_error",
    });
    assert.deepEqual(await nowhere.sync(call, { reference: "x" }), {
      status: "pending",
      connectorReference: undefined,
    });
    const modify = { reference: "m", connectorReference: "ch_x", amount: 1n, currency: "usd" };
    assert.equal((await nowhere.capture(call, { ...modify, final: true })).outcome, "pending");
    assert.equal((await nowhere.void(call, modify)).outcome, "pending");
    assert.equal((await nowhere.refund(call, modify)).outcome, "pending");
    assert.equal((await nowhere.syncRefund(call, { reference: "m" })).status, "pending");
  });

  test("an account config without a valid key is a thrown error, not a decline", async () => {
    const call = newCall({}, { api_key: "not-a-key" });
    await assert.rejects(connector.authorize(call, authorizeRequest()));
  });
});

describe("sync", () => {
  test("after the timeout card: pending, then authorized, found by our reference", async () => {
    const call = newCall();
    const request = authorizeRequest("4000000000000408");
    assert.equal((await connector.authorize(call, request)).outcome, "pending");
    const early = await connector.sync(call, { reference: request.reference });
    assert.equal(early.status, "pending");
    assert.match((early.status === "pending" && early.connectorReference) || "", /^ch_/);
    await sleep(120);
    const late = await connector.sync(call, { reference: request.reference, connectorReference: null });
    assert.equal(late.status, "authorized");
    if (late.status === "authorized") {
      assert.equal(late.amount, 1000n);
      assert.equal(late.captured, false);
      assert.equal(late.capturedAmount, 0n);
    }
  });

  test("after the declining timeout card: declined generic_decline", async () => {
    const call = newCall();
    const request = authorizeRequest("4000000000000416");
    assert.equal((await connector.authorize(call, request)).outcome, "pending");
    await sleep(120);
    const late = await connector.sync(call, { reference: request.reference });
    assert.equal(late.status, "declined");
    assert.equal(late.status === "declined" && late.declineCode, "generic_decline");
  });

  test("a retried authorize after the timeout returns the charge, not a second one", async () => {
    const call = newCall();
    const request = authorizeRequest("4000000000000408");
    await connector.authorize(call, request);
    await sleep(120);
    const retry = await connector.authorize(call, request);
    assert.equal(retry.outcome, "authorized");
    assert.equal(sim.chargeCount(apiKeyOf(call)), 1);
  });

  test("not_found by reference and by id", async () => {
    const call = newCall();
    assert.deepEqual(await connector.sync(call, { reference: "never-sent" }), { status: "not_found" });
    assert.deepEqual(await connector.sync(call, { reference: "x", connectorReference: "ch_nope" }), {
      status: "not_found",
    });
    assert.deepEqual(await connector.syncRefund(call, { reference: "never-sent" }), { status: "not_found" });
    assert.deepEqual(await connector.syncRefund(call, { reference: "x", connectorReference: "rf_nope" }), {
      status: "not_found",
    });
  });

  test("another account's charge is not found", async () => {
    const request = authorizeRequest();
    const result = await connector.authorize(newCall(), request);
    const stranger = newCall();
    assert.deepEqual(await connector.sync(stranger, { reference: request.reference }), {
      status: "not_found",
    });
    const id = result.outcome === "authorized" ? result.connectorReference : "";
    assert.deepEqual(
      await connector.sync(stranger, { reference: request.reference, connectorReference: id }),
      {
        status: "not_found",
      },
    );
  });
});

describe("capture, void, refund", () => {
  const modify = (connectorReference: string, amount: bigint, reference = nextRef("m")) => ({
    reference,
    connectorReference,
    amount,
    currency: "USD",
  });

  test("full capture, then refunds down to zero", async () => {
    const call = newCall();
    const auth = await authorized(call);
    if (auth.outcome !== "authorized") return;
    const capture = await connector.capture(call, { ...modify(auth.connectorReference, 1000n), final: true });
    assert.deepEqual(capture, {
      outcome: "succeeded",
      connectorReference: auth.connectorReference,
      amount: 1000n,
      currency: "usd",
    });
    const refund = await connector.refund(call, modify(auth.connectorReference, 600n, "re_a"));
    assert.equal(refund.outcome, "succeeded");
    assert.match((refund.outcome === "succeeded" && refund.connectorReference) || "", /^rf_/);
    const tooMuch = await connector.refund(call, modify(auth.connectorReference, 401n));
    assert.equal(tooMuch.outcome, "failed");
    assert.equal(tooMuch.outcome === "failed" && tooMuch.reason, "amount_too_large");
    const status = await connector.syncRefund(call, { reference: "re_a" });
    assert.equal(status.status, "succeeded");
    const synced = await connector.sync(call, {
      reference: "x",
      connectorReference: auth.connectorReference,
    });
    assert.equal(synced.status === "authorized" && synced.captured, true);
  });

  test("multiple partial captures", async () => {
    const call = newCall();
    const auth = await authorized(call);
    if (auth.outcome !== "authorized") return;
    const one = await connector.capture(call, { ...modify(auth.connectorReference, 300n), final: false });
    assert.deepEqual(one, {
      outcome: "succeeded",
      connectorReference: auth.connectorReference,
      amount: 300n,
      currency: "usd",
    });
    const two = await connector.capture(call, { ...modify(auth.connectorReference, 200n), final: true });
    assert.equal(two.outcome === "succeeded" && two.amount, 200n);
    const status = await connector.sync(call, {
      reference: "x",
      connectorReference: auth.connectorReference,
    });
    assert.equal(status.status === "authorized" && status.capturedAmount, 500n);
    const more = await connector.capture(call, { ...modify(auth.connectorReference, 1n), final: true });
    assert.deepEqual(more, {
      outcome: "failed",
      reason: "charge_not_capturable",
      providerMessage: "This charge is captured and cannot be captured.",
    });
  });

  test("capturing more than authorized fails; capturing a declined charge fails", async () => {
    const call = newCall();
    const auth = await authorized(call);
    if (auth.outcome !== "authorized") return;
    const tooMuch = await connector.capture(call, { ...modify(auth.connectorReference, 1001n), final: true });
    assert.equal(tooMuch.outcome === "failed" && tooMuch.reason, "amount_too_large");
    const declined = await connector.authorize(call, authorizeRequest("4000000000000002"));
    const ref = declined.outcome === "declined" ? (declined.connectorReference ?? "") : "";
    const result = await connector.capture(call, { ...modify(ref, 1000n), final: true });
    assert.equal(result.outcome === "failed" && result.reason, "charge_not_capturable");
    const missing = await connector.capture(call, { ...modify("ch_missing", 1n), final: true });
    assert.equal(missing.outcome === "failed" && missing.reason, "charge_not_found");
  });

  test("a repeated capture reference does not capture twice", async () => {
    const call = newCall();
    const auth = await authorized(call);
    if (auth.outcome !== "authorized") return;
    const request = { ...modify(auth.connectorReference, 400n), final: false };
    const first = await connector.capture(call, request);
    const second = await connector.capture(call, request);
    assert.deepEqual(second, first);
    const status = await connector.sync(call, {
      reference: "x",
      connectorReference: auth.connectorReference,
    });
    assert.equal(status.status === "authorized" && status.capturedAmount, 400n);
  });

  test("void, and a void of a captured charge fails", async () => {
    const call = newCall();
    const auth = await authorized(call);
    if (auth.outcome !== "authorized") return;
    const result = await connector.void(call, modify(auth.connectorReference, 1000n));
    assert.deepEqual(result, {
      outcome: "succeeded",
      connectorReference: auth.connectorReference,
      amount: 1000n,
      currency: "usd",
    });
    assert.deepEqual(
      await connector.sync(call, { reference: "x", connectorReference: auth.connectorReference }),
      {
        status: "voided",
        connectorReference: auth.connectorReference,
      },
    );
    const captured = await authorized(call, { capture: true });
    if (captured.outcome !== "authorized") return;
    const refused = await connector.void(call, modify(captured.connectorReference, 1000n));
    assert.equal(refused.outcome === "failed" && refused.reason, "charge_not_voidable");
  });

  test("late refunds: 77 pending then succeeded, 78 pending then failed", async () => {
    const call = newCall();
    const good = await authorized(call, { amount: 1077n, capture: true });
    const bad = await authorized(call, { amount: 1078n, capture: true });
    if (good.outcome !== "authorized" || bad.outcome !== "authorized") return;
    const okRefund = await connector.refund(call, { ...modify(good.connectorReference, 1077n, "re_77") });
    const badRefund = await connector.refund(call, { ...modify(bad.connectorReference, 1078n, "re_78") });
    assert.equal(okRefund.outcome, "pending");
    assert.equal(badRefund.outcome, "pending");
    assert.equal((await connector.syncRefund(call, { reference: "re_77" })).status, "pending");
    await sleep(120);
    const okId = okRefund.outcome === "pending" ? okRefund.connectorReference : undefined;
    assert.deepEqual(await connector.syncRefund(call, { reference: "re_77", connectorReference: okId }), {
      status: "succeeded",
      connectorReference: okId,
      amount: 1077n,
      currency: "usd",
    });
    assert.deepEqual(await connector.syncRefund(call, { reference: "re_78" }), {
      status: "failed",
      reason: "expired_or_canceled_card",
    });
  });
});
