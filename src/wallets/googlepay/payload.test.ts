import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GooglePayTokenError } from "./errors.ts";
import { parseDecryptedMessage, toNetworkTokenCard } from "./payload.ts";

const PAN = "4111111111111111";
const CRYPTOGRAM = "AgAAAAAABk4DWZ4C28yUQAAAAAA=";

function message(details: Record<string, unknown>, extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      messageExpiration: "1780000000000",
      messageId: "AH2EjtcMessageId",
      paymentMethod: "CARD",
      paymentMethodDetails: { expirationYear: 2030, expirationMonth: 12, pan: PAN, ...details },
      ...extra,
    }),
  );
}

/** Refused with `code`, and the message says nothing of the card. */
function assertRefused(plaintext: Buffer, code: string): void {
  assert.throws(
    () => parseDecryptedMessage(plaintext),
    (error: unknown) => {
      assert.ok(error instanceof GooglePayTokenError);
      assert.equal(error.code, code);
      assert.equal(error.cause, undefined);
      for (const secret of [PAN, CRYPTOGRAM, "1111"])
        assert.ok(!error.message.includes(secret), error.message);
      return true;
    },
  );
}

describe("parseDecryptedMessage", () => {
  it("reads a CRYPTOGRAM_3DS card of a gateway token", () => {
    const result = parseDecryptedMessage(
      message(
        { authMethod: "CRYPTOGRAM_3DS", cryptogram: CRYPTOGRAM, eciIndicator: "05" },
        { gatewayMerchantId: "acct_123" },
      ),
    );
    assert.deepEqual(result, {
      messageId: "AH2EjtcMessageId",
      messageExpiration: new Date(1780000000000),
      paymentMethod: "CARD",
      paymentMethodDetails: {
        authMethod: "CRYPTOGRAM_3DS",
        pan: PAN,
        expirationMonth: 12,
        expirationYear: 2030,
        cryptogram: CRYPTOGRAM,
        eciIndicator: "05",
      },
      gatewayMerchantId: "acct_123",
    });
    assert.deepEqual(toNetworkTokenCard(result), {
      number: PAN,
      exp_month: 12,
      exp_year: 2030,
      cryptogram: CRYPTOGRAM,
      eci: "05",
    });
  });

  it("reads a PAN_ONLY card, which has no cryptogram, and a cryptogram without ECI", () => {
    const panOnly = parseDecryptedMessage(message({ authMethod: "PAN_ONLY" }));
    assert.deepEqual(toNetworkTokenCard(panOnly), { number: PAN, exp_month: 12, exp_year: 2030 });
    assert.equal(panOnly.gatewayMerchantId, undefined);
    const noEci = parseDecryptedMessage(message({ authMethod: "CRYPTOGRAM_3DS", cryptogram: CRYPTOGRAM }));
    assert.deepEqual(toNetworkTokenCard(noEci), {
      number: PAN,
      exp_month: 12,
      exp_year: 2030,
      cryptogram: CRYPTOGRAM,
    });
  });

  it("accepts the month and year as digit strings", () => {
    const result = parseDecryptedMessage(
      message({ authMethod: "PAN_ONLY", expirationMonth: "07", expirationYear: "2031" }),
    );
    assert.equal(result.paymentMethodDetails.expirationMonth, 7);
    assert.equal(result.paymentMethodDetails.expirationYear, 2031);
  });

  it("refuses what is not the documented message, without quoting the card", () => {
    assertRefused(Buffer.from(`${PAN} ${CRYPTOGRAM}`), "malformed_token");
    assertRefused(Buffer.from([0xff, 0xfe, 0x7b]), "malformed_token");
    assertRefused(message({ authMethod: "CRYPTOGRAM_3DS" }), "malformed_token");
    assertRefused(message({ authMethod: "PAN_ONLY", cryptogram: CRYPTOGRAM }), "malformed_token");
    assertRefused(message({ authMethod: "OTHER" }), "malformed_token");
    assertRefused(message({ authMethod: "PAN_ONLY", pan: `${PAN}x` }), "malformed_token");
    assertRefused(message({ authMethod: "PAN_ONLY", pan: 4111111111111111 }), "malformed_token");
    assertRefused(message({ authMethod: "PAN_ONLY", expirationMonth: 13 }), "malformed_token");
    assertRefused(message({ authMethod: "PAN_ONLY", expirationYear: 30 }), "malformed_token");
    assertRefused(
      message({ authMethod: "PAN_ONLY" }, { messageExpiration: 1780000000000 }),
      "malformed_token",
    );
    assertRefused(message({ authMethod: "PAN_ONLY" }, { messageId: "" }), "malformed_token");
    assertRefused(message({ authMethod: "PAN_ONLY" }, { paymentMethod: PAN }), "unsupported_payment_method");
  });
});
