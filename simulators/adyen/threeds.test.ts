import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type AdyenSimulator, startAdyenSimulator } from "./index.ts";
import {
  api,
  assertEveryWebhookOfficiallySigned,
  card,
  configureWebhook,
  newApiKey,
  officiallySigned,
  paymentBody,
  type Receiver,
  sleep,
  startReceiver,
} from "./test-support.ts";

let sim: AdyenSimulator;
let receiver: Receiver;

before(async () => {
  sim = await startAdyenSimulator({ strictResponses: true, modificationDelayMs: 20 });
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

async function redirectPayment() {
  const key = newApiKey();
  const { hmacKey } = await configureWebhook(sim.url, key, receiver.url);
  const res = await api(sim.url, "POST", "/v71/payments", {
    key,
    body: paymentBody({ paymentMethod: card("4000002760003184") }),
  });
  return { key, hmacKey, res };
}

async function answerChallenge(url: string, result: string) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ result }).toString(),
    redirect: "manual",
  });
}

function redirectResultOf(location: string | null): string {
  const value = new URL(location ?? "").searchParams.get("redirectResult");
  assert.ok(value);
  return value;
}

describe("3-D Secure redirect", () => {
  test("card 3184 asks for RedirectShopper; Approve on the page then /payments/details authorises", async () => {
    const { key, hmacKey, res } = await redirectPayment();
    assert.equal(res.status, 200);
    assert.equal(res.json.resultCode, "RedirectShopper");
    assert.equal(res.json.action.type, "redirect");
    assert.equal(res.json.action.method, "GET");
    assert.equal(res.json.action.paymentMethodType, "scheme");
    assert.ok(res.json.action.url.startsWith(`${sim.url}/simulator/3ds/`));

    const page = await fetch(res.json.action.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    const html = await page.text();
    assert.match(html, /Approve/);
    assert.match(html, /Fail/);
    assert.match(html, /€10\.00/);
    assert.match(html, /3184/);
    assert.doesNotMatch(html, /4000002760003184/);

    const answered = await answerChallenge(res.json.action.url, "approve");
    assert.equal(answered.status, 303);
    const location = answered.headers.get("location") ?? "";
    assert.ok(location.startsWith("https://shop.example/return?order=1&redirectResult="));
    const redirectResult = redirectResultOf(location);

    await sleep(50);
    assert.ok(
      !receiver.received.some((r) => r.item?.pspReference === res.json.pspReference),
      "no webhook before details",
    );

    const details = await api(sim.url, "POST", "/v71/payments/details", {
      key,
      body: { details: { redirectResult } },
    });
    assert.equal(details.status, 200);
    assert.equal(details.json.resultCode, "Authorised");
    assert.equal(details.json.pspReference, res.json.pspReference);
    assert.equal(details.json.additionalData.threeDAuthenticated, "true");
    const webhook = await receiver.waitForEvent("AUTHORISATION", res.json.pspReference);
    assert.equal(webhook.item.success, "true");
    assert.ok(officiallySigned(webhook, hmacKey));

    const again = await api(sim.url, "POST", "/v71/payments/details", {
      key,
      body: { details: { redirectResult } },
    });
    assert.equal(again.json.resultCode, "Authorised");
    assert.equal((await fetch(res.json.action.url)).status, 409, "the page closes once answered");
    const repeated = await answerChallenge(res.json.action.url, "fail");
    assert.equal(
      redirectResultOf(repeated.headers.get("location")),
      redirectResult,
      "the first answer stands",
    );
    await sleep(50);
    const auths = receiver.received.filter(
      (r) => r.item?.eventCode === "AUTHORISATION" && r.item.pspReference === res.json.pspReference,
    );
    assert.equal(auths.length, 1);
  });

  test("Fail on the page refuses with 3D Not Authenticated (11)", async () => {
    const { key, hmacKey, res } = await redirectPayment();
    const answered = await answerChallenge(res.json.action.url, "fail");
    const details = await api(sim.url, "POST", "/v71/payments/details", {
      key,
      body: { details: { redirectResult: redirectResultOf(answered.headers.get("location")) } },
    });
    assert.equal(details.json.resultCode, "Refused");
    assert.equal(details.json.refusalReason, "3D Not Authenticated");
    assert.equal(details.json.refusalReasonCode, "11");
    const webhook = await receiver.waitForEvent("AUTHORISATION", res.json.pspReference);
    assert.equal(webhook.item.success, "false");
    assert.equal(webhook.item.reason, "3D Not Authenticated");
    assert.ok(officiallySigned(webhook, hmacKey));
  });

  test("a redirectResult is only valid for its own account", async () => {
    const { res } = await redirectPayment();
    const answered = await answerChallenge(res.json.action.url, "approve");
    const redirectResult = redirectResultOf(answered.headers.get("location"));
    const foreign = await api(sim.url, "POST", "/v71/payments/details", {
      key: newApiKey(),
      body: { details: { redirectResult } },
    });
    assert.equal(foreign.status, 422);
    assert.equal(foreign.json.errorCode, "14_018");
    const unknown = await api(sim.url, "POST", "/v71/payments/details", {
      key: newApiKey(),
      body: { details: { redirectResult: "bm90LWEtcmVzdWx0" } },
    });
    assert.equal(unknown.json.errorCode, "14_018");
  });

  test("the page rejects unknown tokens and answers other than approve or fail", async () => {
    const { res } = await redirectPayment();
    assert.equal((await answerChallenge(res.json.action.url, "maybe")).status, 400);
    assert.equal((await fetch(`${sim.url}/simulator/3ds/unknown-token`)).status, 404);
  });

  test("merchant-initiated payments are not challenged", async () => {
    const key = newApiKey();
    const res = await api(sim.url, "POST", "/v71/payments", {
      key,
      body: paymentBody({
        paymentMethod: card("4000002760003184", { cvc: undefined }),
        shopperInteraction: "ContAuth",
        recurringProcessingModel: "UnscheduledCardOnFile",
      }),
    });
    assert.equal(res.json.resultCode, "Authorised");
  });
});
