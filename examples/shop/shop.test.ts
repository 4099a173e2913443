import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CARD, startTestServer, type TestServer } from "../../test/support/server.ts";
import { type DemoShop, startDemoShop } from "./server.ts";

let payrail: TestServer;
let shop: DemoShop;

before(async () => {
  payrail = await startTestServer();
  shop = await startDemoShop({
    payrailUrl: payrail.url,
    secretKey: payrail.merchant.secret_key,
    publishableKey: payrail.merchant.publishable_key,
    port: 0,
  });
});
after(async () => {
  await shop?.close();
  await payrail?.close();
});

async function get(path: string) {
  const response = await fetch(`${shop.url}${path}`, { redirect: "manual" });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

function postForm(path: string, fields: Record<string, string>) {
  return fetch(`${shop.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

/** The nonce of a page's policy, after checking the policy allows nothing inline without it. */
function cspNonce(headers: Headers): string {
  const csp = headers.get("content-security-policy") ?? "";
  assert.match(csp, /(^|; )default-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const nonce = /style-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  assert.ok(nonce, csp);
  return nonce;
}

describe("demo shop", () => {
  test("the home page lists both items, each bought either way, with the test cards", async () => {
    const page = await get("/");
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html; charset=utf-8/);
    assert.match(page.html, /<h1>Payrail demo shop<\/h1>/);
    for (const [name, price, id] of [
      ["Ceramic mug", "€18.00", "mug"],
      ["Linen tote bag", "€24.50", "tote"],
    ] as const) {
      assert.ok(page.html.includes(`<h2>${name}</h2>`), name);
      assert.ok(page.html.includes(price), price);
      assert.ok(page.html.includes(`<input type="hidden" name="item" value="${id}">`));
      assert.ok(page.html.includes(`href="/embedded?item=${id}">Buy — pay on this page</a>`));
    }
    assert.equal(page.html.match(/Buy — hosted checkout/g)?.length, 2);
    assert.match(page.html, /4242 4242 4242 4242/);
    assert.match(page.html, /4000 0000 0000 0002/);
    assert.match(page.html, /4000 0027 6000 3184/);
    const nonce = cspNonce(page.headers);
    assert.ok(page.html.includes(`<style nonce="${nonce}">`));
    assert.doesNotMatch(
      page.html,
      /<script|\son[a-z]+=/i,
      "no script and no inline handler on the home page",
    );
    assert.ok(!page.html.includes(payrail.merchant.secret_key));
    assert.notEqual(cspNonce((await get("/")).headers), nonce, "a new nonce for each response");
  });

  test("POST /checkout creates a checkout session and sends the shopper to Payrail's page", async () => {
    const response = await postForm("/checkout", { item: "tote" });
    assert.equal(response.status, 303, await response.text());
    const location = response.headers.get("location") ?? "";
    assert.ok(location.startsWith(`${payrail.url}/pay/cs_`), location);

    const id = new URL(location).pathname.split("/").pop() as string;
    const session = await payrail.request("GET", `/v1/checkout/sessions/${id}`);
    assert.equal(session.status, 200, session.text);
    assert.equal(session.body.amount_total, 2450);
    assert.equal(session.body.currency, "eur");
    assert.match(session.body.merchant_reference, /^order_/);
    assert.equal(session.body.payment_status, "unpaid");

    const orderPage = await get(`/orders/${id}`);
    assert.equal(orderPage.status, 200);
    assert.match(orderPage.html, /<h1>Not paid<\/h1>/);
  });

  test("the payment page loads Payrail.js pinned by its hash, and only its nonce'd script holds the secret", async () => {
    const page = await get("/embedded?item=mug");
    assert.equal(page.status, 200, page.html);
    const nonce = cspNonce(page.headers);
    const csp = page.headers.get("content-security-policy") ?? "";
    assert.ok(csp.includes(`script-src 'nonce-${nonce}' ${payrail.url}`), csp);
    assert.ok(csp.includes(`frame-src ${payrail.url}`), csp);
    assert.equal(page.headers.get("cache-control"), "no-store");

    const sdkTag =
      /<script src="([^"]+)" integrity="(sha384-[^"]+)" crossorigin="anonymous" nonce="([^"]+)"><\/script>/.exec(
        page.html,
      );
    assert.ok(sdkTag, "the SDK's script tag");
    assert.equal(sdkTag[1], `${payrail.url}/sdk/v1/payrail.js`);
    assert.equal(sdkTag[3], nonce);
    const listed = await payrail.request("GET", "/v1/checkout/scripts");
    const entry = listed.body.data.find((s: { url: string }) => s.url.endsWith("/sdk/v1/payrail.js"));
    assert.equal(sdkTag[2], entry.integrity);

    const secrets = page.html.match(/pi_[0-9A-Za-z]+_secret_[0-9A-Za-z]+/g) ?? [];
    assert.equal(secrets.length, 1, "the client secret appears once");
    const secret = secrets[0] as string;
    const inline = [...page.html.matchAll(/<script nonce="([^"]+)">([\s\S]*?)<\/script>/g)];
    assert.equal(inline.length, 1);
    assert.equal(inline[0]?.[1], nonce);
    assert.ok(inline[0]?.[2]?.includes(`clientSecret: "${secret}"`), "inside the nonce'd script");
    assert.ok(inline[0]?.[2]?.includes(JSON.stringify(payrail.merchant.publishable_key)));
    assert.ok(!page.html.includes(payrail.merchant.secret_key));
    assert.doesNotMatch(page.html, /\son[a-z]+=/i, "no inline handlers");
    assert.match(page.html, /<div id="payment-form"><\/div>/);

    const intentId = secret.slice(0, secret.indexOf("_secret_"));
    const intent = await payrail.request("GET", `/v1/payment_intents/${intentId}`);
    assert.equal(intent.body.client_secret, secret);
    assert.equal(intent.body.amount, 1800);
    assert.equal(intent.body.currency, "eur");
    assert.match(intent.body.merchant_reference, /^order_/);
  });

  test("the order page asks Payrail: not paid, then paid once the intent succeeded", async () => {
    const created = await payrail.request("POST", "/v1/payment_intents", {
      body: { amount: 1800, currency: "eur", merchant_reference: "order_test_paid" },
    });
    assert.equal(created.status, 200, created.text);
    const id = created.body.id as string;
    const before = await get(`/orders/${id}`);
    assert.equal(before.status, 200);
    assert.match(before.html, /<h1>Not paid<\/h1>/);
    assert.match(before.html, /href="\/"/);

    const confirmed = await payrail.request("POST", `/v1/payment_intents/${id}/confirm`, {
      body: { payment_method_data: CARD("4242424242424242") },
    });
    assert.equal(confirmed.body.status, "succeeded", confirmed.text);
    const paid = await get(`/orders/${id}`);
    assert.equal(paid.status, 200);
    assert.match(paid.html, /<h1>Paid — thank you<\/h1>/);
    assert.match(paid.html, /order_test_paid/);
    assert.match(paid.html, /€18\.00/);
  });

  test("an unknown order is not paid", async () => {
    for (const id of [
      "pi_0000000000000000000000000",
      "cs_0000000000000000000000000",
      "order_42",
      "%3Cb%3E",
    ]) {
      const page = await get(`/orders/${id}`);
      assert.equal(page.status, 404, id);
      assert.match(page.html, /<h1>Not paid<\/h1>/);
      assert.ok(!page.html.includes("<b>"), "the id is escaped");
    }
  });

  test("an unknown item is a 400, an unknown page a 404, a wrong method a 405", async () => {
    assert.equal((await get("/embedded?item=teapot")).status, 400);
    assert.equal((await get("/embedded")).status, 400);
    const post = await postForm("/checkout", { item: "teapot" });
    assert.equal(post.status, 400);
    assert.match(await post.text(), /No such item/);
    const missing = await get("/nope");
    assert.equal(missing.status, 404);
    cspNonce(missing.headers);
    const wrongMethod = await get("/checkout");
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "POST");
  });
});
