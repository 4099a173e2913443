import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { checkPageScripts } from "../../src/checkout/script-check.ts";
import { checkoutPageHeaders } from "../../src/checkout/security-headers.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const CARD = (number: string) => ({
  type: "card",
  card: { number, exp_month: 12, exp_year: 2034, cvc: "123" },
});

describe("hosted checkout page and its API", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const newSession = async (extra: Record<string, unknown> = {}) => {
    const res = await server.request("POST", "/v1/checkout/sessions", {
      body: {
        line_items: [{ name: "Mug", quantity: 1, unit_amount: 1800 }],
        currency: "eur",
        success_url: "https://shop.example/orders/{CHECKOUT_SESSION_ID}",
        ...extra,
      },
    });
    assert.equal(res.status, 200, res.text);
    const intent = await server.request("GET", `/v1/payment_intents/${res.body.payment_intent}`);
    return { session: res.body, intent: intent.body };
  };
  const page = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers });
  const pageApi = (intentId: string, secret: string, path = "", init: RequestInit = {}) =>
    fetch(`${server.url}/pay/api/intents/${intentId}${path}`, {
      ...init,
      headers: {
        "payrail-client-secret": secret,
        "content-type": "application/json",
        ...(init.headers as Record<string, string>),
      },
    });

  test("the page: strict CSP with this response's nonce, integrity on every script and stylesheet", async () => {
    const { session } = await newSession();
    const res = await page(`/pay/${session.id}`, { "accept-language": "en-US,en;q=0.8" });
    assert.equal(res.status, 200);
    const html = await res.text();
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce, csp);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers.get("x-frame-options"), "SAMEORIGIN");
    assert.equal(res.headers.get("cache-control"), "no-store");
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) assert.ok(tag.includes(`nonce="${nonce}"`), tag);
    for (const tag of html.match(/<(script|link)\b[^>]*(src|href)="\/[^"]*"[^>]*>/g) ?? [])
      assert.match(tag, /integrity="sha384-/, tag);
    // The first paint needs no script: merchant, items and total are in the HTML.
    assert.match(html, /Test shop/);
    assert.match(html, /€18\.00/);
    assert.match(html, /<html lang="en" dir="ltr">/);
    // Another request, another nonce.
    const again = await page(`/pay/${session.id}`);
    assert.notEqual(/'nonce-([^']+)'/.exec(again.headers.get("content-security-policy") ?? "")?.[1], nonce);
  });

  test("language from Accept-Language or the session; Arabic is right to left; JPY has no decimals", async () => {
    const { session } = await newSession();
    const zh = await (await page(`/pay/${session.id}`, { "accept-language": "zh-CN,zh;q=0.9" })).text();
    assert.match(zh, /<html lang="zh-CN" dir="ltr">/);
    assert.match(zh, /合计|总计|总额/);
    const ar = await (await page(`/pay/${session.id}?locale=ar`)).text();
    assert.match(ar, /<html lang="ar" dir="rtl">/);
    const { session: yen } = await newSession({
      currency: "jpy",
      locale: "ja",
      line_items: undefined,
      amount: 1500,
    });
    const ja = await (await page(`/pay/${yen.id}`, { "accept-language": "en" })).text();
    assert.match(ja, /<html lang="ja"/);
    assert.match(ja, /[￥¥]1,500(?![.\d])/);
  });

  test("an unknown session is a 404 page, never a stack trace", async () => {
    const res = await page("/pay/cs_doesnotexist0000000000000");
    assert.equal(res.status, 404);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    assert.match(await res.text(), /expired/);
  });

  test("page API: only this intent's client secret opens it", async () => {
    const { intent } = await newSession();
    const { intent: other } = await newSession();
    assert.equal((await pageApi(intent.id, "")).status, 403);
    assert.equal((await pageApi(intent.id, other.client_secret)).status, 403);
    assert.equal((await pageApi(intent.id, `${intent.client_secret}x`)).status, 403);
    const ok = await pageApi(intent.id, intent.client_secret);
    assert.equal(ok.status, 200);
    const view = await ok.json();
    assert.equal(view.intent.id, intent.id);
    assert.equal(view.intent.amount, 1800);
    assert.ok(view.methods.some((m: any) => m.type === "card"));
    assert.equal(
      JSON.stringify(view).includes(intent.client_secret),
      false,
      "the view never echoes the secret",
    );
  });

  test("pay by card: one Idempotency-Key per attempt, so a repeated submit charges once", async () => {
    const { intent } = await newSession();
    const confirm = (key?: string) =>
      pageApi(intent.id, intent.client_secret, "/confirm", {
        method: "POST",
        body: JSON.stringify({ payment_method_data: CARD("4242424242424242") }),
        headers: key ? { "idempotency-key": key } : {},
      });
    assert.equal((await confirm()).status, 400, "a confirm without a key is refused");
    const [a, b] = await Promise.all([confirm("chk_double_click"), confirm("chk_double_click")]);
    const statuses = [a.status, b.status].sort();
    assert.ok(statuses[0] === 200, `statuses ${statuses}`);
    const first = await (a.status === 200 ? a : b).json();
    assert.equal(first.intent.status, "succeeded");
    const replay = await confirm("chk_double_click");
    assert.equal(replay.status, 200);
    assert.equal(replay.headers.get("idempotent-replayed"), "true");
    const attempts = await server.payrail.ctx.db
      .selectFrom("payment_attempts")
      .select("id")
      .where("payment_intent_id", "=", intent.id)
      .execute();
    assert.equal(attempts.length, 1);
    const second = await confirm("chk_second_attempt");
    assert.equal(second.status, 400, "a paid intent cannot be paid again");
  });

  test("the merchant's method order wins; card data never reaches the logs", async () => {
    const { intent } = await newSession({ payment_method_order: ["paypal", "card"] });
    const view = await (await pageApi(intent.id, intent.client_secret)).json();
    assert.deepEqual(
      view.methods.slice(0, 2).map((m: any) => m.type),
      ["paypal", "card"],
    );
    const paid = await pageApi(intent.id, intent.client_secret, "/confirm", {
      method: "POST",
      body: JSON.stringify({ payment_method_data: CARD("5555555555554444") }),
      headers: { "idempotency-key": "chk_logs" },
    });
    assert.equal(paid.status, 200);
    const logs = server.logLines.join("");
    assert.equal(logs.includes("5555555555554444"), false);
    assert.equal(logs.includes(intent.client_secret), false);
  });

  test("a declined card: the view carries the specific remedy in the shopper's language", async () => {
    const { intent } = await newSession();
    const res = await pageApi(intent.id, intent.client_secret, "/confirm", {
      method: "POST",
      body: JSON.stringify({ payment_method_data: CARD("4000000000000069"), locale: "zh-CN" }),
      headers: { "idempotency-key": "chk_expired" },
    });
    assert.equal(res.status, 200);
    const view = await res.json();
    assert.equal(view.intent.status, "requires_payment_method");
    assert.equal(view.intent.last_payment_error.decline_code, "expired_card");
    assert.match(view.intent.last_payment_error.message, /过期/);
    const en = await (await pageApi(intent.id, intent.client_secret, "?locale=en")).json();
    assert.equal(en.intent.last_payment_error.message, "Your card has expired — use another card.");
  });

  test("card errors a shopper can fix come in their language; card testing stops after ten attempts", async () => {
    const { intent } = await newSession();
    const confirm = (number: string, key: string, locale = "zh-CN") =>
      pageApi(intent.id, intent.client_secret, "/confirm", {
        method: "POST",
        body: JSON.stringify({ payment_method_data: CARD(number), locale }),
        headers: { "idempotency-key": key },
      });
    const bad = await confirm("4242424242424241", "chk_luhn");
    assert.equal(bad.status, 400);
    const error = (await bad.json()).error;
    assert.equal(error.param, "payment_method_data[card][number]");
    assert.doesNotMatch(error.message, /[a-z]{4}/i, error.message);
    for (let i = 0; i < 10; i++) {
      const declined = await confirm("4000000000000002", `chk_decline_${i}`, "en");
      assert.equal(declined.status, 200);
    }
    const blocked = await confirm("4242424242424242", "chk_after_ten", "en");
    assert.equal(blocked.status, 429);
    assert.equal((await blocked.json()).error.code, "too_many_attempts");
  });

  test("a local method answers with its QR code for the page", async () => {
    const { intent } = await newSession({ currency: "cny", line_items: undefined, amount: 8800 });
    const res = await pageApi(intent.id, intent.client_secret, "/confirm", {
      method: "POST",
      body: JSON.stringify({ payment_method_data: { type: "alipay", channel: "qr" } }),
      headers: { "idempotency-key": "chk_alipay" },
    });
    const view = await res.json();
    assert.equal(res.status, 200, JSON.stringify(view));
    assert.equal(view.intent.status, "requires_action");
    assert.equal(view.intent.next_action.type, "display_qr_code");
    assert.match(view.intent.next_action.display_qr_code.image_data_url, /^data:image\/png;base64,/);
  });

  test("embedded form: framed only by the merchant's registered origins, with its publishable key", async () => {
    const intent = (
      await server.request("POST", "/v1/payment_intents", { body: { amount: 1000, currency: "usd" } })
    ).body;
    const path = (key: string, parent: string) =>
      `/pay/embed/${intent.id}?key=${key}&parent=${encodeURIComponent(parent)}`;
    const unregistered = await page(path(server.merchant.publishable_key, "https://shop.example"));
    assert.equal(unregistered.status, 403);
    assert.match(unregistered.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    await server.request("POST", "/v1/checkout/settings", {
      body: { embed_origins: ["https://shop.example"] },
    });
    const ok = await page(path(server.merchant.publishable_key, "https://shop.example"));
    assert.equal(ok.status, 200);
    assert.match(
      ok.headers.get("content-security-policy") ?? "",
      /frame-ancestors https:\/\/shop\.example(;|$)/,
    );
    const html = await ok.text();
    assert.equal(html.includes(intent.client_secret), false, "the secret comes in the fragment only");
    const other = await server.newMerchant("Other shop");
    assert.equal((await page(path(other.publishable_key, "https://shop.example"))).status, 403);
    assert.equal((await page(path(server.merchant.secret_key, "https://shop.example"))).status, 403);
    assert.equal((await page(path(server.merchant.publishable_key, "https://evil.example"))).status, 403);
  });

  test("saved cards and passkeys: only the customer's own cards, only after paying, only with a customer", async () => {
    const { intent: guest } = await newSession();
    const post = (intent: any, path: string, body: unknown, headers: Record<string, string> = {}) =>
      pageApi(intent.id, intent.client_secret, path, { method: "POST", body: JSON.stringify(body), headers });
    const noCustomer = await post(guest, "/passkeys/registration-options", {});
    assert.equal(noCustomer.status, 400);
    assert.equal((await noCustomer.json()).error.code, "customer_required");
    const customer = await server.request("POST", "/v1/customers", { body: { email: "c@example.com" } });
    const { intent } = await newSession({ customer: customer.body.id });
    const early = await post(intent, "/passkeys/registration-options", {});
    assert.equal(early.status, 400, "a passkey is offered after a successful payment only");
    const none = await post(intent, "/passkeys/authentication-options", {});
    assert.equal((await none.json()).error.code, "passkey_not_registered");
    // A card tokenized by anyone (not saved to this customer) cannot be used from the page.
    const stray = await server.request("POST", "/v1/payment_methods", {
      body: CARD("4242424242424242"),
    });
    const res = await post(
      intent,
      "/confirm",
      { payment_method: stray.body.id, cvc: "123" },
      { "idempotency-key": "chk_stray_card" },
    );
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error.param, "payment_method");
    // Saving the card during a payment makes it the customer's; the next payment may use it with its CVC.
    const saved = await post(
      intent,
      "/confirm",
      { payment_method_data: CARD("4242424242424242"), save_card: true },
      { "idempotency-key": "chk_save" },
    );
    const view = await saved.json();
    assert.equal(view.intent.status, "succeeded");
    assert.equal(view.customer.saved_cards.length, 1);
    const { intent: next } = await newSession({ customer: customer.body.id });
    const noCvc = await post(
      next,
      "/confirm",
      { payment_method: view.customer.saved_cards[0].id },
      {
        "idempotency-key": "chk_no_cvc",
      },
    );
    assert.equal((await noCvc.json()).error.param, "cvc");
    const oneClick = await post(
      next,
      "/confirm",
      { payment_method: view.customer.saved_cards[0].id, cvc: "123" },
      { "idempotency-key": "chk_cvc" },
    );
    assert.equal((await oneClick.json()).intent.status, "succeeded");
  });

  test("display currency: a locked quote for the currencies the merchant allows, the charge unchanged", async () => {
    const same = await server.request("POST", "/v1/checkout/sessions", {
      body: { amount: 1800, currency: "eur", success_url: "https://s.example/", display_currencies: ["eur"] },
    });
    assert.equal(same.status, 400);
    assert.equal(same.body.error.param, "display_currencies[0]");
    const { session, intent } = await newSession({ display_currencies: ["usd", "jpy"] });
    assert.deepEqual(session.display_currencies, ["usd", "jpy"]);
    const view = await (await pageApi(intent.id, intent.client_secret)).json();
    assert.deepEqual(view.display_currencies, ["usd", "jpy"]);
    const quote = async (currency: string) =>
      pageApi(intent.id, intent.client_secret, "/display_quote", {
        method: "POST",
        body: JSON.stringify({ currency }),
      });
    const yen = await quote("jpy");
    assert.equal(yen.status, 200);
    const body = await yen.json();
    assert.match(body.quote, /^fxq_/);
    assert.ok(Number.isInteger(body.amount) && body.amount > 1800, JSON.stringify(body));
    assert.ok(body.expires_at > Date.now() / 1000);
    assert.equal((await quote("gbp")).status, 400, "only the merchant's display currencies");
    const after = await server.request("GET", `/v1/payment_intents/${intent.id}`);
    assert.equal(after.body.amount, 1800);
    assert.equal(after.body.currency, "eur");
  });

  test("help pages per language", async () => {
    const de = await page("/help", { "accept-language": "de-DE" });
    assert.equal(de.status, 200);
    assert.match(await de.text(), /<html lang="de"/);
    const ar = await (await page("/help/ar")).text();
    assert.match(ar, /dir="rtl"/);
    for (const id of ["declined", "charged-twice", "refund-time", "phishing"])
      assert.match(ar, new RegExp(`id="${id}"`));
    const unknown = await page("/help/xx", { "accept-language": "fr" });
    assert.equal(unknown.url.endsWith("/help/fr"), true);
  });

  test("the script check passes on the served page and fails when a script is added or changed", async () => {
    const { session } = await newSession();
    const pageUrl = `${server.url}/pay/${session.id}`;
    const html = await (await page(`/pay/${session.id}`)).text();
    const inventory = (await server.request("GET", "/v1/checkout/scripts")).body.data;
    const fetchBytes = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());
    assert.deepEqual(await checkPageScripts(pageUrl, html, inventory, fetchBytes), []);
    const injected = html.replace(
      "</body>",
      '<script src="https://cdn.evil.example/skim.js"></script></body>',
    );
    const added = await checkPageScripts(pageUrl, injected, inventory, fetchBytes);
    assert.deepEqual(
      added.map((p) => p.problem),
      ["not_in_inventory"],
    );
    const inline = html.replace("</body>", "<script>steal()</script></body>");
    assert.deepEqual(
      (await checkPageScripts(pageUrl, inline, inventory, fetchBytes)).map((p) => p.problem),
      ["inline_script"],
    );
    const changed = await checkPageScripts(pageUrl, html, inventory, async (url) =>
      Buffer.concat([await fetchBytes(url), Buffer.from("\n;steal();")]),
    );
    assert.ok(changed.length > 0 && changed.every((p) => p.problem === "integrity_mismatch"));
  });

  test("payrail checkout check-scripts: 0 on the served page, 2 without a valid key", async () => {
    const { runCheckScripts } = await import("../../src/checkout/script-check-cli.ts");
    const { session } = await newSession();
    const out: string[] = [];
    const code = await runCheckScripts(session.url, server.merchant.secret_key, (text) => out.push(text));
    assert.equal(code, 0, out.join(""));
    assert.match(out.join(""), /^ok: every script/);
    assert.equal(await runCheckScripts(session.url, "sk_test_wrong00000000000000000000", () => {}), 2);
    assert.equal(await runCheckScripts(undefined, undefined, () => {}), 2);
  });

  test("HSTS only over TLS", () => {
    const plain = checkoutPageHeaders({ nonce: "n", frameAncestors: [], loopbackFrames: false, tls: false });
    assert.equal(plain["strict-transport-security"], undefined);
    const tls = checkoutPageHeaders({ nonce: "n", frameAncestors: [], loopbackFrames: false, tls: true });
    assert.match(tls["strict-transport-security"] ?? "", /max-age=63072000/);
  });
});
