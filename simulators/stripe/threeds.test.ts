import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type Stripe from "stripe";
import { type StripeSimulator, startStripeSimulator } from "./index.ts";
import { newSecretKey, paymentParams, type Receiver, sdk, startReceiver, waitUntil } from "./test-support.ts";

let sim: StripeSimulator;
let receiver: Receiver;
let stripe: Stripe;

before(async () => {
  sim = await startStripeSimulator({ notificationRetryDelaysMs: [] });
  receiver = await startReceiver();
  stripe = sdk(sim, newSecretKey());
  await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ["*"] });
});
after(async () => {
  await sim.close();
  await receiver.close();
});

const RETURN_URL = "https://shop.example/return?order=7";

/** Loads the challenge page like a browser and submits the chosen button's form. */
async function answerChallenge(url: string, choice: "approve" | "fail"): Promise<Response> {
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, "the page has a form");
  assert.ok(html.includes(`name="result" value="${choice}"`), "the page has the button");
  return fetch(new URL(action.replaceAll("&#47;", "/"), url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ result: choice }).toString(),
    redirect: "manual",
  });
}

async function challenged(extra: Record<string, unknown> = {}): Promise<Stripe.PaymentIntent> {
  const intent = await stripe.paymentIntents.create(
    paymentParams("4000002760003184", { return_url: RETURN_URL, ...extra }),
  );
  assert.equal(intent.status, "requires_action");
  return intent;
}

describe("3-D Secure", () => {
  test("the next action points at the simulator's page and the shop's return URL", async () => {
    const intent = await challenged();
    assert.equal(intent.next_action?.type, "redirect_to_url");
    const redirect = intent.next_action?.redirect_to_url;
    assert.equal(redirect?.return_url, RETURN_URL);
    assert.ok(redirect?.url?.startsWith(`${sim.url}/3d_secure/authenticate/`));
    const html = await (await fetch(redirect?.url ?? "")).text();
    assert.ok(html.includes("$10.00"));
    assert.ok(html.includes("3184"));
    await waitUntil(() =>
      receiver.ofType("payment_intent.requires_action").some((r) => r.body.data.object.id === intent.id),
    );
  });

  test("approve: the payment completes and the browser goes back to the shop", async () => {
    const intent = await challenged();
    const answer = await answerChallenge(intent.next_action?.redirect_to_url?.url ?? "", "approve");
    assert.equal(answer.status, 303);
    const location = new URL(answer.headers.get("location") ?? "");
    assert.equal(`${location.origin}${location.pathname}`, "https://shop.example/return");
    assert.equal(location.searchParams.get("order"), "7");
    assert.equal(location.searchParams.get("payment_intent"), intent.id);
    assert.equal(location.searchParams.get("payment_intent_client_secret"), intent.client_secret);
    assert.equal(location.searchParams.get("redirect_status"), "succeeded");
    const after = await stripe.paymentIntents.retrieve(intent.id, { expand: ["latest_charge"] });
    assert.equal(after.status, "succeeded");
    assert.equal(after.next_action, null);
    const card = (after.latest_charge as Stripe.Charge).payment_method_details?.card;
    assert.equal(card?.three_d_secure?.result, "authenticated");
    await waitUntil(() =>
      receiver.ofType("payment_intent.succeeded").some((r) => r.body.data.object.id === intent.id),
    );
  });

  test("approve with manual capture leaves the funds to capture", async () => {
    const intent = await challenged({ capture_method: "manual" });
    await answerChallenge(intent.next_action?.redirect_to_url?.url ?? "", "approve");
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, "requires_capture");
    assert.equal((await stripe.paymentIntents.capture(intent.id)).status, "succeeded");
  });

  test("fail: the intent wants a new payment method and no charge is made", async () => {
    const intent = await challenged();
    const answer = await answerChallenge(intent.next_action?.redirect_to_url?.url ?? "", "fail");
    const location = new URL(answer.headers.get("location") ?? "");
    assert.equal(location.searchParams.get("redirect_status"), "failed");
    const after = await stripe.paymentIntents.retrieve(intent.id);
    assert.equal(after.status, "requires_payment_method");
    assert.equal(after.last_payment_error?.code, "payment_intent_authentication_failure");
    assert.equal(after.last_payment_error?.type, "invalid_request_error");
    assert.equal(after.latest_charge, null);
    await waitUntil(() =>
      receiver.ofType("payment_intent.payment_failed").some((r) => r.body.data.object.id === intent.id),
    );
  });

  test("a second submission changes nothing and redirects again", async () => {
    const intent = await challenged();
    const url = intent.next_action?.redirect_to_url?.url ?? "";
    await answerChallenge(url, "approve");
    const again = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "result=fail",
      redirect: "manual",
    });
    assert.equal(again.status, 303);
    assert.equal(
      new URL(again.headers.get("location") ?? "").searchParams.get("redirect_status"),
      "succeeded",
    );
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).status, "succeeded");
    assert.equal((await fetch(url)).status, 409, "the page says the authentication is closed");
  });

  test("a canceled intent closes its page", async () => {
    const intent = await challenged();
    await stripe.paymentIntents.cancel(intent.id);
    const page = await fetch(intent.next_action?.redirect_to_url?.url ?? "");
    assert.equal(page.status, 409);
    assert.equal((await fetch(`${sim.url}/3d_secure/authenticate/src_unknown`)).status, 404);
  });

  test("request_three_d_secure=any challenges an ordinary card", async () => {
    const intent = await stripe.paymentIntents.create(
      paymentParams("4242424242424242", {
        payment_method_options: { card: { request_three_d_secure: "any" } },
      }),
    );
    assert.equal(intent.status, "requires_action");
  });

  test("without return_url the next action is use_stripe_sdk", async () => {
    const intent = await stripe.paymentIntents.create(
      paymentParams("4000002760003184", { return_url: undefined }),
    );
    assert.equal(intent.next_action?.type, "use_stripe_sdk");
  });
});
