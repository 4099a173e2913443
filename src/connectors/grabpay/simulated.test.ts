import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { type GrabPaySimulator, startGrabPaySimulator } from "../../../simulators/grabpay/index.ts";
import { createGrabPayConnector, grabPayConfigSchema } from "./index.ts";
import { simulatedAccounts } from "./simulated.ts";
import { localRequest, payAndReturn } from "./test-support.ts";

describe("simulated test accounts", () => {
  let sim: GrabPaySimulator;
  const connector = createGrabPayConnector({ baseUrl: () => sim.url });
  before(async () => {
    sim = await startGrabPaySimulator();
  });
  after(async () => {
    await sim.close();
  });

  it("makes fresh, valid credentials per merchant", () => {
    const accounts = simulatedAccounts(sim);
    const first = accounts.config(randomBytes);
    const second = accounts.config(randomBytes);
    assert.ok(grabPayConfigSchema.safeParse(first).success);
    assert.notEqual(first.partner_id, second.partner_id);
    assert.notEqual(first.partner_secret, second.partner_secret);
    assert.notEqual(first.client_secret, second.client_secret);
    assert.ok(grabPayConfigSchema.safeParse(connector.defaultTestAccountConfig?.(randomBytes)).success);
  });

  it("registers an account (again at every start) so that it can take payments", async () => {
    const accounts = simulatedAccounts(sim);
    const config = {
      ...accounts.config(randomBytes),
      redirect_uri: "https://payrail.example/grabpay/return",
    };
    accounts.register(config);
    accounts.register(config);
    const call = {
      account: { id: "mca_sim", merchantId: "acct_sim", livemode: false, connector: "grabpay", config },
      notificationUrl: "http://127.0.0.1:9/v1/hooks/grabpay/mca_sim",
      timeoutMs: 2000,
    };
    const { returned } = await payAndReturn(connector, call, localRequest(), "approve");
    assert.equal(returned?.outcome, "authorized");
  });
});
