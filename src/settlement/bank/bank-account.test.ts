import assert from "node:assert/strict";
import { test } from "node:test";
import { toSepaText, unsupportedSepaCharacters, validateBankAccount } from "./bank-account.ts";

const holder = "Erika Mustermann";

function failure(input: Parameters<typeof validateBankAccount>[0]) {
  const result = validateBankAccount(input);
  assert.equal(result.ok, false, "expected a validation failure");
  return result as Extract<typeof result, { ok: false }>;
}

test("valid German, Dutch and French IBANs, written with spaces and in lower case", () => {
  const cases = [
    { iban: "de89 3704 0044 0532 0130 00", bic: "cobadeffxxx", country: "DE", last4: "3000" },
    { iban: "NL91 ABNA 0417 1643 00", bic: "ABNANL2A", country: "NL", last4: "4300" },
    { iban: "fr14 2004 1010 0505 0001 3m02 606", bic: undefined, country: "FR", last4: "2606" },
  ];
  for (const c of cases) {
    const result = validateBankAccount({ iban: c.iban, bic: c.bic, account_holder_name: `  ${holder} ` });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.iban, c.iban.replace(/ /g, "").toUpperCase());
    assert.equal(result.value.bic, c.bic?.toUpperCase() ?? null);
    assert.equal(result.value.country, c.country);
    assert.equal(result.value.last4, c.last4);
    assert.equal(result.value.account_holder_name, holder);
  }
});

test("wrong check digits, wrong length and unknown country each get their own message", () => {
  const checksum = failure({ iban: "DE88 3704 0044 0532 0130 00", account_holder_name: holder });
  assert.equal(checksum.param, "bank_account[iban]");
  assert.equal(checksum.code, "iban_invalid_checksum");
  assert.match(checksum.message, /check digits/);

  const length = failure({ iban: "DE89 3704 0044 0532 0130 0", account_holder_name: holder });
  assert.equal(length.code, "iban_invalid_length");
  assert.match(length.message, /DE has 22 characters, but this one has 21/);

  const country = failure({ iban: "XX89 3704 0044 0532 0130 00", account_holder_name: holder });
  assert.equal(country.code, "iban_unknown_country");
  assert.match(country.message, /'XX'/);

  const missing = failure({ iban: "  ", account_holder_name: holder });
  assert.equal(missing.code, "parameter_missing");

  const format = failure({ iban: "DE89 3704 0044 0532 0130 0O", account_holder_name: holder });
  assert.equal(format.code, "iban_invalid_format");
});

test("the declared country must be the IBAN's", () => {
  const result = failure({ iban: "NL91ABNA0417164300", account_holder_name: holder, country: "de" });
  assert.equal(result.param, "bank_account[iban]");
  assert.equal(result.code, "iban_country_mismatch");
  assert.ok(
    validateBankAccount({ iban: "NL91ABNA0417164300", account_holder_name: holder, country: "nl" }).ok,
  );
});

test("a malformed BIC and a BIC from another country than the IBAN are refused", () => {
  const bad = failure({ iban: "DE89370400440532013000", bic: "COBADE", account_holder_name: holder });
  assert.equal(bad.param, "bank_account[bic]");
  assert.equal(bad.code, "bic_invalid");
  assert.match(bad.message, /8 or 11 characters/);

  const mismatch = failure({ iban: "DE89370400440532013000", bic: "ABNANL2A", account_holder_name: holder });
  assert.equal(mismatch.param, "bank_account[bic]");
  assert.equal(mismatch.code, "bic_country_mismatch");
  assert.match(mismatch.message, /ABNANL2A belongs to a bank in NL, but the IBAN is from DE/);

  const blank = validateBankAccount({
    iban: "DE89370400440532013000",
    bic: " ",
    account_holder_name: holder,
  });
  assert.ok(blank.ok && blank.value.bic === null);
});

test("holder name: required, at most 70 characters, SEPA characters or letters that transliterate", () => {
  const iban = "DE89370400440532013000";
  const empty = failure({ iban, account_holder_name: "   " });
  assert.equal(empty.param, "bank_account[account_holder_name]");
  assert.equal(empty.code, "parameter_missing");

  const long = failure({ iban, account_holder_name: "A".repeat(71) });
  assert.equal(long.code, "account_holder_name_too_long");
  assert.ok(validateBankAccount({ iban, account_holder_name: "A".repeat(70) }).ok);
  // ß becomes ss: 68 letters and a ß are 70 characters for the bank, 69 and a ß are 71.
  assert.ok(validateBankAccount({ iban, account_holder_name: `${"A".repeat(68)}ß` }).ok);
  assert.equal(
    failure({ iban, account_holder_name: `${"A".repeat(69)}ß` }).code,
    "account_holder_name_too_long",
  );

  const odd = failure({ iban, account_holder_name: "Smith & Sons @ Home" });
  assert.equal(odd.code, "account_holder_name_invalid_characters");
  assert.match(odd.message, /'&', '@'/);

  for (const name of ["José Müller-Lüdenscheidt", "O'Brien (Ltd.) +/-?:,", "Łukasz Żółć", "Søren Ærø"]) {
    const result = validateBankAccount({ iban, account_holder_name: name });
    assert.ok(result.ok, `${name}: ${JSON.stringify(result)}`);
    assert.equal(result.value.account_holder_name, name, "the name is kept as given, only trimmed");
  }
  assert.equal(
    failure({ iban, account_holder_name: "王小明" }).code,
    "account_holder_name_invalid_characters",
  );
});

test("toSepaText transliterates accents and replaces the rest with spaces", () => {
  assert.equal(toSepaText("José Müller"), "Jose Muller");
  assert.equal(toSepaText("Straße Ærø Œuvre Łódź Ðorđe"), "Strasse AEro OEuvre Lodz Dorde");
  assert.equal(toSepaText("Crème brûlée à la française, ñ ç å"), "Creme brulee a la francaise, n c a");
  assert.equal(toSepaText('Tom & Jerry <Ltd> "x" O’Neil'), "Tom Jerry Ltd x O'Neil");
  assert.equal(toSepaText("  a\tb\nc  "), "a b c");
  assert.equal(toSepaText("Order #42 – 50% off ✓"), "Order 42 - 50 off");
  assert.deepEqual(unsupportedSepaCharacters("a & b & ü"), ["&"]);
});
