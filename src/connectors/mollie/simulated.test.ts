import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { type MollieSimulator, startMollieSimulator } from "../../../simulators/mollie/index.ts";
import { createMollieConnector, mollieConfigSchema } from "./index.ts";
import { simulatedAccounts } from "./simulated.ts";
import { localRequest, newCall } from "./test-support.ts";

let sim: MollieSimulator;
before(async () => {
  sim = await startMollieSimulator({ notificationRetryDelaysMs: [] });
});
after(() => sim.close());

test("each merchant gets its own valid test key, which the simulator takes without registration", async () => {
  const accounts = simulatedAccounts(sim);
  const a = accounts.config(randomBytes);
  const b = accounts.config(randomBytes);
  assert.notEqual(a.api_key, b.api_key);
  assert.equal(mollieConfigSchema.safeParse(a).success, true);
  assert.match(String(a.api_key), /^test_[0-9A-Za-z]{30}$/);
  assert.equal("base_url" in a, false, "the provider URL comes from Payrail, so it survives a restart");
  accounts.register(a);
  accounts.register(a);

  const connector = createMollieConnector({ baseUrl: () => sim.url });
  const call = newCall({}, a);
  const result = await connector.startPayment!(call, localRequest());
  assert.equal(result.outcome, "requires_action");
  assert.equal(sim.paymentCount(String(a.api_key)), 1);
  assert.equal(sim.paymentCount(String(b.api_key)), 0);
});
