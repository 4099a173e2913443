import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { dutchIban } from "./ideal.ts";
import { formatCents, parseEurValue, roundToCents } from "./money.ts";
import { amsterdamDateTime, amsterdamDay, startOfAmsterdamDay } from "./time.ts";

function ibanValid(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  const numeric = [...rearranged].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join("");
  return BigInt(numeric) % 97n === 1n;
}

test("EUR values round-trip through cents", () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: 0n, max: 99_999_999_99n }),
      (cents) => parseEurValue(formatCents(cents)) === cents,
    ),
  );
  for (const bad of ["10", "10.0", "10.000", "-1.00", " 1.00", "1,00", 1])
    assert.equal(parseEurValue(bad), null);
});

test("cents from ten-thousandths round half away from zero", () => {
  assert.equal(roundToCents(397540n), 3975n);
  assert.equal(roundToCents(397550n), 3976n);
  assert.equal(roundToCents(-397550n), -3976n);
});

test("IBANs carry valid check digits", () => {
  fc.assert(
    fc.property(
      fc.stringMatching(/^\d{10}$/),
      fc.constantFrom("INGB", "RABO", "ABNA", "TRIO"),
      (digits, bank) => ibanValid(dutchIban(bank, digits)),
    ),
  );
  assert.equal(dutchIban("ABNA", "0417164300"), "NL91ABNA0417164300");
});

test("the Amsterdam calendar, summer and winter time", () => {
  assert.equal(startOfAmsterdamDay("2024-04-04").toISOString(), "2024-04-03T22:00:00.000Z");
  assert.equal(startOfAmsterdamDay("2024-01-15").toISOString(), "2024-01-14T23:00:00.000Z");
  assert.equal(startOfAmsterdamDay("2024-03-31").toISOString(), "2024-03-30T23:00:00.000Z");
  assert.equal(startOfAmsterdamDay("2024-10-27").toISOString(), "2024-10-26T22:00:00.000Z");
  assert.equal(amsterdamDay(new Date("2024-04-03T22:30:00Z")), "2024-04-04");
  assert.equal(amsterdamDateTime(new Date("2024-01-15T12:05:09Z")), "2024-01-15 13:05:09");
});
