/**
 * Crash safety: the API process is killed with SIGKILL while ~40 payments are in flight. After a
 * restart, the client retries what got no answer, the worker resolves what was left unknown, and then
 * no payment is lost, none is doubled, and Payrail's records agree with what the provider holds.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type pg from "pg";
import {
  type ApiAnswer,
  apiRequest,
  cardData,
  countRows,
  createMerchant,
  freePort,
  type MerchantKeys,
  migrate,
  NEEDS_POSTGRES,
  openPool,
  type PayrailProcess,
  ProcessGroup,
  pinSandboxUrl,
  providerCharges,
  sandboxApiKey,
  until,
} from "../support/processes.ts";

const PAYMENTS = 40;
/** The API process dies once this many answers came back. */
const KILL_AFTER_ANSWERS = 15;

type Kind = "automatic" | "manual" | "timeout";

interface Payment {
  index: number;
  kind: Kind;
  reference: string;
  key: string;
  body: Record<string, unknown>;
  /** The answer to the first request, if it came back before the crash. */
  answer?: ApiAnswer;
  lost?: string;
  /** How the intent was found again after the crash. */
  recovery?: string;
  intentId?: string;
}

/**
 * What the first answer says right away, for each kind. A timed-out authorization is `processing`,
 * unless the worker's sync already found the outcome before the API process recorded the timeout.
 */
const ANSWERED_STATUS: Record<Kind, string[]> = {
  automatic: ["succeeded"],
  manual: ["requires_capture"],
  timeout: ["processing", "succeeded"],
};
/** Where each kind ends once the worker resolved everything (unless the crash stopped it first). */
const FINAL_STATUS: Record<Kind, string> = {
  automatic: "succeeded",
  manual: "requires_capture",
  timeout: "succeeded",
};

