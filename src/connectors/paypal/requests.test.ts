import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compileSpecValidators } from "../../../simulators/paypal/spec.ts";
import { toPayPalMoney } from "./amounts.ts";
import {
  cancelUrlOf,
  captureRequestBody,
  orderRequestBody,
  paypalLocale,
  refundRequestBody,
} from "./requests.ts";
import { paymentRequest, SPEC_DIR } from "./test-support.ts";

const spec = compileSpecValidators(SPEC_DIR);

describe("paypal request bodies", () => {
  test("cancel URL: our return URL with paypal_cancel=1, before any fragment", () => {
    assert.equal(
      cancelUrlOf("https://p.example/pay/return/pi_1"),
      "https://p.example/pay/return/pi_1?paypal_cancel=1",
    );
    assert.equal(cancelUrlOf("https://p.example/r?a=1"), "https://p.example/r?a=1&paypal_cancel=1");
    assert.equal(cancelUrlOf("https://p.example/r#top"), "https://p.example/r?paypal_cancel=1#top");
  });

  const locales: Array<[string | undefined, string | undefined]> = [
    ["en-US", "en-US"],
    ["en_us", "en-US"],
    ["DE", "de"],
    ["zh-hant-tw", "zh-Hant-TW"],
    ["es-419", "es-419"],
    ["english", undefined],
    ["", undefined],
    [undefined, undefined],
  ];
  for (const [given, expected] of locales) {
    test(`locale ${JSON.stringify(given)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(paypalLocale(given), expected);
    });
  }

  test("an order carries our reference three ways and the return and cancel URLs", () => {
    const request = paymentRequest({ capture: false, shopper: { locale: "fr_FR" } });
    const body = orderRequestBody(request, toPayPalMoney(request.amount, request.currency)!) as any;
    assert.equal(body.intent, "AUTHORIZE");
    assert.deepEqual(body.purchase_units[0].amount, { currency_code: "USD", value: "100.00" });
    assert.equal(body.purchase_units[0].custom_id, request.reference);
    assert.equal(body.purchase_units[0].invoice_id, request.reference);
    const context = body.payment_source.paypal.experience_context;
    assert.equal(context.return_url, request.returnUrl);
    assert.equal(context.cancel_url, `${request.returnUrl}?paypal_cancel=1`);
    assert.equal(context.locale, "fr-FR");
    assert.equal(context.user_action, "PAY_NOW");
    const capturing = orderRequestBody({ ...request, capture: true }, body.purchase_units[0].amount) as any;
    assert.equal(capturing.intent, "CAPTURE");
  });

  test("the description is cut at 127 characters, not inside a character", () => {
    const request = paymentRequest({ description: "😀".repeat(200) });
    const body = orderRequestBody(request, toPayPalMoney(request.amount, request.currency)!) as any;
    assert.equal(Array.from(body.purchase_units[0].description as string).length, 127);
  });

  test("every body passes PayPal's published OpenAPI schema", () => {
    const cases = [
      paymentRequest(),
      paymentRequest({ currency: "jpy", amount: 5000n, shopper: {} }),
      paymentRequest({ capture: false, description: "Ärger & «Ümlaute» 😀" }),
    ];
    for (const request of cases) {
      const body = orderRequestBody(request, toPayPalMoney(request.amount, request.currency)!);
      assert.equal(spec.request("orders.create", body), null, JSON.stringify(body));
    }
    const modify = {
      reference: "pa_123",
      connectorReference: "5O190127TN364715T",
      amount: 2550n,
      currency: "eur",
    };
    assert.equal(
      spec.request("authorizations.capture", captureRequestBody({ ...modify, final: true })),
      null,
    );
    assert.equal(
      spec.request("captures.refund", refundRequestBody({ ...modify, reference: "re_123" })),
      null,
    );
  });

  test("a capture names our capture reference; a refund our refund reference", () => {
    const modify = { reference: "pa_1", connectorReference: "ORDER", amount: 500n, currency: "usd" };
    assert.deepEqual(captureRequestBody({ ...modify, final: false }), {
      amount: { currency_code: "USD", value: "5.00" },
      final_capture: false,
      invoice_id: "pa_1",
    });
    assert.deepEqual(refundRequestBody({ ...modify, reference: "re_1" }), {
      amount: { currency_code: "USD", value: "5.00" },
      custom_id: "re_1",
    });
    assert.equal(refundRequestBody({ ...modify, currency: "huf", amount: 50n }), null);
  });
});
