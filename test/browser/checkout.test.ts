import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startDemoShop } from "../../examples/shop/server.ts";
import {
  accessibilityViolations,
  type Browser,
  chromiumAvailable,
  DESKTOP,
  launchChromium,
  type Page,
  PHONE,
  screenshot,
  throttle3g,
} from "../support/browser.ts";
import { eventually, startTestServer, type TestServer } from "../support/server.ts";

const skip = chromiumAvailable() ? false : "Debian's chromium is not installed (apt-get install chromium)";

describe("checkout in a real browser", { skip }, () => {
  let server: TestServer;
  let browser: Browser;
  let shop: { url: string; close(): Promise<void> };

  before(async () => {
    // Apple's merchant validation wants a registered domain name, which 127.0.0.1 is not.
    server = await startTestServer({ env: { PAYRAIL_APPLE_PAY_DOMAIN: "checkout.localhost" } });
    shop = await startDemoShop({
      payrailUrl: server.url,
      secretKey: server.merchant.secret_key,
      publishableKey: server.merchant.publishable_key,
      host: "127.0.0.1",
      port: 0,
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await shop?.close();
    await server?.close();
  });

  const attemptsOf = async (intentId: string) =>
    (
      await server.payrail.ctx.db
        .selectFrom("payment_attempts")
        .select("id")
        .where("payment_intent_id", "=", intentId)
        .execute()
    ).length;

  const newSession = async (body: Record<string, unknown>) => {
    const res = await server.request("POST", "/v1/checkout/sessions", {
      body: {
        currency: "eur",
        line_items: [{ name: "Ceramic mug", quantity: 1, unit_amount: 1800 }],
        success_url: `${shop.url}/orders/{CHECKOUT_SESSION_ID}`,
        cancel_url: `${shop.url}/`,
        ...body,
      },
    });
    assert.equal(res.status, 200, res.text);
    return res.body;
  };

  const openPage = async (options: typeof PHONE | typeof DESKTOP, locale = "en-US") => {
    const context = await browser.newContext({ ...options, locale });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "warning") errors.push(`warning: ${message.text()}`);
      // Offline here: Chrome cannot fetch Google Pay's payment method manifest when the page asks for it.
      if (message.type() === "error" && !message.text().includes("payment manifest"))
        errors.push(`${message.text()} ${message.location().url}`);
    });
    return { page, errors, close: () => context.close() };
  };

  const fillCard = async (page: Page | ReturnType<Page["frameLocator"]>, number: string) => {
    await page.locator('input[autocomplete="cc-number"]').fill(number);
    await page.locator('input[autocomplete="cc-exp"]').fill("12 / 34");
    await page.locator('input[autocomplete="cc-csc"]').fill("123");
  };

  test("phone, English, slow network: the demo shop's hosted checkout, paid by card, back to a paid order", async () => {
    const { page, errors, close } = await openPage(PHONE);
    await throttle3g(page);
    await page.goto(shop.url);
    await screenshot(page, "phone-en-1-shop");
    await page.getByRole("button", { name: "Buy — hosted checkout" }).first().click();
    await page.waitForURL(/\/pay\/cs_/);
    await page.locator('input[autocomplete="cc-number"]').waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    await screenshot(page, "phone-en-2-checkout");
    await fillCard(page, "4242 4242 4242 4242");
    assert.equal(await page.locator('input[autocomplete="cc-number"]').inputValue(), "4242 4242 4242 4242");
    await screenshot(page, "phone-en-3-card-filled");
    await page.getByRole("button", { name: /^Pay / }).click();
    await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 });
    await page.getByText("Paid — thank you").waitFor();
    await screenshot(page, "phone-en-4-order-paid");
    assert.deepEqual(errors, []);
    await close();
  });

  for (const [device, viewport] of [
    ["phone", PHONE],
    ["desktop", DESKTOP],
  ] as const) {
    for (const locale of ["en", "zh-CN", "ar"]) {
      test(`${device}, ${locale}: pay by card; the page speaks the language and its direction`, async () => {
        const session = await newSession({});
        const { page, errors, close } = await openPage(viewport, locale);
        await page.goto(session.url);
        assert.equal(await page.locator("html").getAttribute("lang"), locale);
        assert.equal(await page.locator("html").getAttribute("dir"), locale === "ar" ? "rtl" : "ltr");
        await fillCard(page, "4242424242424242");
        await screenshot(page, `${device}-${locale}-card`);
        await page.locator("button.pr-pay").click();
        await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 });
        assert.deepEqual(errors, []);
        await close();
      });
    }
  }

  test("320 px wide: nothing overflows sideways, touch targets stay at least 44 px tall", async () => {
    const session = await newSession({ shopper_country: "NL", display_currencies: ["usd"] });
    const { page, close } = await openPage({ ...PHONE, viewport: { width: 320, height: 640 } }, "de");
    await page.goto(session.url);
    await page.locator('input[name="method"][value="card"]').check();
    await page.locator('input[autocomplete="cc-number"]').waitFor();
    const overflow = (await page.evaluate(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    )) as number;
    assert.equal(overflow, 0);
    const small = (await page.evaluate(
      "[...document.querySelectorAll('button, select, input:not([type=radio]):not([type=checkbox]), .pr-method')].filter(e => e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))",
    )) as string[];
    assert.deepEqual(small, []);
    await screenshot(page, "phone-320-de");
    await close();
  });

  test("a reload while the bank is answering: the page resumes the same payment and never charges twice", async () => {
    const session = await newSession({});
    const { page, errors, close } = await openPage(PHONE);
    await page.goto(session.url);
    await fillCard(page, "4242424242424242");
    // The confirm reaches Payrail (which charges), but its answer is lost: the connection drops.
    let arrived: () => void = () => {};
    const reached = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    await page.route("**/confirm", async (route) => {
      await route.fetch();
      arrived();
    });
    await page.locator("button.pr-pay").click();
    await reached;
    await page.unrouteAll({ behavior: "ignoreErrors" });
    await page.reload();
    // Back on the page, it shows the payment's real status (paid) and goes on to the shop.
    await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 });
    assert.equal(await attemptsOf(session.payment_intent), 1);
    assert.deepEqual(errors, []);
    await close();
  });

  test("the shopper switches language on the page: text and direction follow", async () => {
    const session = await newSession({});
    const { page, close } = await openPage(PHONE, "en");
    await page.goto(session.url);
    await page.locator('input[autocomplete="cc-number"]').waitFor();
    await page.locator(".pr-language select").selectOption("ar");
    await eventually(
      async () => ((await page.locator("html").getAttribute("dir")) === "rtl" ? true : undefined),
      5_000,
      "right to left",
    );
    assert.equal(await page.locator("html").getAttribute("lang"), "ar");
    assert.doesNotMatch((await page.locator("button.pr-pay").textContent()) ?? "", /Pay/);
    await screenshot(page, "phone-switched-to-ar");
    await close();
  });

  test("desktop, Simplified Chinese: a declined card shows the specific remedy; a double click charges once", async () => {
    const session = await newSession({ locale: "zh-CN" });
    const { page, close } = await openPage(DESKTOP, "zh-CN");
    await page.goto(session.url);
    assert.equal(await page.locator("html").getAttribute("lang"), "zh-CN");
    await fillCard(page, "4000 0000 0000 0069");
    await page.locator("button.pr-pay").click();
    const alert = page.locator(".pr-error");
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? "", /过期/);
    await screenshot(page, "desktop-zh-CN-declined");
    // Another card, and an impatient double click: one attempt more, not two.
    await page.locator('input[autocomplete="cc-number"]').fill("4242424242424242");
    await page.locator("button.pr-pay").dblclick();
    await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 });
    assert.equal(await attemptsOf(session.payment_intent), 2);
    await close();
  });

  test("desktop, Arabic (right to left): Alipay QR code; a reload resumes the same payment; paying finishes it", async () => {
    const session = await newSession({ currency: "cny", line_items: undefined, amount: 8800, locale: "ar" });
    const { page, errors, close } = await openPage(DESKTOP, "ar");
    await page.goto(session.url);
    assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
    await page.locator('input[name="method"][value="alipay"]').check();
    await screenshot(page, "desktop-ar-1-methods");
    await page.locator("button.pr-pay").click();
    const qr = page.locator(".pr-qr img");
    await qr.waitFor();
    await screenshot(page, "desktop-ar-2-qr");
    await page.reload();
    await qr.waitFor();
    assert.equal(await attemptsOf(session.payment_intent), 1, "the reload shows the same QR, no new attempt");
    const intent = await server.request("GET", `/v1/payment_intents/${session.payment_intent}`);
    const cashier = (intent.body.next_action.display_qr_code.data as string).replace("/qr/", "/cashier/");
    await (await fetch(cashier)).text();
    await fetch(cashier, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "action=pay",
      redirect: "manual",
    });
    await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 });
    await screenshot(page, "desktop-ar-3-paid");
    assert.deepEqual(errors, []);
    await close();
  });

  test("a bank that does not answer in time: the page says so honestly, then shows the real outcome", async () => {
    const session = await newSession({});
    const { page, errors, close } = await openPage(PHONE);
    await page.goto(session.url);
    await fillCard(page, "4000000000000408");
    await page.locator("button.pr-pay").click();
    const progress = page.locator(".pr-progress");
    await progress.waitFor({ timeout: 20_000 });
    assert.match((await progress.textContent()) ?? "", /Confirming with your bank…/);
    assert.match((await progress.textContent()) ?? "", /you will not be charged twice/);
    await screenshot(page, "phone-en-timeout-confirming");
    await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 });
    assert.equal(await attemptsOf(session.payment_intent), 1);
    assert.deepEqual(errors, []);
    await close();
  });

  test("3-D Secure: the bank's challenge opens in a frame on the page, and the page finishes the payment", async () => {
    const session = await newSession({});
    const { page, errors, close } = await openPage(PHONE);
    await page.goto(session.url);
    await fillCard(page, "4000002760003184");
    await page.locator("button.pr-pay").click();
    const challenge = page.frameLocator(".pr-threeds iframe");
    const approve = challenge.locator('button[value="approve"], button[name="result"][value="approve"]');
    await approve.waitFor({ timeout: 20_000 });
    await screenshot(page, "phone-en-3ds-1-challenge");
    assert.match(page.url(), /\/pay\/cs_/, "the challenge is in a frame, the page stays");
    await approve.click();
    await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 });
    await page.getByText("Paid — thank you").waitFor();
    assert.deepEqual(errors, []);
    await close();
  });

  test("phone, Dutch, in the Netherlands: iDEAL first; the redirect to the bank comes back to a paid order", async () => {
    const session = await newSession({ shopper_country: "NL" });
    const { page, errors, close } = await openPage(PHONE, "nl-NL");
    const visited: string[] = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
    await page.goto(session.url);
    assert.equal(await page.locator("html").getAttribute("lang"), "nl");
    const first = page.locator('input[name="method"]').first();
    assert.equal(await first.getAttribute("value"), "ideal", "local method first where the shopper is");
    await first.check();
    await screenshot(page, "phone-nl-1-ideal");
    await page.locator("button.pr-pay").click();
    await page.waitForURL(/\/checkout\/select-issuer\/ideal\//, { timeout: 20_000 });
    await screenshot(page, "phone-nl-2-bank");
    await page.locator('button[name="status"][value="paid"]').click();
    await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 }).catch(async (error) => {
      await screenshot(page, "phone-nl-failed");
      throw new Error(`${error.message} at ${page.url()} after ${visited.join(" -> ")} ${errors.join("; ")}`);
    });
    await page.getByText("Paid — thank you").waitFor();
    assert.deepEqual(errors, []);
    await close();
  });

  test("desktop, Simplified Chinese, in China: WeChat Pay's QR code, scanned and approved on the phone", async () => {
    const session = await newSession({
      currency: "cny",
      line_items: undefined,
      amount: 6600,
      shopper_country: "CN",
    });
    const { page, errors, close } = await openPage(DESKTOP, "zh-CN");
    await page.goto(session.url);
    const methods = await page
      .locator('input[name="method"]')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    assert.deepEqual(methods.slice(0, 2), ["alipay", "wechat_pay"], "Alipay and WeChat Pay first in China");
    await page.locator('input[name="method"][value="wechat_pay"]').check();
    await page.locator("button.pr-pay").click();
    await page.locator(".pr-qr img").waitFor();
    await screenshot(page, "desktop-zh-CN-wechat-qr");
    const intent = await server.request("GET", `/v1/payment_intents/${session.payment_intent}`);
    const wechat = server.payrail.localSimulators.wechatPay?.url as string;
    const scan = `${wechat}/simulator/scan?code_url=${encodeURIComponent(intent.body.next_action.display_qr_code.data)}`;
    // The shopper's phone: opens the scanned code and approves on WeChat's page.
    const phone = await browser.newContext(PHONE);
    const phonePage = await phone.newPage();
    await phonePage.goto(scan);
    await phonePage.locator('button[value="approve"], button[name="action"][value="approve"]').click();
    await phone.close();
    await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 });
    assert.deepEqual(errors, []);
    await close();
  });

  test("Google Pay through the browser's Payment Request API; Apple Pay stays hidden where Safari is not", async () => {
    const config = (await server.request("GET", "/v1/wallets")).body.google_pay;
    const issuer = server.payrail.googlePayIssuer;
    assert.ok(issuer && config.configured);
    const token = issuer.issueToken({
      recipientId: config.recipient_id,
      merchantPublicKeyUncompressedBase64: config.public_keys[0],
      payload: {
        pan: "4242424242424242",
        expMonth: 12,
        expYear: 2034,
        authMethod: "CRYPTOGRAM_3DS",
        cryptogram: "AgAAAAAABk4DWZ4C28yUQAAAAAA=",
        eci: "05",
      },
    } as never);
    const session = await newSession({});
    const { page, errors, close } = await openPage(DESKTOP);
    let request: any;
    page.on("console", (message) => {
      if (message.text().startsWith("google-pay-request ")) request = JSON.parse(message.text().slice(19));
    });
    // The browser's Google Pay sheet, played by the test: it answers with a token Google's test issuer signed
    // for this merchant's key, and keeps the request the page made.
    // A string, not a function: the test's compiled functions carry helpers the page does not have.
    await page.addInitScript(`
      window.PaymentRequest = class {
        constructor(methods, details) { console.info("google-pay-request " + JSON.stringify({ methods, details })); }
        canMakePayment() { return Promise.resolve(true); }
        show() {
          return Promise.resolve({
            details: { paymentMethodData: { tokenizationData: { type: "DIRECT", token: ${JSON.stringify(token)} } } },
            complete: (result) => { window.__googlePayResult = result; return Promise.resolve(); },
          });
        }
      };`);
    await page.goto(session.url);
    const googlePay = page.locator('input[name="method"][value="google_pay"]');
    await googlePay.waitFor();
    assert.equal(await page.locator('input[name="method"][value="apple_pay"]').count(), 0);
    await googlePay.check();
    await page.locator("button.pr-pay").click();
    await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 }).catch(async (error) => {
      const shown = await page
        .locator(".pr-error")
        .textContent()
        .catch(() => null);
      const state = await page.evaluate(
        "JSON.stringify({ r: window.__googlePayResult, q: !!window.__googlePayRequest, body: document.body.innerText.slice(0, 400) })",
      );
      throw new Error(`${error.message}: ${shown} ${errors.join("; ")} ${state}`);
    });
    const intent = await server.request("GET", `/v1/payment_intents/${session.payment_intent}`);
    assert.equal(intent.body.status, "succeeded");
    assert.equal(intent.body.payment_method_details.card.wallet.type, "google_pay");
    assert.equal(request.methods[0].supportedMethods, "https://google.com/pay");
    const spec = request.methods[0].data.allowedPaymentMethods[0].tokenizationSpecification;
    assert.deepEqual(spec.parameters, { protocolVersion: "ECv2", publicKey: config.public_keys[0] });
    assert.equal(request.details.total.amount.value, "18.00");
    assert.deepEqual(errors, []);
    await close();
  });

  test("Apple Pay where the browser has it: merchant validation through Payrail, then the token pays", async () => {
    const wallets = (await server.request("GET", "/v1/wallets")).body;
    const authority = server.payrail.applePayAuthority;
    const validationUrl = server.payrail.applePaySimulator?.paymentSessionUrl;
    assert.ok(authority && validationUrl && wallets.apple_pay.configured);
    const { createHash } = await import("node:crypto");
    const paymentData = await authority.issueToken({
      merchantPublicKeyPem: wallets.apple_pay.processing_public_key,
      merchantIdHex: createHash("sha256")
        .update(wallets.apple_pay.merchant_identifier)
        .digest("hex")
        .toUpperCase(),
      payload: {
        pan: "5555555555554444",
        expiry: "341231",
        cryptogram: Buffer.from("payrail-test-cryptogram-0002").toString("base64"),
        eci: "05",
        amount: 1800,
        currencyCode: "978",
      },
    } as never);
    const session = await newSession({});
    const { page, errors, close } = await openPage(PHONE);
    const log: string[] = [];
    page.on("console", (message) => {
      if (message.text().startsWith("apple-pay ")) log.push(message.text().slice(10));
    });
    // Safari's Apple Pay JS, played by the test: the sheet validates the merchant, then authorizes.
    await page.addInitScript(`
      window.ApplePaySession = class {
        static canMakePayments() { return true; }
        constructor(version, request) { console.info("apple-pay request " + JSON.stringify(request.total)); }
        begin() { setTimeout(() => this.onvalidatemerchant({ validationURL: ${JSON.stringify(validationUrl)} }), 0); }
        completeMerchantValidation(merchantSession) {
          console.info("apple-pay validated " + Boolean(merchantSession && merchantSession.merchantSessionIdentifier));
          setTimeout(() => this.onpaymentauthorized({ payment: { token: { paymentData: ${JSON.stringify(paymentData)} } } }), 0);
        }
        completePayment(status) { console.info("apple-pay complete " + status); }
        abort() { console.info("apple-pay aborted"); }
      };
      window.ApplePaySession.STATUS_SUCCESS = 0;
      window.ApplePaySession.STATUS_FAILURE = 1;`);
    await page.goto(session.url);
    const applePay = page.locator('input[name="method"][value="apple_pay"]');
    await applePay.waitFor();
    assert.equal(
      await page.locator('input[name="method"]').first().getAttribute("value"),
      "apple_pay",
      "a wallet first when the browser has it",
    );
    await applePay.check();
    await page.locator("button.pr-pay").click();
    await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 }).catch(async (error) => {
      const shown = await page
        .locator(".pr-error")
        .textContent()
        .catch(() => null);
      throw new Error(`${error.message}: ${shown} | ${log.join(" | ")} | ${errors.join("; ")}`);
    });
    assert.deepEqual(log.slice(1), ["validated true", "complete 0"]);
    assert.match(log[0] ?? "", /"amount":"18\.00"/);
    const intent = await server.request("GET", `/v1/payment_intents/${session.payment_intent}`);
    assert.equal(intent.body.status, "succeeded");
    assert.equal(intent.body.payment_method_details.card.wallet.type, "apple_pay");
    assert.deepEqual(errors, []);
    await close();
  });

  test("the embedded form (Payrail.js) in the demo shop pays and lands on a paid order", async () => {
    const { page, errors, close } = await openPage(DESKTOP);
    await page.goto(`${shop.url}/embedded?item=mug`);
    const frame = page.frameLocator("iframe");
    await frame.locator('input[autocomplete="cc-number"]').waitFor({ timeout: 20_000 });
    await fillCard(frame, "4242424242424242");
    await screenshot(page, "desktop-embedded-1-filled");
    await frame.locator("button.pr-pay").click();
    await page.waitForURL(/\/orders\/pi_/, { timeout: 30_000 });
    await page.getByText("Paid — thank you").waitFor();
    await screenshot(page, "desktop-embedded-2-paid");
    assert.deepEqual(errors, []);
    await close();
  });

  test("Payrail.js on a merchant's page: events, theme and language reach the frame; origins are checked", async () => {
    const intent = (
      await server.request("POST", "/v1/payment_intents", { body: { amount: 2450, currency: "eur" } })
    ).body;
    const merchantPage = `<!doctype html><html><body><h1>Merchant</h1><div id="pay"></div>
<script type="module">
  import { Payrail } from "${server.url}/sdk/v1/payrail.mjs";
  window.events = [];
  const element = Payrail(${JSON.stringify(server.merchant.publishable_key)}).mount("#pay", {
    clientSecret: ${JSON.stringify(intent.client_secret)},
    locale: "fr",
    theme: { colorPrimary: "#aa0000", borderRadius: "2px" },
  });
  for (const type of ["ready", "change", "submit", "success", "error"])
    element.on(type, (payload) => window.events.push(type));
</script></body></html>`;
    const { createServer } = await import("node:http");
    const merchant = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(merchantPage);
    });
    await new Promise<void>((resolve) => merchant.listen(0, "127.0.0.1", resolve));
    const origin = `http://127.0.0.1:${(merchant.address() as { port: number }).port}`;
    const settings = (await server.request("GET", "/v1/checkout/settings")).body.embed_origins;
    await server.request("POST", "/v1/checkout/settings", { body: { embed_origins: [...settings, origin] } });
    const { page, errors, close } = await openPage(DESKTOP);
    await page.goto(origin);
    const frame = page.frameLocator("iframe");
    const pay = frame.locator("button.pr-pay");
    await pay.waitFor({ timeout: 20_000 });
    assert.equal(await frame.locator("html").getAttribute("lang"), "fr");
    await eventually(
      async () =>
        (await pay.evaluate((b) => getComputedStyle(b).backgroundColor)) === "rgb(170, 0, 0)"
          ? true
          : undefined,
      5_000,
      "the theme's primary color",
    );
    await fillCard(frame, "4242424242424242");
    await pay.click();
    await eventually(
      async () => ((await page.evaluate("window.events")) as string[]).includes("success") || undefined,
      20_000,
      "success event",
    );
    const events = (await page.evaluate("window.events")) as string[];
    for (const type of ["ready", "change", "submit", "success"])
      assert.ok(events.includes(type), `${type}: ${events}`);
    assert.ok(
      events.indexOf("ready") < events.indexOf("submit") &&
        events.indexOf("submit") < events.indexOf("success"),
    );
    assert.equal((await server.request("GET", `/v1/payment_intents/${intent.id}`)).body.status, "succeeded");
    assert.deepEqual(errors, []);
    await close();
    await new Promise((resolve) => merchant.close(resolve));
  });

  test("phone, Japanese: the shopper shows the total in yen at a locked rate; the charge stays in euros", async () => {
    const session = await newSession({ display_currencies: ["jpy", "usd"], locale: "ja" });
    const { page, errors, close } = await openPage(PHONE, "ja-JP");
    await page.goto(session.url);
    await page.locator(".pr-fx select").selectOption("jpy");
    const quote = page.getByTestId("fx-quote");
    await quote.waitFor();
    const text = (await quote.textContent()) ?? "";
    assert.match(text, /[￥¥][\d,]+(?![.\d])/, text);
    assert.match(text, /€18\.00/, text);
    await screenshot(page, "phone-ja-display-currency");
    assert.deepEqual(errors, []);
    await close();
  });

  test("one-click repurchase: a passkey offered after paying, then a saved card confirmed with it (virtual authenticator)", async () => {
    const customer = await server.request("POST", "/v1/customers", {
      body: { email: "mei@example.com", name: "Mei" },
    });
    // WebAuthn refuses IP addresses as a relying party: the page is opened on localhost.
    const onLocalhost = (url: string) => url.replace("//127.0.0.1:", "//localhost:");
    const first = await newSession({ customer: customer.body.id });
    const { page, errors, close } = await openPage(PHONE);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.goto(onLocalhost(first.url));
    await fillCard(page, "4242424242424242");
    await page.locator('input[type="checkbox"]').check();
    await page.locator("button.pr-pay").click();
    await page.locator(".pr-passkey").waitFor();
    await screenshot(page, "phone-en-passkey-1-offer");
    await page.locator(".pr-passkey button").first().click();
    await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 });
    const passkeys = await server.payrail.ctx.db
      .selectFrom("passkeys")
      .select("id")
      .where("customer_id", "=", customer.body.id)
      .execute();
    assert.equal(passkeys.length, 1);

    const second = await newSession({ customer: customer.body.id });
    await page.goto(onLocalhost(second.url));
    const payWithPasskey = page.locator("button.pr-pay");
    await payWithPasskey.waitFor();
    assert.match((await payWithPasskey.textContent()) ?? "", /passkey/i);
    assert.equal(await page.locator("#pr-saved-cvc").count(), 0, "no CVC asked when a passkey confirms");
    await screenshot(page, "phone-en-passkey-2-one-click");
    await payWithPasskey.click();
    await page.waitForURL(/\/orders\/cs_/, { timeout: 30_000 });
    const paid = await server.request("GET", `/v1/payment_intents/${second.payment_intent}`);
    assert.equal(paid.body.status, "succeeded");
    assert.match(paid.body.payment_method, /^pm_/);
    assert.deepEqual(errors, []);
    await close();
  });

  test("accessibility: no serious or critical axe violations, every field labelled (phone, en and ar)", async () => {
    for (const locale of ["en", "ar"]) {
      const session = await newSession({ locale });
      const { page, close } = await openPage(PHONE, locale);
      await page.goto(session.url);
      await page.locator('input[autocomplete="cc-number"]').waitFor();
      const violations = await accessibilityViolations(page);
      assert.deepEqual(violations, [], `${locale}: ${JSON.stringify(violations)}`);
      const unlabelled = await page.evaluate(
        "[...document.querySelectorAll('input, select')].filter(e => e.labels === null || e.labels.length === 0).map(e => e.outerHTML)",
      );
      assert.deepEqual(unlabelled, []);
      // Focus order follows the form: language, methods, card number, expiry, security code, pay.
      const order: string[] = [];
      await page.locator("select").focus();
      for (let i = 0; i < 8; i++) {
        order.push(
          (await page.evaluate(
            "(() => { const e = document.activeElement; return e.getAttribute('autocomplete') || e.className || e.tagName; })()",
          )) as string,
        );
        await page.keyboard.press("Tab");
      }
      const position = (what: string) => order.findIndex((entry) => entry.includes(what));
      assert.ok(position("cc-number") > 0, order.join(" > "));
      assert.ok(position("cc-number") < position("cc-exp"), order.join(" > "));
      assert.ok(position("cc-exp") < position("cc-csc"), order.join(" > "));
      assert.ok(position("cc-csc") < position("pr-pay"), order.join(" > "));
      await close();
    }
  });

  test("first paint on the throttled phone profile comes before the script (server-rendered summary)", async () => {
    const session = await newSession({});
    const { page, close } = await openPage(PHONE);
    await throttle3g(page);
    await page.goto(session.url);
    const fcp = await eventually(
      async () => {
        const value = (await page.evaluate(
          "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null",
        )) as number | null;
        return value ?? undefined;
      },
      10_000,
      "first contentful paint",
    );
    assert.ok(fcp > 0);
    await close();
  });
});
