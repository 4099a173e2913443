import assert from "node:assert/strict";
import { test } from "node:test";
import currencyCodes from "currency-codes";
import { CHECKOUT_LOCALES } from "../../../../src/checkout/view-types.ts";
import { findCurrency } from "../../../../src/core/money.ts";
import {
  currencyExponent,
  format,
  formatAmount,
  LOCALE_NAMES,
  loadMessages,
  negotiateLocale,
  parseAcceptLanguage,
  textDirection,
} from "./index.ts";
import { en } from "./messages/en.ts";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** Intl puts no-break and narrow no-break spaces in amounts; compare them as plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

test("every locale has exactly the English keys, no empty text and the same placeholders", async () => {
  const keys = Object.keys(en).sort();
  for (const locale of CHECKOUT_LOCALES) {
    const messages = await loadMessages(locale);
    assert.deepEqual(Object.keys(messages).sort(), keys, locale);
    for (const key of keys) {
      const text = messages[key as keyof typeof en];
      assert.equal(typeof text, "string", `${locale} ${key}`);
      assert.ok(text.trim().length > 0, `${locale} ${key} is empty`);
      assert.equal(text, text.trim(), `${locale} ${key} has stray whitespace`);
      assert.deepEqual(placeholders(text), placeholders(en[key as keyof typeof en]), `${locale} ${key}`);
      // A placeholder typo ("{merchant" or "{ method }") would slip past the comparison above.
      assert.equal(text.replace(/\{\w+\}/g, "").match(/[{}]/), null, `${locale} ${key} has a stray brace`);
    }
  }
});

test("each non-English locale loads its own translations, not the English fallback", async () => {
  assert.equal(await loadMessages("en"), en);
  for (const locale of CHECKOUT_LOCALES.filter((l) => l !== "en")) {
    const messages = await loadMessages(locale);
    assert.notEqual(messages, en, locale);
    const untranslated = Object.keys(en).filter(
      (key) => messages[key as keyof typeof en] === en[key as keyof typeof en],
    );
    // Brand names (Apple Pay, PayPal, …) legitimately stay the same; sentences must not.
    assert.ok(untranslated.length <= 12, `${locale} leaves ${untranslated.join(", ")} in English`);
  }
});

test("an unknown locale falls back to English", async () => {
  assert.equal(await loadMessages("xx" as never), en);
  assert.equal(await loadMessages("__proto__" as never), en);
});

test("format fills placeholders and leaves unknown ones alone", () => {
  assert.equal(format("Pay {amount}", { amount: "$19.99" }), "Pay $19.99");
  assert.equal(format("{brand} ending in {last4}", { brand: "Visa", last4: 4242 }), "Visa ending in 4242");
  assert.equal(format("Qty {quantity}", {}), "Qty {quantity}");
  assert.equal(format("Qty {quantity}"), "Qty {quantity}");
  assert.equal(format("{a}{a}", { a: 1 }), "11");
  assert.equal(format("{toString}", {}), "{toString}");
  assert.equal(format("{a}", { a: "$& {b}", b: "x" }), "$& {b}");
});

test("formatAmount shows minor units in the currency's own precision", () => {
  assert.equal(formatAmount(1999, "USD", "en"), "$19.99");
  assert.equal(formatAmount(1999, "usd", "en"), "$19.99");
  assert.equal(formatAmount(5, "USD", "en"), "$0.05");
  assert.equal(formatAmount(-500, "USD", "en"), "-$5.00");
  assert.equal(formatAmount(1005, "USD", "en"), "$10.05");

  const yen = formatAmount(1500, "JPY", "ja");
  assert.match(yen, /^[¥￥]1,500$/);

  assert.equal(plain(formatAmount(1234, "KWD", "en")), "KWD 1.234");
  assert.equal(plain(formatAmount(1000, "KWD", "en")), "KWD 1.000");
  assert.equal(plain(formatAmount(1999, "EUR", "de")), "19,99 €");
  assert.equal(plain(formatAmount(123456, "EUR", "de")), "1.234,56 €");
  assert.equal(plain(formatAmount(1999, "EUR", "fr")), "19,99 €");
  assert.equal(plain(formatAmount(123456, "EUR", "fr")), "1 234,56 €");
});

test("formatAmount is exact for large amounts", () => {
  assert.equal(formatAmount(123456789012, "USD", "en"), "$1,234,567,890.12");
  assert.equal(plain(formatAmount(123456789012, "EUR", "fr")), "1 234 567 890,12 €");
  assert.equal(formatAmount(123456789012, "JPY", "en"), "¥123,456,789,012");
  assert.equal(formatAmount(Number.MAX_SAFE_INTEGER, "USD", "en"), "$90,071,992,547,409.91");
});

test("formatAmount follows ISO 4217 minor units where Intl's defaults differ", () => {
  // 150000 IDR in the API is Rp 1.500,00; an all-zero fraction is dropped as Indonesians expect.
  assert.equal(plain(formatAmount(15000000, "IDR", "id")), "Rp 150.000");
  assert.equal(plain(formatAmount(15000050, "IDR", "id")), "Rp 150.000,50");
  assert.equal(plain(formatAmount(1500, "IQD", "en")), "IQD 1.500");
});