describe("SIGKILL of the API process mid-traffic", { skip: NEEDS_POSTGRES, timeout: 60_000 }, () => {
  const group = new ProcessGroup();
  let pool: pg.Pool;
  let simulator: PayrailProcess;
  let apiPort: number;
  let merchant: MerchantKeys;
  let providerKey: string;

  before(async () => {
    pool = openPool();
    try {
      await migrate();
      const simulatorPort = await freePort();
      apiPort = await freePort();
      const env = { PAYRAIL_SANDBOX_URL: `http://127.0.0.1:${simulatorPort}` };
      [merchant, simulator] = await Promise.all([
        createMerchant(`multiprocess crash ${Date.now()}`),
        group.start("simulators", { name: "simulators", port: simulatorPort }),
        group.start("api", { name: "api", port: apiPort, env }),
        group.start("worker", { name: "worker", env: { ...env, DATABASE_POOL_SIZE: "3" } }),
      ]);
      providerKey = await sandboxApiKey(pool, merchant.merchant_id);
      await pinSandboxUrl(pool, merchant.merchant_id, simulator.url);
    } catch (error) {
      await group.stopAll();
      throw error;
    }
  });

  after(async () => {
    await group.stopAll();
    await pool?.end();
  });

  const apiUrl = () => `http://127.0.0.1:${apiPort}`;
  const post = (path: string, body: unknown, idempotencyKey: string) =>
    apiRequest(apiUrl(), merchant.secret_key, "POST", path, { body, idempotencyKey });
  const count = (sqlText: string, params: unknown[]) => countRows(pool, sqlText, params);

  async function findByReference(reference: string): Promise<string | undefined> {
    const list = await apiRequest(
      apiUrl(),
      merchant.secret_key,
      "GET",
      `/v1/payment_intents?merchant_reference=${encodeURIComponent(reference)}`,
    );
    assert.equal(list.status, 200, list.text);
    assert.ok(list.body.data.length <= 1, `several intents for ${reference}: ${list.text}`);
    return list.body.data[0]?.id;
  }

  /** The intent an answer is about: a 200, or a 409 duplicate_merchant_reference that names it. */
  function intentOf(answer: ApiAnswer): string | undefined {
    if (answer.status === 200) return answer.body.id;
    if (answer.status === 409 && answer.body?.error?.code === "duplicate_merchant_reference")
      return answer.body.error.payment_intent?.id;
    return undefined;
  }

  /**
   * What a careful client does for a request that got no answer: look the order up first; if there is
   * no payment for it, send the request again with the same Idempotency-Key. That key may still be
   * held by the dead process's request (409 idempotency_key_in_use until its 60 s lease ends); the
   * lookup just said that request created nothing, so the order is sent under a new key, and the
   * merchant_reference still guards against paying twice.
   */
  async function recover(payment: Payment): Promise<void> {
    const found = await findByReference(payment.reference);
    if (found) {
      payment.intentId = found;
      payment.recovery = "found by merchant_reference";
      return;
    }
    const retry = await post("/v1/payment_intents", payment.body, payment.key);
    const retried = intentOf(retry);
    if (retried) {
      payment.intentId = retried;
      payment.recovery = `same key: ${retry.status}`;
      return;
    }
    assert.equal(retry.status, 409, `retry of ${payment.reference}: ${retry.text}`);
    assert.equal(retry.body.error.code, "idempotency_key_in_use", retry.text);
    const foundNow = await findByReference(payment.reference);
    if (foundNow) {
      payment.intentId = foundNow;
      payment.recovery = "key in use, then found by merchant_reference";
      return;
    }
    const fresh = await post("/v1/payment_intents", payment.body, `${payment.key}-after-crash`);
    const freshIntent = intentOf(fresh);
    assert.ok(freshIntent, `new-key retry of ${payment.reference}: ${fresh.text}`);
    payment.intentId = freshIntent;
    payment.recovery = `key in use, new key: ${fresh.status}`;
  }

  test(`${PAYMENTS} payments, kill -9 after ${KILL_AFTER_ANSWERS} answers, restart, retry, resolve`, async (t) => {
    const api = group.processes.find((p) => p.name === "api") as PayrailProcess;
    const run = Date.now();
    const kinds: Kind[] = ["automatic", "manual", "automatic", "timeout"];
    const payments: Payment[] = Array.from({ length: PAYMENTS }, (_, index) => {
      const kind = kinds[index % kinds.length] as Kind;
      const reference = `crash-${run}-${index}`;
      return {
        index,
        kind,
        reference,
        key: `key-${reference}`,
        body: {
          amount: 1000 + index,
          currency: "usd",
          confirm: true,
          merchant_reference: reference,
          ...(kind === "manual" ? { capture_method: "manual" } : {}),
          payment_method_data: cardData(kind === "timeout" ? "4000000000000408" : "4242424242424242"),
        },
      };
    });

    try {
      // Fire everything at once; the answer that makes KILL_AFTER_ANSWERS kills the process there and then.
      let answered = 0;
      let killed: Promise<void> | undefined;
      await Promise.all(
        payments.map(async (payment) => {
          try {
            payment.answer = await post("/v1/payment_intents", payment.body, payment.key);
            answered++;
            if (answered === KILL_AFTER_ANSWERS) killed = group.kill9(api);
          } catch (error) {
            payment.lost = (error as Error).cause ? String((error as Error).cause) : String(error);
          }
        }),
      );
      await killed;
      const lost = payments.filter((p) => !p.answer);
      t.diagnostic(`answered before the crash: ${payments.length - lost.length}, lost: ${lost.length}`);
      // Every answer that did come back is a complete, normal answer.
      for (const payment of payments) {
        if (!payment.answer) continue;
        assert.equal(payment.answer.status, 200, payment.answer.text);
        assert.ok(ANSWERED_STATUS[payment.kind].includes(payment.answer.body.status), payment.answer.text);
        payment.intentId = payment.answer.body.id;
      }
      assert.ok(lost.length > 0, "the crash happened while requests were in flight");
      assert.equal((await api.exited).signal, "SIGKILL");

      await group.start("api", {
        name: "api (restarted)",
        port: apiPort,
        env: { PAYRAIL_SANDBOX_URL: simulator.url },
      });
      await Promise.all(lost.map(recover));
      const recoveries = new Map<string, number>();
      for (const p of lost) recoveries.set(p.recovery ?? "?", (recoveries.get(p.recovery ?? "?") ?? 0) + 1);
      t.diagnostic(`recovered: ${[...recoveries].map(([how, n]) => `${how} ×${n}`).join(", ")}`);

      // The worker resolves every payment whose outcome was unknown.
      await until(
        "the worker to resolve every processing payment",
        async () => {
          const left = await count(
            "select count(*) as n from payment_intents where merchant_id = $1 and status in ('processing', 'requires_action')",
            [merchant.merchant_id],
          );
          return left === 0 ? true : undefined;
        },
        25_000,
        200,
      );

      assert.equal(
        await count("select count(*) as n from payment_intents where merchant_id = $1", [
          merchant.merchant_id,
        ]),
        PAYMENTS,
        "one intent per order, nothing else",
      );
      const statuses = new Map<string, number>();
      for (const payment of payments) {
        const status = await checkPayment(payment);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
      t.diagnostic(`final: ${[...statuses].map(([s, n]) => `${s} ×${n}`).join(", ")}`);
    } catch (error) {
      t.diagnostic(group.dump());
      throw error;
    }
  });

  /** Checks one order end to end against the database and the provider; returns its final status. */
  async function checkPayment(payment: Payment): Promise<string> {
    const where = `${payment.reference} (${payment.kind}${payment.recovery ? `, ${payment.recovery}` : ""})`;
    const intents = await pool.query(
      "select * from payment_intents where merchant_id = $1 and merchant_reference = $2",
      [merchant.merchant_id, payment.reference],
    );
    assert.equal(intents.rows.length, 1, `exactly one intent for ${where}`);
    const intent = intents.rows[0];
    assert.equal(intent.id, payment.intentId, `the intent the client was told about, ${where}`);
    assert.equal(BigInt(intent.amount), BigInt(1000 + payment.index));

    // A final, consistent status: what the kind leads to, or failed when the crash kept the
    // authorization from reaching the provider at all (only possible for a request that got no answer).
    if (payment.answer || intent.status !== "requires_payment_method")
      assert.equal(intent.status, FINAL_STATUS[payment.kind], `status of ${where}`);

    const events = await pool.query<{ type: string; n: string }>(
      "select type, count(*) as n from events where merchant_id = $1 and object_id = $2 group by type",
      [merchant.merchant_id, intent.id],
    );
    const eventCount = (type: string) => Number(events.rows.find((e) => e.type === type)?.n ?? 0);
    assert.equal(eventCount("payment_intent.created"), 1, `one created event for ${where}`);
    assert.ok(eventCount("payment_intent.processing") <= 1, `at most one processing event for ${where}`);
    assert.equal(
      eventCount("payment_intent.succeeded"),
      intent.status === "succeeded" ? 1 : 0,
      `succeeded events of ${where}`,
    );
    assert.equal(
      eventCount("payment_intent.amount_capturable_updated"),
      intent.status === "requires_capture" ? 1 : 0,
      `amount_capturable_updated events of ${where}`,
    );
    assert.equal(
      eventCount("payment_intent.payment_failed"),
      intent.status === "requires_payment_method" ? 1 : 0,
      `payment_failed events of ${where}`,
    );

    // Attempts and provider charges match one to one, by our reference.
    const attempts = await pool.query(
      "select * from payment_attempts where merchant_id = $1 and payment_intent_id = $2 and operation = 'authorize' order by created_at",
      [merchant.merchant_id, intent.id],
    );
    assert.equal(attempts.rows.length, intent.authorize_attempts, `attempt rows of ${where}`);
    assert.equal(attempts.rows.length, 1, `one authorization of ${where}`);
    const attempt = attempts.rows[0];
    assert.equal(attempt.reference, `${intent.id}_a1`);
    const charges = await providerCharges(simulator.url, providerKey, attempt.reference);
    assert.equal(
      (await providerCharges(simulator.url, providerKey, `${intent.id}_a2`)).length,
      0,
      `no provider charge without an attempt, ${where}`,
    );
    const charge = charges[0];
    if (!charge) {
      // The process died before the authorization left it: the worker found nothing at the provider
      // and failed the attempt. That is the only way an attempt may lack a charge.
      assert.ok(!payment.answer, `an answered payment has a provider charge, ${where}`);
      assert.equal(intent.status, "requires_payment_method", where);
      assert.equal(attempt.status, "failed", where);
      assert.equal(intent.last_payment_error?.code, "processing_error", where);
      return intent.status;
    }
    assert.equal(charges.length, 1);
    assert.equal(attempt.connector_reference, charge.id, `attempt records the provider charge, ${where}`);
    assert.equal(attempt.status, "succeeded", where);
    assert.equal(intent.connector_transaction_id, charge.id, where);
    assert.equal(charge.amount, 1000 + payment.index);
    if (intent.status === "succeeded") {
      assert.equal(charge.status, "captured", where);
      assert.equal(
        BigInt(intent.amount_received),
        BigInt(charge.amount_captured),
        `amount_received of ${where}`,
      );
    } else {
      assert.equal(intent.status, "requires_capture", where);
      assert.equal(charge.status, "authorized", where);
      assert.equal(BigInt(intent.amount_capturable), BigInt(charge.amount), where);
      assert.equal(BigInt(intent.amount_received), 0n, where);
    }
    return intent.status;
  }
});
