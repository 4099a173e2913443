/**
 * Idempotency across processes: two API processes (and the sandbox simulator in a third) on one
 * PostgreSQL. The guarantees must hold in the database, not in one process's memory.
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
  tally,
} from "../support/processes.ts";

const CONCURRENCY = 50;

describe("idempotency across two API processes", { skip: NEEDS_POSTGRES, timeout: 60_000 }, () => {
  const group = new ProcessGroup();
  let pool: pg.Pool;
  let simulator: PayrailProcess;
  let apis: PayrailProcess[];
  let merchant: MerchantKeys;
  let providerKey: string;

  before(async () => {
    pool = openPool();
    try {
      await migrate();
      // Everything else starts at once: the API processes only need the simulator's address.
      const simulatorPort = await freePort();
      const env = { PAYRAIL_SANDBOX_URL: `http://127.0.0.1:${simulatorPort}` };
      [merchant, simulator, ...apis] = await Promise.all([
        createMerchant(`multiprocess idempotency ${Date.now()}`),
        group.start("simulators", { name: "simulators", port: simulatorPort }),
        group.start("api", { name: "api-1", env }),
        group.start("api", { name: "api-2", env }),
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

  const api = (i: number) => (apis[i % apis.length] as PayrailProcess).url;
  const post = (i: number, path: string, body: unknown, idempotencyKey: string) =>
    apiRequest(api(i), merchant.secret_key, "POST", path, { body, idempotencyKey });
  const charges = (reference: string) => providerCharges(simulator.url, providerKey, reference);
  const count = (sqlText: string, params: unknown[]) => countRows(pool, sqlText, params);

  test(`${CONCURRENCY} concurrent identical confirms on two processes authorize once`, async (t) => {
    try {
      const created = await post(
        0,
        "/v1/payment_intents",
        { amount: 1234, currency: "usd" },
        `create-${Date.now()}`,
      );
      assert.equal(created.status, 200, created.text);
      const id = created.body.id as string;
      const key = `confirm-race-${id}`;
      const body = { payment_method_data: cardData("4242424242424242") };

      const answers = await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, i) =>
          post(i, `/v1/payment_intents/${id}/confirm`, body, key),
        ),
      );
      t.diagnostic(`answers: ${tally(answers)}`);

      for (const answer of answers) {
        assert.ok(
          answer.status === 200 || answer.status === 409,
          `unexpected ${answer.status}: ${answer.text}`,
        );
        if (answer.status === 409) assert.equal(answer.body.error.type, "idempotency_error", answer.text);
      }
      const ok = answers.filter((a) => a.status === 200);
      assert.ok(ok.length >= 1, `no request succeeded: ${tally(answers)}`);
      const first = ok[0] as ApiAnswer;
      assert.equal(first.body.status, "succeeded", first.text);
      for (const answer of ok) assert.equal(answer.text, first.text, "every 200 is the same response");

      // The provider saw one authorization, under the first attempt's reference only.
      assert.equal((await charges(`${id}_a1`)).length, 1, "one charge for the first attempt");
      assert.equal((await charges(`${id}_a2`)).length, 0, "no second attempt reached the provider");

      const intent = await apiRequest(api(1), merchant.secret_key, "GET", `/v1/payment_intents/${id}`);
      assert.equal(intent.body.status, "succeeded");
      assert.equal(intent.body.amount_received, 1234);
      assert.equal(
        await count(
          "select count(*) as n from payment_attempts where payment_intent_id = $1 and merchant_id = $2 and operation = 'authorize'",
          [id, merchant.merchant_id],
        ),
        1,
        "one authorize attempt",
      );
      assert.equal(
        await count(
          "select count(*) as n from events where object_id = $1 and merchant_id = $2 and type = 'payment_intent.succeeded'",
          [id, merchant.merchant_id],
        ),
        1,
        "one payment_intent.succeeded event",
      );

      // After everything settled, the key replays the first answer byte for byte, on either process.
      for (const i of [0, 1]) {
        const replay = await post(i, `/v1/payment_intents/${id}/confirm`, body, key);
        assert.equal(replay.status, 200);
        assert.equal(replay.text, first.text);
        assert.equal(replay.headers.get("idempotent-replayed"), "true");
      }
    } catch (error) {
      t.diagnostic(group.dump());
      throw error;
    }
  });

  test(`${CONCURRENCY} concurrent creates with one merchant_reference make one payment`, async (t) => {
    try {
      const reference = `order-${Date.now()}`;
      const before = await count("select count(*) as n from payment_intents where merchant_id = $1", [
        merchant.merchant_id,
      ]);
      const body = {
        amount: 2500,
        currency: "usd",
        confirm: true,
        merchant_reference: reference,
        payment_method_data: cardData("4242424242424242"),
      };
      const answers = await Promise.all(
        Array.from({ length: CONCURRENCY }, (_, i) =>
          post(i, "/v1/payment_intents", body, `${reference}-key-${i}`),
        ),
      );
      t.diagnostic(`answers: ${tally(answers)}`);

      const ok = answers.filter((a) => a.status === 200);
      const duplicates = answers.filter((a) => a.status === 409);
      assert.equal(ok.length, 1, `exactly one 200: ${tally(answers)}`);
      assert.equal(duplicates.length, CONCURRENCY - 1, `all others 409: ${tally(answers)}`);
      const winner = (ok[0] as ApiAnswer).body;
      assert.equal(winner.status, "succeeded");
      assert.equal(winner.merchant_reference, reference);
      for (const answer of duplicates) {
        assert.equal(answer.body.error.code, "duplicate_merchant_reference", answer.text);
        assert.equal(answer.body.error.param, "merchant_reference");
        assert.ok(answer.body.error.message.includes(winner.id), answer.body.error.message);
        assert.equal(answer.body.error.payment_intent?.id, winner.id, answer.text);
      }

      // One intent in the database, one charge at the provider.
      const after = await count("select count(*) as n from payment_intents where merchant_id = $1", [
        merchant.merchant_id,
      ]);
      assert.equal(after - before, 1, "one new intent");
      assert.equal(
        await count(
          "select count(*) as n from payment_attempts a join payment_intents i on i.id = a.payment_intent_id where i.merchant_id = $1 and i.merchant_reference = $2 and a.operation = 'authorize'",
          [merchant.merchant_id, reference],
        ),
        1,
        "one authorize attempt",
      );
      assert.equal((await charges(`${winner.id}_a1`)).length, 1, "one charge at the provider");
      assert.equal((await charges(`${winner.id}_a2`)).length, 0);
    } catch (error) {
      t.diagnostic(group.dump());
      throw error;
    }
  });
});
