import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { brandFromPrefix, lookupBin, shippedBinTable } from "./lookup.ts";
import { createBinTable, parseBinRanges } from "./table.ts";

const summary = (pan: string) => {
  const { brand, funding, country } = lookupBin(pan);
  return `${brand}/${funding}/${country ?? "-"}`;
};

describe("shipped BIN table", () => {
  test("loads and indexes", () => {
    assert.ok(shippedBinTable().size > 100);
  });

  test("documented Stripe test cards resolve to their documented brand, funding and country", () => {
    const expected: [string, string][] = [
      ["4242424242424242", "visa/unknown/US"],
      ["4000056655665556", "visa/debit/US"],
      ["5200828282828210", "mastercard/debit/US"],
      ["5105105105105100", "mastercard/prepaid/US"],
      ["6011981111111113", "discover/debit/US"],
      ["6200000000000047", "unionpay/debit/-"],
      ["4000000760000002", "visa/unknown/BR"],
      ["4000001240000000", "visa/unknown/CA"],
      ["4000004840008001", "visa/unknown/MX"],
      ["4000000400000008", "visa/unknown/AT"],
      ["4000000560000004", "visa/unknown/BE"],
      ["4000002080000001", "visa/unknown/DK"],
      ["4000002760000016", "visa/unknown/DE"],
      ["4000003720000005", "visa/unknown/IE"],
      ["4000003800000008", "visa/unknown/IT"],
      ["4000005280000002", "visa/unknown/NL"],
      ["4000006160000005", "visa/unknown/PL"],
      ["4000007240000007", "visa/unknown/ES"],
      ["4000007520000008", "visa/unknown/SE"],
      ["4000008260000000", "visa/unknown/GB"],
      ["4000058260000005", "visa/debit/GB"],
      ["5555558265554449", "mastercard/unknown/GB"],
      ["5200007840000022", "mastercard/unknown/AE"],
      ["4000000360000006", "visa/unknown/AU"],
      ["4000001560000002", "visa/unknown/CN"],
      ["4000003440000004", "visa/unknown/HK"],
      ["4000003920000003", "visa/unknown/JP"],
      ["3530111333300000", "jcb/unknown/JP"],
      ["4000007020000003", "visa/unknown/SG"],
      ["4000004580000002", "visa/unknown/MY"],
      ["4000007640000003", "visa/credit/TH"],
      ["4000057640000008", "visa/debit/TH"],
      ["4000002500001001", "visa/unknown/FR"],
      ["5555552500001001", "mastercard/unknown/FR"],
    ];
    for (const [pan, want] of expected) assert.equal(summary(pan), want, `${want.split("/")[2]} test card`);
  });

  test("a test-card row covers that card only, not its BIN neighbours", () => {
    assert.equal(lookupBin("4000000760000002").binLength, 15);
    assert.equal(summary("4000000760000101"), "visa/unknown/-");
    assert.equal(lookupBin("4000000760000101").binLength, 1);
    // Documented, but with no documented country: scheme fallback only.
    assert.equal(summary("4000002500003155"), "visa/unknown/-");
    assert.equal(summary("4000002760003184"), "visa/unknown/-");
  });

  test("scheme fallbacks", () => {
    const expected: [string, string, number][] = [
      ["4111111111111111", "visa", 1],
      ["5555555555554444", "mastercard", 2],
      ["2223003122003222", "mastercard", 4],
      ["2720990000000000", "mastercard", 4],
      ["378282246310005", "amex", 2],
      ["341111111111111", "amex", 2],
      ["6011111111111117", "discover", 4],
      ["6445000000000000", "discover", 3],
      ["6500000000000000", "discover", 2],
      ["3566002020360505", "jcb", 4],
      ["6200000000000005", "unionpay", 2],
      ["8100000000000000", "unionpay", 2],
      ["3056930009020004", "diners", 3],
      ["36227206271667", "diners", 2],
      ["3095000000000000", "diners", 4],
      ["6759000000000000", "maestro", 4],
      ["6767700000000000", "maestro", 6],
      ["2200000000000000", "mir", 4],
      ["2204999999999999", "mir", 4],
    ];
    for (const [pan, brand, binLength] of expected) {
      const info = lookupBin(pan);
      assert.deepEqual(
        [info.brand, info.funding, info.country, info.binLength],
        [brand, "unknown", null, binLength],
        brand,
      );
    }
  });

  test("the longest prefix wins over the scheme range it sits in", () => {
    assert.equal(lookupBin("4011780000000000").brand, "elo");
    assert.equal(lookupBin("4011800000000000").brand, "visa");
    assert.equal(lookupBin("5067000000000000").brand, "elo");
    assert.equal(lookupBin("6500310000000000").brand, "elo");
    assert.equal(lookupBin("6500340000000000").brand, "discover");
    assert.equal(lookupBin("6521500000000000").brand, "rupay");
    assert.equal(lookupBin("5085000000000000").brand, "rupay");
  });

  test("numbers outside every range, or not digits, are unknown", () => {
    for (const pan of ["9999999999999999", "1234567890123", "7000000000000000", "", "4242 4242", "abc"]) {
      assert.deepEqual(lookupBin(pan), { brand: "unknown", funding: "unknown", country: null, binLength: 0 });
    }
    assert.equal(lookupBin("2719999999999999").brand, "mastercard");
    assert.equal(lookupBin("2721000000000000").brand, "unknown");
    assert.equal(lookupBin("2205000000000000").brand, "unknown");
  });
});

