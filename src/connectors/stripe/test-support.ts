/** Helpers for the Stripe connector tests: Stripe's published sample objects and call builders. */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type {
  AuthorizeRequest,
  CallContext,
  ConnectorAccount,
  WalletTokenAuthorizeRequest,
} from "../contract.ts";
import { generateStripeTestKey } from "./index.ts";

type Json = Record<string, unknown>;

const fixtures = JSON.parse(
  readFileSync(new URL("../../../../shared/specs/stripe/fixtures3.json", import.meta.url), "utf8"),
) as { resources: Record<string, Json> };

/** A deep copy of Stripe's sample object of one resource (payment_intent, charge, refund, event, ...). */
export function sample(resource: string): Json {
  const object = fixtures.resources[resource];
  if (!object) throw new Error(`no Stripe fixture for ${resource}`);
  return structuredClone(object);
}

export function samplePaymentIntent(overrides: Json = {}): Json {
  return {
    ...sample("payment_intent"),
    id: "pi_3Test",
    amount: 1000,
    amount_capturable: 0,
    amount_received: 0,
    currency: "usd",
    capture_method: "manual",
    metadata: { payrail_reference: "pa_1" },
    next_action: null,
    last_payment_error: null,
    ...overrides,
  };
}

export function sampleCharge(overrides: Json = {}): Json {
  const charge = { ...sample("charge"), id: "ch_3Test", payment_intent: "pi_3Test", ...overrides };
  return charge;
}

export function sampleRefund(overrides: Json = {}): Json {
  return {
    ...sample("refund"),
    id: "re_3Test",
    amount: 400,
    currency: "usd",
    payment_intent: "pi_3Test",
    metadata: { payrail_reference: "rf_1" },
    ...overrides,
  };
}

export function sampleEvent(type: string, object: Json, id = "evt_3Test"): Json {
  return { ...sample("event"), id, type, data: { object } };
}

export function nextRef(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString("hex")}`;
}

export function testAccount(config: Json = {}): ConnectorAccount {
  return {
    id: nextRef("mca"),
    merchantId: "acct_test",
    livemode: false,
    connector: "stripe",
    config: { secret_key: generateStripeTestKey(randomBytes), ...config },
  };
}

export function newCall(overrides: Partial<CallContext> = {}, config: Json = {}): CallContext {
  return {
    account: testAccount(config),
    notificationUrl: "http://127.0.0.1:9/webhooks/stripe",
    timeoutMs: 2000,
    ...overrides,
  };
}

export function authorizeRequest(overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  return {
    reference: nextRef("pa"),
    paymentIntentId: nextRef("pi"),
    amount: 1000n,
    currency: "USD",
    capture: false,
    card: {
      number: "4242424242424242",
      exp_month: 12,
      exp_year: 2040,
      cvc: "123",
      holder_name: "Ada Lovelace",
    },
    returnUrl: "http://127.0.0.1/return",
    description: "Order 1",
    ...overrides,
  };
}

/** What Google Pay puts in `tokenizationData.token` for gateway "stripe": a Stripe Token object as JSON. */
export function googlePayStripeToken(token: Json = {}): string {
  return JSON.stringify({ ...sample("token"), ...token });
}

export function walletTokenRequest(
  token: string,
  overrides: Partial<WalletTokenAuthorizeRequest> = {},
): WalletTokenAuthorizeRequest {
  const { card: _card, ...basics } = authorizeRequest();
  return { ...basics, walletToken: { wallet: "google_pay", token }, ...overrides };
}
