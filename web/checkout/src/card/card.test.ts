import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  BRAND_NAMES,
  BRANDS,
  CARD_BRANDS,
  type CardBrand,
  cardNumberState,
  cvcState,
  detectBrand,
  digitsOnly,
  expiryState,
  formatCardNumber,
  formatExpiryInput,
  luhnValid,
  numberReadyToAdvance,
  parseExpiry,
} from "./index.ts";

/** Appends the Luhn check digit to a prefix padded with zeros to `length - 1` digits. */
function luhnNumber(prefix: string, length: number): string {
  const body = prefix.padEnd(length - 1, "0");
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error("unreachable");
}

describe("detectBrand", () => {
  const table: Array<[string, CardBrand | null]> = [
    // Visa
    ["4", "visa"],
    ["4111", "visa"],
    // Mastercard 51–55 and 2221–2720, with the boundaries
    ["51", "mastercard"],
    ["55", "mastercard"],
    ["5", null],
    ["2220", null],
    ["2221", "mastercard"],
    ["2720", "mastercard"],
    ["2721", null],
    ["22", null],
    ["222", null],
    ["223", "mastercard"],
    ["23", "mastercard"],
    ["26", "mastercard"],
    ["27", null],
    ["271", "mastercard"],
    ["272", null],
    // Amex
    ["34", "amex"],
    ["37", "amex"],
    ["3", null],
    ["35", null],
    // Discover 6011, 644–649, 65
    ["6011", "discover"],
    ["6012", null],
    ["601", null],
    ["643", null],
    ["644", "discover"],
    ["649", "discover"],
    ["65", "discover"],
    ["6", null],
    // JCB 3528–3589
    ["3527", null],
    ["3528", "jcb"],
    ["353", "jcb"],
    ["3589", "jcb"],
    ["3590", null],
    // UnionPay 62, including the co-branded Discover range 622126–622925
    ["62", "unionpay"],
    ["622126", "unionpay"],
    ["622925", "unionpay"],
    ["6200", "unionpay"],
    // Diners 36, 300–305, 38–39
    ["36", "diners"],
    ["300", "diners"],
    ["305", "diners"],
    ["306", null],
    ["30", null],
    ["38", "diners"],
    ["39", "diners"],
    // Maestro 50, 56–58, 6304, 6759, 676770, 676774
    ["50", "maestro"],
    ["56", "maestro"],
    ["58", "maestro"],
    ["59", null],
    ["6304", "maestro"],
    ["6303", null],
    ["6759", "maestro"],
    ["676770", "maestro"],
    ["676774", "maestro"],
    ["676771", null],
    ["67677", null],
    // Not cards we know
    ["", null],
    ["1", null],
    ["2200", null],
    ["9", null],
    ["4a", null],
  ];
  for (const [digits, brand] of table) {
    it(`${JSON.stringify(digits)} → ${brand}`, () => assert.equal(detectBrand(digits), brand));
  }

  it("uses only the leading digits", () => {
    assert.equal(detectBrand("2221000000000000"), "mastercard");
    assert.equal(detectBrand("2720999999999999"), "mastercard");
    assert.equal(detectBrand("2721000000000000"), null);
  });

  it("has a display name, lengths and CVC length per brand", () => {
    for (const brand of CARD_BRANDS) {
      assert.ok(BRAND_NAMES[brand]);
      assert.ok(BRANDS[brand].lengths.includes(BRANDS[brand].commonLength), brand);
    }
    assert.equal(BRAND_NAMES.amex, "American Express");
    assert.equal(BRANDS.amex.cvcLength, 4);
    assert.equal(BRANDS.visa.cvcLength, 3);
    assert.deepEqual(BRANDS.visa.lengths, [13, 16, 19]);
    assert.deepEqual(BRANDS.maestro.lengths, [12, 13, 14, 15, 16, 17, 18, 19]);
  });
});