describe("brandFromPrefix", () => {
  test("names the brand as soon as the digits decide it", () => {
    const expected: [string, string][] = [
      ["", "unknown"],
      ["4", "visa"],
      ["4242 42", "visa"],
      ["3", "unknown"],
      ["34", "amex"],
      ["37", "amex"],
      ["30", "diners"],
      ["35", "jcb"],
      ["5", "unknown"],
      ["51", "mastercard"],
      ["50", "unknown"],
      ["2", "unknown"],
      ["22", "unknown"],
      ["222", "mastercard"],
      ["27", "mastercard"],
      ["220", "mir"],
      ["6", "unknown"],
      ["60", "unknown"],
      ["601", "discover"],
      ["62", "unionpay"],
      ["9", "unknown"],
      ["4x", "unknown"],
    ];
    for (const [partial, brand] of expected) assert.equal(brandFromPrefix(partial), brand, `'${partial}'`);
  });
});

describe("parseBinRanges / createBinTable", () => {
  const header = "# comment\nlow,high,brand,funding,country\n";

  test("reads rows, ignoring comments and blank lines", () => {
    const rows = parseBinRanges(`${header}\n4,4,visa,unknown,\n# x\n411111,411111,visa,credit,US\n`);
    assert.deepEqual(rows[1], {
      low: "411111",
      high: "411111",
      brand: "visa",
      funding: "credit",
      country: "US",
    });
    const table = createBinTable(rows);
    assert.deepEqual(table.lookup("4111111111111111"), {
      brand: "visa",
      funding: "credit",
      country: "US",
      binLength: 6,
    });
  });

  test("malformed files fail naming the line", () => {
    const cases: [string, RegExp][] = [
      ["4,4,visa,unknown,\n", /line 1: expected the header/],
      [`${header}4,44,visa,unknown,\n`, /line 3: low and high/],
      [`${header}5,4,visa,unknown,\n`, /line 3: low is above high/],
      [`${header}4,4,visa,charge,\n`, /line 3: funding/],
      [`${header}4,4,visa,unknown,usa\n`, /line 3: bad country/],
      [`${header}4,4,visa,unknown\n`, /line 3: expected 5 columns/],
      [`${header}4,4,Visa!,unknown,\n`, /line 3: bad brand/],
      ["# only comments\n", /no header/],
    ];
    for (const [text, message] of cases) assert.throws(() => parseBinRanges(text), message);
  });

  test("overlapping ranges of one length are refused", () => {
    const rows = parseBinRanges(`${header}51,55,mastercard,unknown,\n55,56,other,unknown,\n`);
    assert.throws(() => createBinTable(rows), /51-55 and 55-56 overlap/);
  });
});
