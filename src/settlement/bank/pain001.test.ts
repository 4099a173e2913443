import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { findCurrency } from "../../core/money.ts";
import { formatMinorUnits } from "./decimal.ts";
import { BankFileError } from "./errors.ts";
import { buildPain001, PAIN001_NAMESPACE, parsePain001 } from "./pain001.ts";
import { batch, transfer } from "./test-support.ts";

test("round trip: build → parse gives the payments back, grouped one PmtInf per currency", () => {
  const payments = [
    transfer({ endToEndId: "po_eur_1", amount: 123456n, currency: "eur", instructionId: "INSTR-1" }),
    transfer({
      endToEndId: "po_jpy_1",
      amount: 5n,
      currency: "jpy",
      creditor: { name: "Taro", iban: "GB82WEST12345698765432" },
    }),
    transfer({
      endToEndId: "po_kwd_1",
      amount: 1234n,
      currency: "kwd",
      creditor: { name: "Ali", iban: "FR1420041010050500013M02606", bic: null },
    }),
    transfer({ endToEndId: "po_eur_2", amount: 1n, currency: "eur", remittanceInformation: "" }),
  ];
  const xml = buildPain001(batch({ payments }));
  assert.match(
    xml,
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">/,
  );
  assert.ok(xml.includes('<InstdAmt Ccy="EUR">1234.56</InstdAmt>'));
  assert.ok(xml.includes('<InstdAmt Ccy="JPY">5</InstdAmt>'));
  assert.ok(xml.includes('<InstdAmt Ccy="KWD">1.234</InstdAmt>'));
  assert.ok(xml.includes("<CreDtTm>2024-05-01T10:15:30Z</CreDtTm>"), "no milliseconds");
  // Mixed currencies: the header's CtrlSum is the plain sum at the finest exponent.
  assert.ok(xml.includes("<CtrlSum>1240.804</CtrlSum>"));

  const parsed = parsePain001(xml);
  assert.equal(parsed.messageId, "MSG-20240501-0001");
  assert.equal(parsed.numberOfTransactions, 4);
  assert.deepEqual(
    parsed.paymentInfos.map((p) => [
      p.id,
      p.numberOfTransactions,
      p.controlSum,
      p.serviceLevel,
      p.chargeBearer,
    ]),
    [
      ["MSG-20240501-0001-EUR", 2, "1234.57", "SEPA", "SLEV"],
      ["MSG-20240501-0001-JPY", 1, "5", null, "SHAR"],
      ["MSG-20240501-0001-KWD", 1, "1.234", null, "SHAR"],
    ],
  );
  assert.deepEqual(parsed.paymentInfos[0]?.debtor, {
    name: "Payrail Platform GmbH",
    iban: "DE89370400440532013000",
    bic: "COBADEFFXXX",
  });
  assert.equal(parsed.paymentInfos[0]?.requestedExecutionDate, "2024-05-02");
  assert.deepEqual(
    parsed.payments.map((p) => [p.endToEndId, p.instructionId, p.amount, p.currency, p.creditor.bic]),
    [
      ["po_eur_1", "INSTR-1", 123456n, "eur", "ABNANL2A"],
      ["po_eur_2", null, 1n, "eur", "ABNANL2A"],
      ["po_jpy_1", null, 5n, "jpy", null],
      ["po_kwd_1", null, 1234n, "kwd", null],
    ],
  );
  assert.equal(parsed.payments[1]?.remittanceInformation, null, "an empty remittance leaves RmtInf out");
  assert.ok(!xml.includes("<CdtrAgt>\n          <FinInstnId>\n            <BICFI>null"));
});

test("elements come in the order the pain.001.001.09 schema requires", () => {
  const xml = buildPain001(batch());
  const order = (names: string[]) => names.map((n) => xml.indexOf(`<${n}>`));
  const sorted = (positions: number[]) =>
    positions.every((p, i) => p >= 0 && (i === 0 || p > (positions[i - 1] ?? 0)));
  assert.ok(sorted(order(["GrpHdr", "MsgId", "CreDtTm", "NbOfTxs", "CtrlSum", "InitgPty", "PmtInf"])));
  assert.ok(
    sorted(
      order([
        "PmtInfId",
        "PmtMtd",
        "BtchBookg",
        "PmtTpInf",
        "ReqdExctnDt",
        "Dt",
        "Dbtr",
        "DbtrAcct",
        "DbtrAgt",
        "BICFI",
        "ChrgBr",
        "CdtTrfTxInf",
        "PmtId",
        "EndToEndId",
        "Amt",
        "CdtrAgt",
        "Cdtr",
        "CdtrAcct",
        "RmtInf",
        "Ustrd",
      ]),
    ),
  );
});

test("text is reduced to the SEPA character set and escaped", () => {
  const xml = buildPain001(
    batch({
      initiatingParty: { name: "Payrail & Co <Test>" },
      payments: [
        transfer({
          creditor: {
            name: `José "Pepe" O'Neil & Söhne <GmbH>`,
            iban: "nl91 abna 0417 1643 00",
            bic: "abnanl2a",
          },
          remittanceInformation: "Auszahlung für Straße 5 & Co <x>",
        }),
      ],
    }),
  );
  assert.ok(xml.includes("<Nm>Jose Pepe O&apos;Neil Sohne GmbH</Nm>"));
  assert.ok(xml.includes("<Ustrd>Auszahlung fur Strasse 5 Co x</Ustrd>"));
  assert.ok(xml.includes("<Nm>Payrail Co Test</Nm>"));
  assert.ok(xml.includes("<IBAN>NL91ABNA0417164300</IBAN>") && xml.includes("<BICFI>ABNANL2A</BICFI>"));
  const parsed = parsePain001(xml);
  assert.equal(parsed.payments[0]?.creditor.name, "Jose Pepe O'Neil Sohne GmbH");
  assert.equal(parsed.initiatingParty.name, "Payrail Co Test");
});

