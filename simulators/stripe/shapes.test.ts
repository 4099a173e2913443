/**
 * Object shapes against Stripe's own fixtures (fixtures3.json): the same keys at the top level, the
 * fixture's keys inside nested objects, and the same value types. A null where the fixture has a value
 * must be allowed by Stripe: nullable in the spec, or (for fields newer than the 2022-04-12 spec) in
 * Stripe's current API reference.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type Stripe from "stripe";
import { type StripeSimulator, startStripeSimulator } from "./index.ts";
import { newSecretKey, paymentParams, type Receiver, raw, sdk, startReceiver } from "./test-support.ts";

const specs = new URL("../../../shared/specs/stripe/", import.meta.url);
const fixtures = JSON.parse(readFileSync(new URL("fixtures3.json", specs), "utf8")).resources;
const spec = JSON.parse(readFileSync(new URL("spec3.2022-04-12.json", specs), "utf8"));
const schemas: Record<string, any> = spec.components.schemas;

/** Nullable in the current API (stripe-node v23 type declarations), absent from the 2022-04-12 spec. */
const NULLABLE_SINCE_SPEC = new Set([
  "payment_intent.latest_charge",
  "payment_intent.payment_method_configuration_details",
  "payment_intent.managed_payments",
  "payment_intent.customer_account",
  "payment_intent.excluded_payment_method_types",
  "payment_intent.source",
  "charge.source",
]);

function resolve(schema: any): any {
  if (!schema) return undefined;
  if (schema.$ref) return resolve(schemas[schema.$ref.replace("#/components/schemas/", "")]);
  if (schema.anyOf) {
    const objectBranch = schema.anyOf.map(resolve).find((branch: any) => branch?.properties);
    return objectBranch ? { ...objectBranch, nullable: schema.nullable } : schema;
  }
  return schema;
}

function specKinds(schema: any): Set<string> {
  if (!schema) return new Set();
  if (schema.$ref) return new Set(["object"]);
  if (schema.anyOf) return new Set(schema.anyOf.flatMap((branch: any) => [...specKinds(branch)]));
  if (schema.type === "integer" || schema.type === "number") return new Set(["number"]);
  if (schema.type) return new Set([schema.type]);
  return new Set(schema.properties ? ["object"] : []);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

function compare(ours: any, fixture: any, schema: any, path: string, problems: string[]): void {
  for (const key of Object.keys(fixture)) {
    const where = `${path}.${key}`;
    if (!(key in ours)) {
      problems.push(`${where} is missing`);
      continue;
    }
    const property = schema?.properties?.[key];
    const expected = kindOf(fixture[key]);
    const actual = kindOf(ours[key]);
    if (actual === "null") {
      const allowed = expected === "null" || property?.nullable === true || NULLABLE_SINCE_SPEC.has(where);
      if (!allowed) problems.push(`${where} is null, which Stripe does not allow`);
      continue;
    }
    if (expected === "null") {
      const declared = specKinds(property);
      if (declared.size > 0 && !declared.has(actual)) {
        problems.push(`${where} is ${actual}, the spec says ${[...declared].join(" or ")}`);
      }
      continue;
    }
    // An expandable id may come back as its object.
    if (expected !== actual && !(expected === "string" && actual === "object")) {
      problems.push(`${where} is ${actual}, the fixture has ${expected}`);
      continue;
    }
    const isMap = key === "metadata" || key === "data";
    if (expected === "object" && actual === "object" && !isMap && Object.keys(fixture[key]).length > 0) {
      compare(ours[key], fixture[key], resolve(property), where, problems);
    }
  }
}

function assertShape(kind: string, ours: object, extraKeys: string[] = []): void {
  const fixture = fixtures[kind];
  const problems: string[] = [];
  const expectedKeys = Object.keys(fixture).sort();
  const actualKeys = Object.keys(ours)
    .filter((key) => !extraKeys.includes(key))
    .sort();
  assert.deepEqual(actualKeys, expectedKeys, `${kind} keys`);
  compare(ours, fixture, schemas[kind], kind, problems);
  assert.deepEqual(problems, [], `${kind} shape`);
}

let sim: StripeSimulator;
let receiver: Receiver;
let stripe: Stripe;
let key: string;
let intent: Stripe.PaymentIntent;

before(async () => {
  sim = await startStripeSimulator();
  receiver = await startReceiver();
  key = newSecretKey();
  stripe = sdk(sim, key);
  await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ["*"] });
  intent = await stripe.paymentIntents.create(
    paymentParams("4242424242424242", { metadata: { order: "A-1" }, description: "Order A-1" }),
  );
});
after(async () => {
  await sim.close();
  await receiver.close();
});