test("formatAmount does not throw on a malformed currency or locale", () => {
  assert.equal(formatAmount(100, "US", "en"), "100 US");
  assert.equal(formatAmount(1999, "USD", "not a locale!"), "$19.99");
});

test("the browser's currency exponents agree with the API's (src/core/money.ts)", () => {
  for (const code of currencyCodes.codes()) {
    const api = findCurrency(code);
    if (!api) continue; // funds codes, metals, test currency
    assert.equal(currencyExponent(code), api.exponent, code);
  }
  assert.equal(currencyExponent("JPY"), 0);
  assert.equal(currencyExponent("USD"), 2);
  assert.equal(currencyExponent("KWD"), 3);
});

test("textDirection is right to left for Arabic only", () => {
  for (const locale of CHECKOUT_LOCALES) {
    assert.equal(textDirection(locale), locale === "ar" ? "rtl" : "ltr", locale);
  }
});

test("every locale has its own name", () => {
  assert.deepEqual(Object.keys(LOCALE_NAMES).sort(), [...CHECKOUT_LOCALES].sort());
  assert.equal(LOCALE_NAMES["zh-TW"], "繁體中文");
  assert.equal(LOCALE_NAMES.ar, "العربية");
});

test("negotiateLocale picks the first preference it can serve", () => {
  const cases: Array<[string[], string]> = [
    [[], "en"],
    [["en"], "en"],
    [["de"], "de"],
    [["DE"], "de"],
    [["zh-cn"], "zh-CN"],
    [["ZH-TW"], "zh-TW"],
    [["zh"], "zh-CN"],
    [["zh-Hans"], "zh-CN"],
    [["zh-SG"], "zh-CN"],
    [["zh-Hans-CN"], "zh-CN"],
    [["zh-Hant"], "zh-TW"],
    [["zh-HK"], "zh-TW"],
    [["zh-MO"], "zh-TW"],
    [["zh-Hant-HK"], "zh-TW"],
    [["zh-Hans-HK"], "zh-CN"],
    [["zh_TW"], "zh-TW"],
    [["de-AT"], "de"],
    [["de-CH-1996"], "de"],
    [["es-MX"], "es"],
    [["es-419"], "es"],
    [["ar-EG"], "ar"],
    [["en-GB"], "en"],
    [["ms-MY"], "ms"],
    [["id-ID"], "id"],
    [["in"], "id"],
    [["in-ID"], "id"],
    [["fr-CA"], "fr"],
    [["nl-BE"], "nl"],
    [["th-TH-u-nu-thai"], "th"],
    [["pt"], "en"],
    [["pt-BR", "es"], "es"],
    [["pt", "ja-JP", "ko"], "ja"],
    [["ko-KR", "ja"], "ko"],
    [["vi-VN", "en-US"], "vi"],
    [["*"], "en"],
    [["", "x-private", "fr"], "fr"],
  ];
  for (const [preferences, expected] of cases) {
    assert.equal(negotiateLocale(preferences), expected, JSON.stringify(preferences));
  }
});

test("parseAcceptLanguage orders by q, keeps header order for equal q and drops q=0 and *", () => {
  assert.deepEqual(parseAcceptLanguage(undefined), []);
  assert.deepEqual(parseAcceptLanguage(""), []);
  assert.deepEqual(parseAcceptLanguage("de-DE,de;q=0.9,en;q=0.8"), ["de-DE", "de", "en"]);
  assert.deepEqual(parseAcceptLanguage("en;q=0.5, fr;q=0.9, de"), ["de", "fr", "en"]);
  assert.deepEqual(parseAcceptLanguage("ja;q=0.7, ko;q=0.7, zh-TW;q=0.7"), ["ja", "ko", "zh-TW"]);
  assert.deepEqual(parseAcceptLanguage("fr, *;q=0.5, en;q=0, es;q=0.000"), ["fr"]);
  assert.deepEqual(parseAcceptLanguage("es ; q = 0.4 , nl ;Q=0.6"), ["nl", "es"]);
  assert.deepEqual(parseAcceptLanguage("en-US,en-us;q=0.9,EN-US;q=0.1"), ["en-US"]);
});

test("parseAcceptLanguage tolerates junk", () => {
  assert.deepEqual(parseAcceptLanguage(",,;;,=,q=1"), []);
  assert.deepEqual(parseAcceptLanguage("not a tag, fr;q=abc, <script>, de;q=, nl;q=2, en"), ["nl", "en"]);
  assert.deepEqual(parseAcceptLanguage("vi;foo=bar;q=0.3, th;level=1"), ["th", "vi"]);
  const many = Array.from({ length: 50 }, (_, i) => `a${String.fromCharCode(97 + (i % 26))}-x${i}`).join(",");
  assert.equal(parseAcceptLanguage(many).length, 20);
  assert.equal(negotiateLocale(parseAcceptLanguage("zh-HK,zh;q=0.9,en;q=0.8")), "zh-TW");
  assert.equal(negotiateLocale(parseAcceptLanguage("pt-BR,pt;q=0.9,es;q=0.5,en;q=0.3")), "es");
});