describe("Stripe's test numbers", () => {
  const numbers: Array<[string, CardBrand]> = [
    ["4242424242424242", "visa"],
    ["5555555555554444", "mastercard"],
    ["2223003122003222", "mastercard"],
    ["378282246310005", "amex"],
    ["6011111111111117", "discover"],
    ["3056930009020004", "diners"],
    ["36227206271667", "diners"],
    ["3566002020360505", "jcb"],
    ["6200000000000005", "unionpay"],
  ];
  for (const [number, brand] of numbers) {
    it(`${number} is a valid ${brand}`, () => {
      assert.equal(detectBrand(number), brand);
      assert.ok(luhnValid(number));
      const state = cardNumberState(number, { final: true });
      assert.deepEqual(state, { digits: number, brand, complete: true, valid: true, error: null });
      assert.ok(numberReadyToAdvance(state));
    });
  }
});

describe("formatCardNumber", () => {
  const table: Array<[string, string]> = [
    ["", ""],
    ["4", "4"],
    ["4242", "4242"],
    ["42424", "4242 4"],
    ["4242424242424242", "4242 4242 4242 4242"],
    ["4242-4242 4242.4242", "4242 4242 4242 4242"],
    ["4242424242424242123", "4242 4242 4242 4242 123"],
    ["42424242424242421234", "4242 4242 4242 4242 123"],
    ["378282246310005", "3782 822463 10005"],
    ["3782822463100059", "3782 822463 10005"],
    ["37828", "3782 8"],
    ["36227206271667", "3622 720627 1667"],
    ["3056930009020004", "3056 9300 0902 0004"],
    ["5555555555554444", "5555 5555 5555 4444"],
    ["55555555555544449", "5555 5555 5555 4444"],
    ["99999999999999999999", "9999 9999 9999 9999 999"],
    ["abc", ""],
  ];
  for (const [input, output] of table) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(output)}`, () =>
      assert.equal(formatCardNumber(input), output));
  }

  it("is idempotent and keeps a prefix of the digits", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9 -]{0,30}$/)), (x) => {
        const once = formatCardNumber(x);
        assert.equal(formatCardNumber(once), once);
        assert.ok(digitsOnly(x).startsWith(digitsOnly(once)));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("luhnValid", () => {
  it("rejects a changed digit, empty input and non-digits", () => {
    assert.equal(luhnValid("4242424242424241"), false);
    assert.equal(luhnValid("4242424242424243"), false);
    assert.equal(luhnValid("4242424242424224"), false); // an adjacent swap
    assert.equal(luhnValid("378282246310006"), false);
    assert.equal(luhnValid(""), false);
    assert.equal(luhnValid("4242 4242 4242 4242"), false);
    assert.equal(luhnValid("0"), true);
  });
});

describe("cardNumberState", () => {
  it("reports nothing while typing a short number, and incomplete on blur", () => {
    assert.deepEqual(cardNumberState("4242 4242"), {
      digits: "42424242",
      brand: "visa",
      complete: false,
      valid: false,
      error: null,
    });
    assert.equal(cardNumberState("4242 4242", { final: true }).error, "incomplete_number");
    assert.equal(cardNumberState("", { final: false }).error, null);
    assert.equal(cardNumberState("", { final: true }).error, "incomplete_number");
  });

  it("reports a Luhn failure at the brand's common length while typing", () => {
    const state = cardNumberState("4242 4242 4242 4241");
    assert.equal(state.complete, true);
    assert.equal(state.valid, false);
    assert.equal(state.error, "invalid_number");
    assert.equal(cardNumberState("3782 822463 10006").error, "invalid_number");
  });

  it("waits while a longer card may be being typed", () => {
    // 13 digits are a Visa length, but most Visas have 16: no error until blur.
    const thirteen = "4242424242424";
    assert.equal(luhnValid(thirteen), false);
    assert.equal(cardNumberState(thirteen).error, null);
    assert.equal(cardNumberState(thirteen, { final: true }).error, "invalid_number");
    // 17 digits are no Visa length.
    assert.equal(cardNumberState("42424242424242421").error, null);
    assert.equal(cardNumberState("42424242424242421", { final: true }).error, "incomplete_number");
    const nineteen = luhnNumber("4", 19);
    assert.equal(cardNumberState(nineteen).valid, true);
  });

  it("moves on only at the common length", () => {
    const visa13 = luhnNumber("4", 13);
    const state = cardNumberState(visa13);
    assert.equal(state.valid, true);
    assert.equal(numberReadyToAdvance(state), false);
    assert.equal(numberReadyToAdvance(cardNumberState("4242424242424242")), true);
    assert.equal(numberReadyToAdvance(cardNumberState("4242424242424241")), false);
  });

  it("reports brands the merchant does not accept", () => {
    const accepted: CardBrand[] = ["visa", "mastercard"];
    assert.equal(cardNumberState("3782", { final: false }, accepted).error, null);
    assert.equal(cardNumberState("3782", { final: true }, accepted).error, "unsupported_brand");
    const amex = cardNumberState("378282246310005", { final: false }, accepted);
    assert.equal(amex.valid, false);
    assert.equal(amex.error, "unsupported_brand");
    assert.equal(cardNumberState("4242424242424242", { final: true }, accepted).valid, true);
  });

  it("reports an unknown brand on blur once the IIN is known", () => {
    assert.equal(cardNumberState("9999 9999 9999 9995").error, null);
    assert.equal(cardNumberState("9999 9999 9999 9995", { final: true }).error, "unsupported_brand");
    assert.equal(cardNumberState("99999", { final: true }).error, "incomplete_number");
    assert.equal(cardNumberState("3", { final: true }).error, "incomplete_number");
  });

  it("checks every issued length of every brand", () => {
    const prefixes: Record<CardBrand, string> = {
      visa: "4",
      mastercard: "51",
      amex: "34",
      discover: "6011",
      jcb: "3530",
      unionpay: "62",
      diners: "36",
      maestro: "6759",
    };
    for (const brand of CARD_BRANDS) {
      for (let length = 12; length <= 19; length++) {
        const number = luhnNumber(prefixes[brand], length);
        const issued = BRANDS[brand].lengths.includes(length);
        const state = cardNumberState(number, { final: true });
        assert.equal(state.brand, brand);
        assert.equal(state.valid, issued, `${brand} ${length}`);
        const tooLong = length > BRANDS[brand].lengths.at(-1)!;
        const error = issued ? null : tooLong ? "invalid_number" : "incomplete_number";
        assert.equal(state.error, error, `${brand} ${length}`);
      }
    }
  });
});

describe("formatExpiryInput", () => {
  const typing: Array<[string, string, string]> = [
    // [input, previous, output]
    ["", "", ""],
    ["1", "", "1"],
    ["0", "", "0"],
    ["01", "0", "01 / "],
    ["10", "1", "10 / "],
    ["12", "1", "12 / "],
    ["13", "1", "01 / 3"],
    ["19", "1", "01 / 9"],
    ["2", "", "02 / "],
    ["9", "", "09 / "],
    ["12 / 3", "12 / ", "12 / 3"],
    ["12 / 34", "12 / 3", "12 / 34"],
    ["12 / 345", "12 / 34", "12 / 34"],
    ["a", "", ""],
    // Paste and autofill
    ["12/34", "", "12 / 34"],
    ["1234", "", "12 / 34"],
    ["12/2034", "", "12 / 34"],
    ["1/2034", "", "01 / 34"],
    ["122034", "", "12 / 34"],
    ["4/34", "", "04 / 34"],
    // Deleting
    ["12 /", "12 / ", "1"],
    ["12 ", "12 / ", "1"],
    ["04 /", "04 / ", "0"],
    ["12 / ", "12 / 3", "12 / "],
    ["12 / 3", "12 / 34", "12 / 3"],
    ["1", "12", "1"],
    ["", "1", ""],
  ];
  for (const [input, previous, output] of typing) {
    it(`${JSON.stringify(previous)} → ${JSON.stringify(input)} gives ${JSON.stringify(output)}`, () =>
      assert.equal(formatExpiryInput(input, previous), output));
  }

  it("typed one digit at a time, reaches MM / YY", () => {
    let value = "";
    for (const key of "0829") value = formatExpiryInput(value + key, value);
    assert.equal(value, "08 / 29");
    value = "";
    for (const key of "829") value = formatExpiryInput(value + key, value);
    assert.equal(value, "08 / 29");
  });
});

describe("parseExpiry", () => {
  const table: Array<[string, { month: number; year: number } | null]> = [
    ["12/34", { month: 12, year: 2034 }],
    ["12 / 34", { month: 12, year: 2034 }],
    ["01/2030", { month: 1, year: 2030 }],
    ["1/30", { month: 1, year: 2030 }],
    [" 06 / 27 ", { month: 6, year: 2027 }],
    ["0627", { month: 6, year: 2027 }],
    ["00/30", null],
    ["13/30", null],
    ["12/3", null],
    ["12/345", null],
    ["12-30", null],
    ["", null],
  ];
  for (const [input, parsed] of table) {
    it(`${JSON.stringify(input)}`, () => assert.deepEqual(parseExpiry(input), parsed));
  }
});

describe("expiryState", () => {
  const now = new Date(2026, 4, 31, 23, 59); // 31 May 2026, local time

  it("accepts this month through its last day, and rejects last month", () => {
    assert.deepEqual(expiryState("05 / 26", now), { month: 5, year: 2026, error: null });
    assert.deepEqual(expiryState("04 / 26", now), { month: 4, year: 2026, error: "expired" });
    assert.deepEqual(expiryState("12 / 25", now), { month: 12, year: 2025, error: "expired" });
    assert.equal(expiryState("06/2026", now).error, null);
    assert.equal(expiryState("01 / 26", new Date(2026, 0, 1, 0, 0)).error, null);
    assert.equal(expiryState("12 / 25", new Date(2026, 0, 1, 0, 0)).error, "expired");
  });

  it("rejects dates more than 20 years ahead", () => {
    assert.equal(expiryState("05 / 46", now).error, null);
    assert.equal(expiryState("06 / 46", now).error, "invalid_expiry");
    assert.equal(expiryState("01 / 99", now).error, "invalid_expiry");
  });

  it("rejects impossible months once typed, and anything incomplete on blur", () => {
    assert.equal(expiryState("00 / 30", now).error, "invalid_expiry");
    assert.equal(expiryState("13/30", now).error, "invalid_expiry");
    assert.deepEqual(expiryState("12 / 3", now), { month: null, year: null, error: null });
    assert.equal(expiryState("12 / 3", now, { final: true }).error, "invalid_expiry");
    assert.equal(expiryState("", now).error, null);
    assert.equal(expiryState("", now, { final: true }).error, "invalid_expiry");
  });
});

describe("cvcState", () => {
  it("wants 3 digits, 4 for American Express, and either while the brand is unknown", () => {
    assert.deepEqual(cvcState("123", "visa"), { value: "123", complete: true, error: null });
    assert.deepEqual(cvcState("12", "visa"), { value: "12", complete: false, error: null });
    assert.equal(cvcState("12", "visa", { final: true }).error, "invalid_cvc");
    assert.equal(cvcState("1234", "visa").error, "invalid_cvc");
    assert.equal(cvcState("123", "amex").complete, false);
    assert.equal(cvcState("123", "amex", { final: true }).error, "invalid_cvc");
    assert.deepEqual(cvcState("1234", "amex", { final: true }), {
      value: "1234",
      complete: true,
      error: null,
    });
    assert.equal(cvcState("123", null, { final: true }).error, null);
    assert.equal(cvcState("1234", null, { final: true }).error, null);
    assert.equal(cvcState("12", null, { final: true }).error, "invalid_cvc");
    assert.equal(cvcState("", "mastercard", { final: true }).error, "invalid_cvc");
    assert.equal(cvcState("1 2 3", "jcb").value, "123");
    assert.equal(cvcState("12345", "amex").value, "1234");
  });
});
