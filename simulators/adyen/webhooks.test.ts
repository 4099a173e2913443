import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import hmacValidatorModule from "@adyen/api-library/lib/src/utils/hmacValidator.js";
import { type AdyenSimulator, startAdyenSimulator } from "./index.ts";
import {
  api,
  assertEveryWebhookOfficiallySigned,
  configureWebhook,
  MERCHANT,
  newApiKey,
  officiallySigned,
  paymentBody,
  type Receiver,
  rememberHmacKey,
  sleep,
  startReceiver,
} from "./test-support.ts";

let sim: AdyenSimulator;
let receiver: Receiver;

before(async () => {
  sim = await startAdyenSimulator({
    strictResponses: true,
    modificationDelayMs: 20,
    notificationRetryDelaysMs: [20, 20, 20],
  });
  receiver = await startReceiver();
});
after(async () => {
  try {
    assertEveryWebhookOfficiallySigned(receiver);
  } finally {
    await receiver.close();
    await sim.close();
  }
});
afterEach(() => {
  receiver.script([]);
});

const webhooksPath = (merchant = MERCHANT) => `/v3/merchants/${merchant}/webhooks`;
const manual = () => paymentBody({ additionalData: { manualCapture: "true" } });
const pay = (key: string, body = manual()) => api(sim.url, "POST", "/v71/payments", { key, body });

describe("Management API v3 webhook configuration", () => {
  test("create, list, get, update and delete a merchant webhook", async () => {
    const key = newApiKey();
    const created = await api(sim.url, "POST", webhooksPath(), {
      key,
      body: {
        type: "standard",
        url: receiver.url,
        active: true,
        communicationFormat: "json",
        description: "Payrail",
        username: "adyen",
        password: "s3cret",
      },
    });
    assert.equal(created.status, 200);
    const webhook = created.json;
    assert.match(webhook.id, /^\S+$/);
    assert.equal(webhook.type, "standard");
    assert.equal(webhook.url, receiver.url);
    assert.equal(webhook.active, true);
    assert.equal(webhook.communicationFormat, "json");
    assert.equal(webhook.username, "adyen");
    assert.equal(webhook.hasPassword, true);
    assert.equal(webhook.password, undefined, "the password is never returned");
    assert.equal(webhook.accountReference, MERCHANT);
    assert.equal(webhook._links.generateHmac.href, `${sim.url}${webhooksPath()}/${webhook.id}/generateHmac`);

    const list = await api(sim.url, "GET", webhooksPath(), { key });
    assert.equal(list.json.itemsTotal, 1);
    assert.equal(list.json.data[0].id, webhook.id);
    assert.equal((await api(sim.url, "GET", webhooksPath("OtherMerchant"), { key })).json.itemsTotal, 0);
    assert.equal((await api(sim.url, "GET", webhooksPath(), { key: newApiKey() })).json.itemsTotal, 0);

    const got = await api(sim.url, "GET", `${webhooksPath()}/${webhook.id}`, { key });
    assert.deepEqual(got.json, webhook);
    const updated = await api(sim.url, "PATCH", `${webhooksPath()}/${webhook.id}`, {
      key,
      body: { active: false },
    });
    assert.equal(updated.json.active, false);
    assert.equal(updated.json.url, receiver.url);

    const deleted = await api(sim.url, "DELETE", `${webhooksPath()}/${webhook.id}`, { key });
    assert.equal(deleted.status, 204);
    const gone = await api(sim.url, "GET", `${webhooksPath()}/${webhook.id}`, { key });
    assert.equal(gone.status, 404);
    assert.equal(gone.json.status, 404);
    assert.equal(typeof gone.json.title, "string");
    assert.equal(typeof gone.json.detail, "string");
  });

  test("invalid configurations are 422 with invalidFields", async () => {
    const key = newApiKey();
    const missing = await api(sim.url, "POST", webhooksPath(), {
      key,
      body: { type: "standard", active: true },
    });
    assert.equal(missing.status, 422);
    const names = missing.json.invalidFields.map((field: { name: string }) => field.name);
    assert.ok(names.includes("url"));
    assert.ok(names.includes("communicationFormat"));
    const soap = await api(sim.url, "POST", webhooksPath(), {
      key,
      body: { type: "standard", url: receiver.url, active: true, communicationFormat: "soap" },
    });
    assert.equal(soap.status, 422);
    const unknown = await api(sim.url, "POST", webhooksPath(), {
      key,
      body: { type: "standard", url: "ftp://x", active: true, communicationFormat: "json", colour: "red" },
    });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.json.invalidFields.length, 2);
  });

  test("the Management API answers 401 in RFC 7807 shape", async () => {
    const res = await api(sim.url, "GET", webhooksPath(), { key: "too-short" });
    assert.equal(res.status, 401);
    assert.equal(res.json.status, 401);
    assert.equal(res.json.errorCode, "00_401");
    assert.equal(typeof res.json.type, "string");
  });

  test("generateHmac returns a new 64-hex-digit key that signs the following webhooks", async () => {
    const key = newApiKey();
    const { id, hmacKey } = await configureWebhook(sim.url, key, receiver.url);
    assert.match(hmacKey, /^[0-9A-F]{64}$/);
    const first = await pay(key);
    const signedOld = await receiver.waitForEvent("AUTHORISATION", first.json.pspReference);
    assert.ok(officiallySigned(signedOld, hmacKey));

    const rotated = await api(sim.url, "POST", `${webhooksPath()}/${id}/generateHmac`, { key });
    rememberHmacKey(rotated.json.hmacKey);
    assert.notEqual(rotated.json.hmacKey, hmacKey);
    const second = await pay(key);
    const signedNew = await receiver.waitForEvent("AUTHORISATION", second.json.pspReference);
    assert.ok(officiallySigned(signedNew, rotated.json.hmacKey));
    assert.ok(!officiallySigned(signedNew, hmacKey));
  });

  test("without an HMAC key the webhook is unsigned", async () => {
    const key = newApiKey();
    await api(sim.url, "POST", webhooksPath(), {
      key,
      body: { type: "standard", url: receiver.url, active: true, communicationFormat: "json" },
    });
    const res = await pay(key);
    const webhook = await receiver.waitForEvent("AUTHORISATION", res.json.pspReference);
    assert.equal(webhook.item.additionalData.hmacSignature, undefined);
    assert.throws(() => new hmacValidatorModule.default().validateHMAC(webhook.item, "00"), /hmacSignature/);
  });
});