test("ids are escaped too, and read back unchanged", () => {
  const xml = buildPain001(batch({ payments: [transfer({ endToEndId: `a<b>&"c'` })] }));
  assert.ok(xml.includes("<EndToEndId>a&lt;b&gt;&amp;&quot;c&apos;</EndToEndId>"));
  assert.equal(parsePain001(xml).payments[0]?.endToEndId, `a<b>&"c'`);
});

test("refuses what a bank would refuse, with a clear error", () => {
  const refused = (what: Parameters<typeof buildPain001>[0], pattern: RegExp) =>
    assert.throws(
      () => buildPain001(what),
      (error: unknown) => error instanceof BankFileError && pattern.test(error.message),
    );
  refused(batch({ payments: [] }), /no payments/);
  refused(batch({ payments: [transfer({ amount: 0n })] }), /positive/);
  refused(batch({ payments: [transfer({ amount: -5n })] }), /positive/);
  refused(batch({ messageId: "M".repeat(36) }), /messageId .* 36 characters; the limit is 35/);
  refused(batch({ payments: [transfer({ endToEndId: "E".repeat(36) })] }), /endToEndId/);
  refused(batch({ payments: [transfer({ instructionId: "I".repeat(36) })] }), /instructionId/);
  refused(
    batch({ payments: [transfer({ creditor: { name: "X", iban: "DE88370400440532013000" } })] }),
    /creditor IBAN/,
  );
  refused(batch({ debtor: { name: "D", iban: "DE0037040044", bic: "COBADEFF" } }), /debtor IBAN/);
  refused(
    batch({ payments: [transfer({ creditor: { name: "X", iban: "NL91ABNA0417164300", bic: "NOPE" } })] }),
    /BIC/,
  );
  refused(batch({ payments: [transfer({ currency: "xxx" })] }), /unknown currency/);
  refused(
    batch({ payments: [transfer({ creditor: { name: "<&>", iban: "NL91ABNA0417164300" } })] }),
    /name is empty/,
  );
  refused(batch({ payments: [transfer({ remittanceInformation: "r".repeat(141) })] }), /141 characters/);
  refused(batch({ payments: [transfer(), transfer()] }), /appears twice/);
  refused(batch({ requestedExecutionDate: "2024-02-30" }), /YYYY-MM-DD/);
  refused(batch({ payments: [transfer({ amount: 100_000_000_000n })] }), /999999999.99 EUR/);
  assert.ok(
    buildPain001(batch({ payments: [transfer({ amount: 99_999_999_999n })] })).includes(">999999999.99<"),
  );
});

test("parsePain001 checks NbOfTxs and CtrlSum against the transactions", () => {
  const xml = buildPain001(
    batch({ payments: [transfer({ endToEndId: "a" }), transfer({ endToEndId: "b" })] }),
  );
  assert.throws(
    () => parsePain001(xml.replace("<CtrlSum>20.00</CtrlSum>", "<CtrlSum>20.01</CtrlSum>")),
    /CtrlSum 20.01/,
  );
  assert.throws(
    () => parsePain001(xml.replace("<NbOfTxs>2</NbOfTxs>", "<NbOfTxs>3</NbOfTxs>")),
    /NbOfTxs says 3/,
  );
  assert.throws(
    () => parsePain001(xml.replace(PAIN001_NAMESPACE, "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03")),
    /namespace/,
  );
  assert.throws(() => parsePain001(xml.replace("</Document>", "")), /not well formed/);
  assert.throws(() => parsePain001(xml.replace('Ccy="EUR">10.00', 'Ccy="EUR">10.001')), /not a valid amount/);
  assert.equal(
    parsePain001(xml.replaceAll("<CtrlSum>20.00</CtrlSum>", "<CtrlSum>20.0</CtrlSum>")).controlSum,
    "20.0",
  );
});

const currencies = ["eur", "jpy", "kwd", "usd", "gbp", "bhd", "clp"];

test("property: CtrlSum is always the exact sum of the amounts, per group and overall", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          amount: fc.bigInt({ min: 1n, max: 99_999_999_999n }),
          currency: fc.constantFrom(...currencies),
        }),
        { minLength: 1, maxLength: 40 },
      ),
      (items) => {
        const payments = items.map((item, i) => transfer({ endToEndId: `po_${i}`, ...item }));
        const parsed = parsePain001(buildPain001(batch({ payments })));
        assert.deepEqual(
          parsed.payments.map((p) => p.amount).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
          items.map((i) => i.amount).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
        );
        for (const info of parsed.paymentInfos) {
          const group = parsed.payments.filter((p) => p.paymentInfoId === info.id);
          const currency = findCurrency(group[0]!.currency)!;
          const exact = formatMinorUnits(
            group.reduce((sum, p) => sum + p.amount, 0n),
            currency.exponent,
          );
          assert.equal(info.controlSum, exact);
        }
        const scale = Math.max(...items.map((i) => findCurrency(i.currency)!.exponent));
        const total = items.reduce(
          (sum, i) => sum + i.amount * 10n ** BigInt(scale - findCurrency(i.currency)!.exponent),
          0n,
        );
        assert.equal(parsed.controlSum, formatMinorUnits(total, scale));
      },
    ),
    { numRuns: 200 },
  );
});
