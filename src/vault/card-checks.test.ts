import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { type CardToCheck, checkCard, luhnValid, normalizePan } from "./card-checks.ts";

const now = new Date("2026-03-15T10:00:00Z");

function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`;
  throw new Error("no check digit");
}

/** Reports a failing property by seed and path only: counterexamples would be card numbers. */
function holds<T>(property: fc.IProperty<T>, runs = 300) {
  const out = fc.check(property, { numRuns: runs });
  if (out.failed) assert.fail(`property failed (seed ${out.seed}, path ${out.counterexamplePath})`);
}

const digitsArb = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });

describe("luhnValid", () => {
  test("accepts documented test numbers and rejects their one-off neighbours", () => {
    for (const pan of ["4242424242424242", "378282246310005", "36227206271667", "6205500000000000004"]) {
      assert.ok(luhnValid(pan), "a documented test number failed");
    }
    assert.equal(luhnValid("4242424242424241"), false);
    assert.equal(luhnValid(""), false);
    assert.equal(luhnValid("4242 4242"), false);
  });

  test("the computed check digit always validates (property)", () => {
    holds(fc.property(digitsArb(1, 18), (body) => luhnValid(withCheckDigit(body))));
  });

  test("any single changed digit is detected (property)", () => {
    holds(
      fc.property(digitsArb(1, 18), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const pan = withCheckDigit(body);
        const i = at % pan.length;
        const changed = `${pan.slice(0, i)}${(Number(pan[i]) + delta) % 10}${pan.slice(i + 1)}`;
        return !luhnValid(changed);
      }),
    );
  });
});

describe("checkCard", () => {
  const card = (over: Partial<CardToCheck>): CardToCheck => ({
    number: "4242424242424242",
    exp_month: 12,
    exp_year: 2030,
    cvc: "123",
    ...over,
  });
  const unknownBrand12 = withCheckDigit("90000000000");
  const cases: [string, Partial<CardToCheck>, string[]][] = [
    ["a good Visa", {}, []],
    ["spaces", { number: "4242 4242 4242 4242" }, []],
    ["dashes", { number: "4242-4242-4242-4242" }, []],
    ["no CVC given", { cvc: undefined }, []],
    ["Luhn failure (as the payments API answers)", { number: "4242424242424241" }, ["incorrect_number"]],
    ["letters", { number: "4242abcd42424242" }, ["invalid_number"]],
    ["empty number", { number: "" }, ["invalid_number"]],
    ["Visa with 15 digits", { number: "424242424242424" }, ["invalid_number"]],
    ["Mastercard with 15 digits", { number: "555555555555444" }, ["invalid_number"]],
    ["20 digits", { number: "42424242424242424242" }, ["invalid_number"]],
    ["Amex with 4-digit CVC", { number: "378282246310005", cvc: "1234" }, []],
    ["Amex with 3-digit CVC", { number: "378282246310005", cvc: "123" }, ["invalid_cvc"]],
    ["Visa with 4-digit CVC", { cvc: "1234" }, ["invalid_cvc"]],
    ["CVC with a letter", { cvc: "12a" }, ["invalid_cvc"]],
    ["2-digit CVC", { cvc: "99" }, ["invalid_cvc"]],
    ["14-digit Diners", { number: "36227206271667" }, []],
    ["19-digit UnionPay", { number: "6205500000000000004" }, []],
    ["unknown brand, 12 digits", { number: unknownBrand12, cvc: "1234" }, []],
    ["unknown brand, 11 digits", { number: unknownBrand12.slice(0, 11) }, ["invalid_number"]],
    ["month 13", { exp_month: 13 }, ["invalid_expiry_month"]],
    ["month 0", { exp_month: 0 }, ["invalid_expiry_month"]],
    ["fractional month", { exp_month: 1.5 }, ["invalid_expiry_month"]],
    ["month text", { exp_month: "ab" }, ["invalid_expiry_month"]],
    ["last year", { exp_year: 2025 }, ["expired_card"]],
    ["last month", { exp_year: 2026, exp_month: 2 }, ["expired_card"]],
    ["this month is still valid", { exp_year: 2026, exp_month: 3 }, []],
    ["two-digit year and string month", { exp_year: "26", exp_month: "03" }, []],
    ["50 years ahead", { exp_year: 2076 }, []],
    ["51 years ahead", { exp_year: 2077 }, ["invalid_expiry_year"]],
    ["95 read as 2095", { exp_year: 95 }, ["invalid_expiry_year"]],
    ["1999", { exp_year: 1999 }, ["invalid_expiry_year"]],
    [
      "everything wrong",
      { number: "4242", exp_month: 14, exp_year: 1990, cvc: "1" },
      ["invalid_number", "invalid_expiry_month", "invalid_expiry_year", "invalid_cvc"],
    ],
  ];
  for (const [label, over, codes] of cases) {
    test(label, () => {
      assert.deepEqual(
        checkCard(card(over), now).map((p) => p.code),
        codes,
      );
    });
  }

  test("problems name their parameter; an expiry this year blames the month", () => {
    assert.deepEqual(
      checkCard(card({ exp_year: 2026, exp_month: 1 }), now).map((p) => p.param),
      ["exp_month"],
    );
    assert.deepEqual(
      checkCard(card({ number: "1", exp_year: 2020, cvc: "x" }), now).map((p) => p.param),
      ["number", "exp_year", "cvc"],
    );
  });

  test("messages never contain the number or the CVC", () => {
    for (const [, over] of cases) {
      const input = card(over);
      const digits = normalizePan(input.number);
      for (const problem of checkCard(input, now)) {
        assert.ok(problem.message.length > 20, "message too terse to act on");
        if (digits.length >= 4)
          assert.ok(!problem.message.includes(digits.slice(-4)), `${problem.code} leaks digits`);
        if (input.cvc && input.cvc.length >= 3) {
          assert.ok(!problem.message.includes(input.cvc), `${problem.code} leaks the CVC`);
        }
      }
    }
  });

  test("a length problem says what the brand expects", () => {
    const [problem] = checkCard(card({ number: "37828224631000" }), now);
    assert.match(problem?.message ?? "", /incomplete: American Express card numbers have 15 digits/);
    const [visa] = checkCard(card({ number: "42424242424242424242" }), now);
    assert.match(visa?.message ?? "", /too long: Visa card numbers have 13, 16 or 19 digits/);
  });
});
