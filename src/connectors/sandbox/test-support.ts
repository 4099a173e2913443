/** Helpers for the connector tests that run against a real sandbox simulator. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { AuthorizeRequest, CallContext, Connector, ConnectorAccount } from "../contract.ts";
import { generateSandboxApiKey } from "./index.ts";

/** A call on a fresh account: each test sees only its own charges. */
export function newCall(
  overrides: Partial<CallContext> = {},
  config: Record<string, unknown> = {},
): CallContext {
  const account: ConnectorAccount = {
    id: "mca_test",
    merchantId: "acct_test",
    livemode: false,
    connector: "sandbox",
    config: { api_key: generateSandboxApiKey(randomBytes), ...config },
  };
  return { account, notificationUrl: "http://127.0.0.1:9/hooks", timeoutMs: 2000, ...overrides };
}

export function apiKeyOf(call: CallContext): string {
  return String(call.account.config.api_key);
}

export function nextRef(prefix: string): string {
  return `${prefix}_${randomBytes(8).toString("hex")}`;
}

export function authorizeRequest(
  number = "4242424242424242",
  overrides: Partial<AuthorizeRequest> = {},
): AuthorizeRequest {
  return {
    reference: nextRef("pa"),
    paymentIntentId: nextRef("pi"),
    amount: 1000n,
    currency: "USD",
    capture: false,
    card: { number, exp_month: 12, exp_year: 2040, cvc: "123", holder_name: "Ada Lovelace" },
    returnUrl: "http://127.0.0.1/return",
    description: "Order",
    ...overrides,
  };
}

export async function authorized(
  connector: Connector,
  call: CallContext,
  overrides: Partial<AuthorizeRequest> = {},
) {
  const result = await connector.authorize(call, authorizeRequest("4242424242424242", overrides));
  assert.equal(result.outcome, "authorized");
  return result;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