describe("delivery", () => {
  test("the standard notification shape", async () => {
    const key = newApiKey();
    const { hmacKey } = await configureWebhook(sim.url, key, receiver.url);
    const res = await pay(key);
    const webhook = await receiver.waitForEvent("AUTHORISATION", res.json.pspReference);
    assert.equal(webhook.headers["content-type"], "application/json");
    assert.equal(webhook.body.live, "false");
    assert.equal(webhook.body.notificationItems.length, 1);
    assert.match(webhook.item.eventDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    assert.equal(webhook.item.paymentMethod, "visa");
    assert.match(webhook.item.reason, /^\d{6}:4242:03\/2030$/);
    assert.ok(officiallySigned(webhook, hmacKey));
  });

  test("anything but [accepted] is retried with the configured delays", async () => {
    const key = newApiKey();
    const { hmacKey } = await configureWebhook(sim.url, key, receiver.url);
    receiver.script([500, "ok", "destroy"]);
    const res = await pay(key);
    await sleep(300);
    const attempts = receiver.received.filter((r) => r.item?.pspReference === res.json.pspReference);
    assert.equal(attempts.length, 4);
    assert.equal(new Set(attempts.map((a) => a.raw)).size, 1, "every attempt carries the same body");
    for (const attempt of attempts) assert.ok(officiallySigned(attempt, hmacKey));
  });

  test("delivery is abandoned after the last retry", async () => {
    const key = newApiKey();
    await configureWebhook(sim.url, key, receiver.url);
    receiver.script([500, 500, 500, 500, 500, 500]);
    const res = await pay(key);
    await sleep(300);
    assert.equal(receiver.received.filter((r) => r.item?.pspReference === res.json.pspReference).length, 4);
  });

  test("basic authentication is sent when configured", async () => {
    const key = newApiKey();
    await api(sim.url, "POST", webhooksPath(), {
      key,
      body: {
        type: "standard",
        url: receiver.url,
        active: true,
        communicationFormat: "json",
        username: "adyen",
        password: "s3cret",
      },
    });
    const res = await pay(key);
    const webhook = await receiver.waitForEvent("AUTHORISATION", res.json.pspReference);
    assert.equal(webhook.headers.authorization, `Basic ${Buffer.from("adyen:s3cret").toString("base64")}`);
  });

  test("webhooks go to every active webhook of the payment's merchant account, each signed with its key", async () => {
    const key = newApiKey();
    const a = await configureWebhook(sim.url, key, `${receiver.url}/a`);
    const b = await configureWebhook(sim.url, key, `${receiver.url}/b`);
    const other = await configureWebhook(sim.url, key, `${receiver.url}/other`, "OtherMerchant");
    const inactive = await configureWebhook(sim.url, key, `${receiver.url}/inactive`);
    await api(sim.url, "PATCH", `${webhooksPath()}/${inactive.id}`, { key, body: { active: false } });
    const res = await pay(key);
    await receiver.waitForEvent("AUTHORISATION", res.json.pspReference);
    await sleep(100);
    const deliveries = receiver.received.filter((r) => r.item?.pspReference === res.json.pspReference);
    assert.deepEqual(deliveries.map((d) => d.path).sort(), ["/a", "/b"]);
    const [toA, toB] = ["/a", "/b"].map((path) => deliveries.find((d) => d.path === path));
    assert.ok(toA && toB);
    assert.ok(officiallySigned(toA, a.hmacKey));
    assert.ok(officiallySigned(toB, b.hmacKey));
    assert.ok(other.hmacKey);
  });
});
