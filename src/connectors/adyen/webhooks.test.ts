import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hmacValidator } from "@adyen/api-library";
import fc from "fast-check";
import type { InboundWebhook } from "../contract.ts";
import { notificationSignatureMatches, notificationSigningString, signNotification } from "./hmac.ts";
import { createAdyenConnector } from "./index.ts";
import { HMAC_KEY, MERCHANT, newAccount } from "./test-support.ts";
import { verifyAdyenWebhook } from "./webhooks.ts";

const official = new hmacValidator();
const connector = createAdyenConnector({ baseUrl: () => "http://127.0.0.1:1" });
const now = new Date(Date.UTC(2030, 0, 1, 12));

type Item = Record<string, any>;

function item(overrides: Item = {}): Item {
  return {
    pspReference: "QFQTPCQ8HXSKGK82",
    merchantAccountCode: MERCHANT,
    merchantReference: "pi_1_a1",
    amount: { value: 1000, currency: "EUR" },
    eventCode: "AUTHORISATION",
    eventDate: "2030-01-01T01:00:00+01:00",
    paymentMethod: "visa",
    success: "true",
    reason: "",
    ...overrides,
  };
}

/** Signed by the official library, not by the code under test. */
function signed(fields: Item, key = HMAC_KEY): Item {
  const copy = structuredClone(fields);
  copy.additionalData = { ...copy.additionalData, hmacSignature: official.calculateHmac(copy as never, key) };
  return copy;
}

function webhook(items: Item[], live = "false") {
  const body = { live, notificationItems: items.map((i) => ({ NotificationRequestItem: i })) };
  return { rawBody: Buffer.from(JSON.stringify(body)), headers: { "content-type": "application/json" } };
}

const account = newAccount();

describe("HMAC against the official Adyen library", () => {
  const text = fc.string({ maxLength: 40 });
  const fields = fc.record({
    pspReference: fc.stringMatching(/^[A-Z0-9]{16}$/),
    originalReference: fc.option(fc.stringMatching(/^[A-Z0-9]{16}$/), { nil: undefined }),
    merchantAccountCode: text,
    merchantReference: text,
    amount: fc.record({
      value: fc.integer({ min: 0, max: 2 ** 40 }),
      currency: fc.constantFrom("EUR", "USD", "JPY"),
    }),
    eventCode: fc.constantFrom("AUTHORISATION", "CAPTURE", "REFUND", "CANCELLATION"),
    success: fc.constantFrom("true", "false"),
  });
  const keys = fc
    .uint8Array({ minLength: 32, maxLength: 32 })
    .map((b) => Buffer.from(b).toString("hex").toUpperCase());

  test("the signing string is the library's", () => {
    fc.assert(
      fc.property(fields, (f) => {
        assert.equal(notificationSigningString(f), official.getDataToSign(f as never));
      }),
    );
  });

  test("what the library signs, we accept; what we sign, the library accepts", () => {
    fc.assert(
      fc.property(fields, keys, (f, key) => {
        const theirs = official.calculateHmac(f as never, key);
        assert.equal(notificationSignatureMatches(f, key, theirs), true);
        const ours = signNotification(f, key);
        assert.equal(ours, theirs);
        assert.equal(
          official.validateHMAC({ ...f, additionalData: { hmacSignature: ours } } as never, key),
          true,
        );
      }),
      { numRuns: 200 },
    );
  });

  test("a signature by another key never matches", () => {
    fc.assert(
      fc.property(fields, keys, keys, (f, a, b) => {
        fc.pre(a !== b);
        assert.equal(notificationSignatureMatches(f, a, official.calculateHmac(f as never, b)), false);
      }),
      { numRuns: 100 },
    );
  });

  test("malformed signatures and keys are false, not a throw", () => {
    const f = item();
    for (const signature of [undefined, null, 1, "", "not base64!", "AAAA", "x".repeat(500)]) {
      assert.equal(notificationSignatureMatches(f, HMAC_KEY, signature), false);
    }
    assert.equal(
      notificationSignatureMatches(f, "short", official.calculateHmac(f as never, HMAC_KEY)),
      false,
    );
  });
});

