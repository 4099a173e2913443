// Speaks to the simulator with plain node:https, not through Payrail's client, so each side checks the other.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import { type ApplePaySimulator, PAYMENT_SESSION_PATH, startApplePaySimulator } from "./index.ts";

interface Answer {
  status: number;
  json: Record<string, unknown>;
}

interface ClientIdentity {
  certificatePem: string;
  privateKeyPem: string;
}

function post(
  simulator: ApplePaySimulator,
  body: unknown,
  identity: ClientIdentity | undefined,
  { path = PAYMENT_SESSION_PATH, method = "POST" } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${simulator.url}${path}`, {
      method,
      ca: simulator.caCertPem,
      agent: false,
      ...(identity ? { cert: identity.certificatePem, key: identity.privateKeyPem } : {}),
      headers: { "content-type": "application/json" },
    });
    req.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          json: JSON.parse(Buffer.concat(chunks).toString("utf8")),
        }),
      );
    });
    req.on("error", reject);
    req.end(typeof body === "string" ? body : JSON.stringify(body));
  });
}

const at = new Date("2026-05-04T10:00:00Z");
let counter = 0;
let simulator: ApplePaySimulator;
let stranger: ApplePaySimulator;

before(async () => {
  simulator = await startApplePaySimulator({
    now: () => at,
    merchantIdentifier: "merchant.com.payrail.simtest",
    random: (size) => Buffer.alloc(size, ++counter),
  });
  stranger = await startApplePaySimulator({ merchantIdentifier: "merchant.com.payrail.stranger" });
});
after(async () => {
  await simulator.close();
  await stranger.close();
});

const body = (overrides: Record<string, unknown> = {}) => ({
  merchantIdentifier: "merchant.com.payrail.simtest",
  displayName: "Sim Shop",
  initiative: "web",
  initiativeContext: "checkout.example.org",
  ...overrides,
});

describe("Apple Pay session simulator", () => {
  it("answers a merchant session to the merchant of the client certificate", async () => {
    const { status, json } = await post(simulator, body(), simulator.merchantIdentity);
    assert.equal(status, 200);
    const merchantIdHex = simulator.merchantIdentity.merchantIdHex;
    assert.equal(
      merchantIdHex,
      createHash("sha256").update("merchant.com.payrail.simtest").digest("hex").toUpperCase(),
    );
    assert.deepEqual(Object.keys(json), [
      "epochTimestamp",
      "expiresAt",
      "merchantSessionIdentifier",
      "nonce",
      "merchantIdentifier",
      "domainName",
      "displayName",
      "signature",
      "operationalAnalyticsIdentifier",
      "retries",
      "pspId",
    ]);
    assert.equal(json.epochTimestamp, at.getTime());
    assert.equal(json.expiresAt, at.getTime() + 3_600_000);
    assert.match(String(json.merchantSessionIdentifier), /^SSH[0-9A-F]{32}_[0-9A-F]{64}$/);
    assert.match(String(json.nonce), /^[0-9a-f]{8}$/);
    assert.equal(json.merchantIdentifier, merchantIdHex);
    assert.equal(json.pspId, merchantIdHex);
    assert.equal(json.domainName, "checkout.example.org");
    assert.equal(json.operationalAnalyticsIdentifier, `Sim Shop:${merchantIdHex}`);
  });

  it("refuses a connection without a client certificate", async () => {
    await assert.rejects(post(simulator, body(), undefined));
  });

  it("refuses a client certificate from another CA", async () => {
    await assert.rejects(post(simulator, body(), stranger.merchantIdentity));
  });

  it("refuses a merchantIdentifier the certificate was not issued for", async () => {
    const { status, json } = await post(
      simulator,
      body({ merchantIdentifier: "merchant.com.payrail.stranger" }),
      simulator.merchantIdentity,
    );
    assert.equal(status, 400);
    assert.equal(json.statusCode, "400");
    assert.match(String(json.statusMessage), /^Payment Services Exception .*unauthorized/);
  });

  it("refuses an initiativeContext that is not a plain domain", async () => {
    for (const initiativeContext of [
      "https://checkout.example.org",
      "checkout.example.org/path",
      "checkout.example.org:443",
      "localhost",
      "10.0.0.1",
      "-bad.example.org",
      "checkout.example.org.",
    ]) {
      const { status, json } = await post(simulator, body({ initiativeContext }), simulator.merchantIdentity);
      assert.equal(status, 400, initiativeContext);
      assert.equal(json.statusCode, "400");
    }
  });

  it("refuses malformed bodies, other paths and methods", async () => {
    const identity = simulator.merchantIdentity;
    assert.equal((await post(simulator, "{not json", identity)).status, 400);
    assert.equal((await post(simulator, body({ initiative: "kiosk" }), identity)).status, 400);
    assert.equal((await post(simulator, body({ displayName: undefined }), identity)).status, 400);
    assert.equal((await post(simulator, body(), identity, { path: "/paymentservices/other" })).status, 404);
    assert.equal((await post(simulator, body(), identity, { method: "PUT" })).status, 405);
  });
});