describe("object shapes match fixtures3.json", () => {
  test("the check itself notices a missing key, a wrong type and a forbidden null", () => {
    const { status: _status, ...withoutStatus } = intent;
    assert.throws(() => assertShape("payment_intent", withoutStatus), /keys/);
    assert.throws(() => assertShape("payment_intent", { ...intent, amount: "1000" }), /amount is string/);
    assert.throws(() => assertShape("payment_intent", { ...intent, metadata: null }), /metadata is null/);
  });

  test("payment_intent", () => {
    assertShape("payment_intent", intent);
    assert.equal(intent.status, "succeeded");
    assert.match(intent.id, /^pi_[0-9A-Za-z]{24}$/);
    assert.match(intent.client_secret ?? "", new RegExp(`^${intent.id}_secret_[0-9A-Za-z]+$`));
  });

  test("payment_intent with a decline error and a 3-D Secure next action", async () => {
    const declined = await stripe.paymentIntents.create(paymentParams("4000000000000002")).catch((e) => e);
    assertShape("payment_intent", declined.payment_intent);
    const challenged = await stripe.paymentIntents.create(paymentParams("4000002760003184"));
    assertShape("payment_intent", challenged);
  });

  test("charge, expanded and retrieved", async () => {
    const expanded = await stripe.paymentIntents.retrieve(intent.id, { expand: ["latest_charge"] });
    const charge = expanded.latest_charge as Stripe.Charge;
    assertShape("charge", charge);
    assert.deepEqual(await stripe.charges.retrieve(charge.id), charge);
    assert.match(charge.payment_method_details?.card?.network_transaction_id ?? "", /^\d{15}$/);
    assert.match(String(charge.balance_transaction), /^txn_/);
  });

  test("refund", async () => {
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 100 });
    assertShape("refund", refund);
  });

  test("payment_method and balance_transaction", async () => {
    const pm = await stripe.paymentMethods.retrieve(String(intent.payment_method));
    assertShape("payment_method", pm);
    const charge = await stripe.charges.retrieve(String(intent.latest_charge));
    const txn = await stripe.balanceTransactions.retrieve(String(charge.balance_transaction));
    assertShape("balance_transaction", txn);
    assert.equal(txn.amount, 1000);
    assert.equal(txn.fee, 59, "2.9% + 30");
    assert.equal(txn.net, 941);
  });

  test("event", async () => {
    const events = await stripe.events.list({ limit: 100 });
    assert.ok(events.data.length > 0);
    for (const event of events.data) assertShape("event", event);
    const refunded = events.data.find((event) => event.type === "charge.refunded");
    assert.ok(refunded);
    assertShape("charge", refunded.data.object);
    const wire = await raw(sim, "GET", `/v1/events/${refunded.id}`, { key });
    assertShape("event", wire.json);
  });

  test("token, created with the publishable key", async () => {
    const token = await stripe.tokens.create(
      { card: { number: "4242424242424242", exp_month: "8", exp_year: "2040", cvc: "123" } },
      { apiKey: key.replace(/^sk_test_/, "pk_test_") },
    );
    assertShape("token", token);
    const wire = await raw(sim, "GET", `/v1/tokens/${token.id}`, { key });
    assertShape("token", wire.json);
  });

  test("webhook_endpoint: secret only when created", async () => {
    const created = await stripe.webhookEndpoints.create({
      url: "https://shop.example/hooks",
      enabled_events: ["charge.failed", "charge.succeeded"],
    });
    assert.match(created.secret ?? "", /^whsec_/);
    assertShape("webhook_endpoint", created, ["secret"]);
    const fetched = await stripe.webhookEndpoints.retrieve(created.id);
    assert.equal("secret" in fetched, false);
    assertShape("webhook_endpoint", fetched);
  });
});