describe("verifyWebhook", () => {
  test("a signed AUTHORISATION maps to an authorized payment", async () => {
    const result = await connector.verifyWebhook(account, webhook([signed(item())]), now);
    assert.deepEqual(result, {
      ok: true,
      event: {
        kind: "payment",
        providerEventId: "QFQTPCQ8HXSKGK82:AUTHORISATION:true",
        reference: "pi_1_a1",
        connectorReference: "QFQTPCQ8HXSKGK82",
        status: {
          status: "authorized",
          connectorReference: "QFQTPCQ8HXSKGK82",
          amount: 1000n,
          currency: "eur",
          captured: false,
          capturedAmount: 0n,
        },
      },
    });
  });

  test("our capture metadata, echoed by Adyen, marks an automatic-capture payment captured", async () => {
    const signedItem = signed(item({ additionalData: { "metadata.payrailCapture": "automatic" } }));
    const result = await connector.verifyWebhook(account, webhook([signedItem]), now);
    assert.ok(result.ok && result.event.kind === "payment" && result.event.status.status === "authorized");
    assert.equal(result.event.status.captured, true);
    assert.equal(result.event.status.capturedAmount, 1000n);
  });

  test("operations without CAPTURE mean the payment is captured already", async () => {
    const captured = async (operations: string[]) => {
      const result = await connector.verifyWebhook(account, webhook([signed(item({ operations }))]), now);
      assert.ok(result.ok && result.event.kind === "payment" && result.event.status.status === "authorized");
      return result.event.status.captured;
    };
    assert.equal(await captured(["REFUND"]), true);
    assert.equal(await captured(["CANCEL", "CAPTURE", "REFUND"]), false);
  });

  test("a failed AUTHORISATION is a decline with the reason", async () => {
    const result = await connector.verifyWebhook(
      account,
      webhook([signed(item({ success: "false", reason: "Not enough balance" }))]),
      now,
    );
    assert.ok(result.ok && result.event.kind === "payment");
    assert.deepEqual(result.event.status, {
      status: "declined",
      declineCode: "insufficient_funds",
      connectorReference: "QFQTPCQ8HXSKGK82",
      providerMessage: "Not enough balance",
    });
    assert.equal(result.event.providerEventId, "QFQTPCQ8HXSKGK82:AUTHORISATION:false");
  });

  const modification = {
    originalReference: "9913140798220028",
    pspReference: "MOD0000000000001",
    merchantReference: "mod_1",
  };
  const table: Array<[string, Item, unknown]> = [
    [
      "CAPTURE",
      { eventCode: "CAPTURE", amount: { value: 400, currency: "EUR" } },
      {
        kind: "payment",
        connectorReference: "9913140798220028",
        status: {
          status: "authorized",
          connectorReference: "9913140798220028",
          amount: 400n,
          currency: "eur",
          captured: true,
          capturedAmount: 400n,
        },
      },
    ],
    [
      "CAPTURE refused",
      { eventCode: "CAPTURE", success: "false", reason: "Insufficient balance on payment" },
      {
        kind: "payment",
        connectorReference: "9913140798220028",
        status: {
          status: "authorized",
          connectorReference: "9913140798220028",
          amount: 1000n,
          currency: "eur",
          captured: false,
          capturedAmount: 0n,
        },
      },
    ],
    [
      "CAPTURE_FAILED",
      { eventCode: "CAPTURE_FAILED", reason: "Capture Failed" },
      {
        kind: "payment",
        connectorReference: "9913140798220028",
        status: {
          status: "authorized",
          connectorReference: "9913140798220028",
          amount: 1000n,
          currency: "eur",
          captured: false,
          capturedAmount: 0n,
        },
      },
    ],
    [
      "CANCELLATION",
      { eventCode: "CANCELLATION" },
      {
        kind: "payment",
        connectorReference: "9913140798220028",
        status: { status: "voided", connectorReference: "9913140798220028" },
      },
    ],
    [
      "CANCELLATION refused",
      { eventCode: "CANCELLATION", success: "false" },
      {
        kind: "payment",
        connectorReference: "9913140798220028",
        status: { status: "pending", connectorReference: "9913140798220028" },
      },
    ],
    [
      "REFUND",
      { eventCode: "REFUND", amount: { value: 250, currency: "EUR" } },
      {
        kind: "refund",
        connectorReference: "MOD0000000000001",
        status: {
          status: "succeeded",
          connectorReference: "MOD0000000000001",
          amount: 250n,
          currency: "eur",
        },
      },
    ],
    [
      "REFUND refused",
      {
        eventCode: "REFUND",
        success: "false",
        reason: "Transaction hasn't been captured, refund not possible",
      },
      {
        kind: "refund",
        connectorReference: "MOD0000000000001",
        status: { status: "failed", reason: "Transaction hasn't been captured, refund not possible" },
      },
    ],
    [
      "REFUND_FAILED",
      { eventCode: "REFUND_FAILED", reason: "" },
      {
        kind: "refund",
        connectorReference: "MOD0000000000001",
        status: { status: "failed", reason: "refund_failed" },
      },
    ],
    [
      "CANCEL_OR_REFUND as refund",
      { eventCode: "CANCEL_OR_REFUND", additionalData: { "modification.action": "refund" } },
      {
        kind: "refund",
        connectorReference: "MOD0000000000001",
        status: {
          status: "succeeded",
          connectorReference: "MOD0000000000001",
          amount: 1000n,
          currency: "eur",
        },
      },
    ],
    [
      "CANCEL_OR_REFUND as cancel",
      { eventCode: "CANCEL_OR_REFUND", additionalData: { "modification.action": "cancel" } },
      {
        kind: "payment",
        connectorReference: "9913140798220028",
        status: { status: "voided", connectorReference: "9913140798220028" },
      },
    ],
  ];
  for (const [name, overrides, expected] of table) {
    test(`${name}`, async () => {
      const fields = item({ ...modification, ...overrides });
      const result = await connector.verifyWebhook(account, webhook([signed(fields)]), now);
      assert.ok(result.ok, result.ok ? "" : result.reason);
      const { providerEventId, reference, ...rest } = result.event as Item;
      assert.equal(providerEventId, `MOD0000000000001:${fields.eventCode}:${fields.success}`);
      assert.equal(reference, "mod_1");
      assert.deepEqual(rest, expected);
    });
  }

  test("other events are unknown, kept by their event code", async () => {
    const result = await connector.verifyWebhook(
      account,
      webhook([signed(item({ eventCode: "CHARGEBACK" }))]),
      now,
    );
    assert.deepEqual(result, {
      ok: true,
      event: {
        kind: "unknown",
        providerEventId: "QFQTPCQ8HXSKGK82:CHARGEBACK:true",
        providerType: "CHARGEBACK",
      },
    });
  });

  test("a batch is verified whole and its first item mapped", async () => {
    const first = signed(item({ pspReference: "AAAAAAAAAAAAAAAA" }));
    const second = signed(item({ pspReference: "BBBBBBBBBBBBBBBB" }));
    const result = await connector.verifyWebhook(account, webhook([first, second]), now);
    assert.ok(result.ok);
    assert.equal(result.event.providerEventId, "AAAAAAAAAAAAAAAA:AUTHORISATION:true");
    const tampered = { ...second, merchantReference: "other" };
    assert.deepEqual(await connector.verifyWebhook(account, webhook([first, tampered]), now), {
      ok: false,
      reason: "signature_mismatch",
    });
  });

  test("every signed field, tampered, is rejected", async () => {
    const original = signed(item({ originalReference: "9913140798220028" }));
    const tampers: Array<(i: Item) => void> = [
      (i) => (i.pspReference = "QFQTPCQ8HXSKGK83"),
      (i) => (i.originalReference = "9913140798220029"),
      (i) => (i.merchantReference = "pi_2_a1"),
      (i) => (i.amount.value = 1001),
      (i) => (i.amount.currency = "USD"),
      (i) => (i.eventCode = "CAPTURE"),
      (i) => (i.success = "false"),
      (i) => (i.additionalData.hmacSignature = signNotification(i, "00".repeat(32))),
    ];
    for (const tamper of tampers) {
      const copy = structuredClone(original);
      tamper(copy);
      const result = await connector.verifyWebhook(account, webhook([copy]), now);
      assert.deepEqual(result, { ok: false, reason: "signature_mismatch" });
    }
  });

  test("rejections say why", async () => {
    const cases: Array<[Parameters<typeof verifyAdyenWebhook>[0], InboundWebhook, string]> = [
      [account, webhook([item()]), "missing_hmac_signature"],
      [newAccount({ hmac_key: undefined }), webhook([signed(item())]), "hmac_key_not_configured"],
      [newAccount({ api_key: "" }), webhook([signed(item())]), "account_config_invalid"],
      [
        newAccount({ merchant_account: "SomeoneElse" }),
        webhook([signed(item())]),
        "merchant_account_mismatch",
      ],
      [newAccount({}, true), webhook([signed(item())]), "livemode_mismatch"],
      [account, webhook([signed(item())], "true"), "livemode_mismatch"],
      [account, { rawBody: Buffer.from("[accepted]"), headers: {} }, "malformed_json"],
      [account, { rawBody: Buffer.from("{}"), headers: {} }, "malformed_notification"],
      [account, webhook([]), "malformed_notification"],
      [account, webhook([{ ...signed(item()), success: true }]), "malformed_notification_item"],
      [
        account,
        webhook([{ ...signed(item()), amount: { value: 1.5, currency: "EUR" } }]),
        "malformed_notification_item",
      ],
    ];
    for (const [acct, hook, reason] of cases) {
      assert.deepEqual(verifyAdyenWebhook(acct, hook, now), { ok: false, reason }, reason);
    }
  });

  test("never throws, whatever the bytes", () => {
    const jsonish = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
      fc
        .array(fc.dictionary(fc.constantFrom(...Object.keys(item()), "additionalData"), fc.jsonValue()), {
          maxLength: 3,
        })
        .map((items) =>
          Buffer.from(
            JSON.stringify({ notificationItems: items.map((i) => ({ NotificationRequestItem: i })) }),
          ),
        ),
    );
    fc.assert(
      fc.property(jsonish, (rawBody) => {
        const result = verifyAdyenWebhook(account, { rawBody, headers: {} }, now);
        assert.equal(result.ok, false);
      }),
      { numRuns: 300 },
    );
  });
});
