import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  createGooglePayTestIssuer,
  generateMerchantKeyPair,
  type IssueTokenRequest,
  seededRandom,
  type TestCardPayload,
} from "../../../simulators/googlepay/index.ts";
import { GooglePayTokenError } from "./errors.ts";
import { toNetworkTokenCard, type UnsealGooglePayTokenOptions, unsealGooglePayToken } from "./index.ts";
import { openGooglePayToken } from "./unseal.ts";

const NOW = new Date("2026-03-01T12:00:00Z");
const MINUTE = 60_000;
const PAN = "4895370012003478";
const CRYPTOGRAM = "AgAAAAAAAIR8CQrXcIhbQAAAAAA=";
const random = seededRandom("googlepay-unseal-test");
const issuer = createGooglePayTestIssuer({ now: () => NOW, random });
const merchant = generateMerchantKeyPair(random);
const nextMerchant = generateMerchantKeyPair(random);
const RECIPIENT = "merchant:12345678901234567890";

const options: UnsealGooglePayTokenOptions = {
  recipientId: RECIPIENT,
  merchantPrivateKeysPkcs8Base64: [merchant.privateKeyPkcs8Base64],
  googleRootSigningKeys: issuer.rootSigningKeys.keys,
  now: NOW,
};

function issue(overrides: Partial<IssueTokenRequest> = {}): string {
  return issuer.issueToken({
    recipientId: RECIPIENT,
    merchantPublicKeyUncompressedBase64: merchant.publicKeyUncompressedBase64,
    payload: {
      pan: PAN,
      expMonth: 9,
      expYear: 2029,
      authMethod: "CRYPTOGRAM_3DS",
      cryptogram: CRYPTOGRAM,
      eci: "07",
    },
    ...overrides,
  });
}

/** Refused with `code`; the error carries no card data. */
function assertRefused(run: () => unknown, code: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof GooglePayTokenError, String(error));
    assert.equal(error.code, code, error.message);
    for (const secret of [PAN, CRYPTOGRAM]) assert.ok(!error.message.includes(secret));
    return true;
  });
}

function editToken(token: string, edit: (token: Record<string, any>) => void): string {
  const parsed = JSON.parse(token);
  edit(parsed);
  return JSON.stringify(parsed);
}

describe("unsealGooglePayToken with simulator tokens", () => {
  it("unseals a good CRYPTOGRAM_3DS token, given as text or as an object", () => {
    const token = issue({ messageId: "AH2EjtTestMessage", gatewayMerchantId: "acct_42" });
    for (const input of [token, JSON.parse(token)]) {
      const result = unsealGooglePayToken(input, options);
      assert.deepEqual(result, {
        messageId: "AH2EjtTestMessage",
        messageExpiration: new Date(NOW.getTime() + 60 * MINUTE),
        paymentMethod: "CARD",
        paymentMethodDetails: {
          authMethod: "CRYPTOGRAM_3DS",
          pan: PAN,
          expirationMonth: 9,
          expirationYear: 2029,
          cryptogram: CRYPTOGRAM,
          eciIndicator: "07",
        },
        gatewayMerchantId: "acct_42",
      });
      assert.deepEqual(toNetworkTokenCard(result), {
        number: PAN,
        exp_month: 9,
        exp_year: 2029,
        cryptogram: CRYPTOGRAM,
        eci: "07",
      });
    }
  });

  it("unseals a PAN_ONLY token for a gateway recipient", () => {
    const token = issue({
      recipientId: "gateway:payrail",
      payload: { pan: "4111111111111111", expMonth: 1, expYear: 2030, authMethod: "PAN_ONLY" },
    });
    const result = unsealGooglePayToken(token, { ...options, recipientId: "gateway:payrail" });
    assert.equal(result.paymentMethodDetails.authMethod, "PAN_ONLY");
    assert.deepEqual(toNetworkTokenCard(result), {
      number: "4111111111111111",
      exp_month: 1,
      exp_year: 2030,
    });
  });

  it("refuses a token signed for another recipient", () => {
    assertRefused(
      () => unsealGooglePayToken(issue(), { ...options, recipientId: "merchant:99999999999999999999" }),
      "message_signature_invalid",
    );
  });

  it("refuses a signedMessage changed after signing (ciphertext, tag or ephemeral key)", () => {
    for (const field of ["encryptedMessage", "tag", "ephemeralPublicKey"]) {
      const token = editToken(issue(), (t) => {
        const message = JSON.parse(t.signedMessage);
        const bytes = Buffer.from(message[field], "base64");
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
        message[field] = bytes.toString("base64");
        t.signedMessage = JSON.stringify(message);
      });
      assertRefused(() => unsealGooglePayToken(token, options), "message_signature_invalid");
    }
    const truncated = editToken(issue(), (t) => {
      const message = JSON.parse(t.signedMessage);
      message.encryptedMessage = Buffer.from(message.encryptedMessage, "base64")
        .subarray(0, 10)
        .toString("base64");
      t.signedMessage = JSON.stringify(message);
    });
    assertRefused(() => unsealGooglePayToken(truncated, options), "message_signature_invalid");
  });

  it("refuses broken ciphertext that was signed as it was (only the tag catches it)", () => {
    for (const fault of ["ciphertext_bit_flipped", "ciphertext_truncated", "tag_wrong"] as const) {
      assertRefused(() => unsealGooglePayToken(issue({ fault }), options), "mac_invalid");
    }
  });

  it("refuses an intermediate key whose signedKey was changed (e.g. its expiry extended)", () => {
    const token = editToken(issue(), (t) => {
      const signedKey = JSON.parse(t.intermediateSigningKey.signedKey);
      signedKey.keyExpiration = String(Number(signedKey.keyExpiration) + 365 * 24 * 60 * MINUTE);
      t.intermediateSigningKey.signedKey = JSON.stringify(signedKey);
    });
    assertRefused(() => unsealGooglePayToken(token, options), "intermediate_signature_invalid");
  });

  it("refuses an expired intermediate key", () => {
    const token = issue({ keyExpiration: new Date(NOW.getTime() - MINUTE) });
    assertRefused(() => unsealGooglePayToken(token, options), "intermediate_key_expired");
    const atNow = issue({ keyExpiration: NOW });
    assertRefused(() => unsealGooglePayToken(atNow, options), "intermediate_key_expired");
  });

  it("refuses an expired message, and accepts it until its last millisecond", () => {
    const token = issue({ messageExpiration: new Date(NOW.getTime() + MINUTE) });
    assert.ok(unsealGooglePayToken(token, { ...options, now: new Date(NOW.getTime() + MINUTE - 1) }));
    assertRefused(
      () => unsealGooglePayToken(token, { ...options, now: new Date(NOW.getTime() + MINUTE) }),
      "message_expired",
    );
  });

  it("refuses a token from a root that is not trusted", () => {
    const stranger = createGooglePayTestIssuer({ now: () => NOW, random: seededRandom("stranger") });
    const token = stranger.issueToken({
      recipientId: RECIPIENT,
      merchantPublicKeyUncompressedBase64: merchant.publicKeyUncompressedBase64,
      payload: { pan: PAN, expMonth: 9, expYear: 2029, authMethod: "PAN_ONLY" },
    });
    assertRefused(() => unsealGooglePayToken(token, options), "intermediate_signature_invalid");
  });

  it("refuses when no root key for ECv2 is configured or all have expired", () => {
    const expired = issuer.rootSigningKeys.keys.map((k) => ({ ...k, keyExpiration: String(NOW.getTime()) }));
    assertRefused(
      () => unsealGooglePayToken(issue(), { ...options, googleRootSigningKeys: expired }),
      "no_trusted_root_key",
    );
    const ecv1Only = issuer.rootSigningKeys.keys.map((k) => ({ ...k, protocolVersion: "ECv1" }));
    assertRefused(
      () => unsealGooglePayToken(issue(), { ...options, googleRootSigningKeys: ecv1Only }),
      "no_trusted_root_key",
    );
  });

  it("decrypts with the second key during a rotation, in either order", () => {
    const token = issue({ merchantPublicKeyUncompressedBase64: nextMerchant.publicKeyUncompressedBase64 });
    for (const keys of [
      [merchant.privateKeyPkcs8Base64, nextMerchant.privateKeyPkcs8Base64],
      [nextMerchant.privateKeyPkcs8Base64, merchant.privateKeyPkcs8Base64],
    ]) {
      const result = unsealGooglePayToken(token, { ...options, merchantPrivateKeysPkcs8Base64: keys });
      assert.equal(result.paymentMethodDetails.pan, PAN);
    }
    assertRefused(() => unsealGooglePayToken(token, options), "mac_invalid");
  });

  it("refuses truncated, non-JSON and incomplete tokens as malformed", () => {
    const token = issue();
    for (const bad of [
      token.slice(0, token.length - 20),
      "",
      "null",
      editToken(token, (t) => delete t.signature),
      editToken(token, (t) => delete t.intermediateSigningKey),
      editToken(token, (t) => {
        t.intermediateSigningKey.signatures = [];
      }),
      editToken(token, (t) => {
        t.signature = "%%%";
      }),
      "x".repeat(70_000),
    ]) {
      assertRefused(() => unsealGooglePayToken(bad, options), "malformed_token");
    }
  });

  it("refuses other protocol versions", () => {
    for (const protocolVersion of ["ECv1", "ECv2SigningOnly", "ECv3"]) {
      const token = editToken(issue(), (t) => {
        t.protocolVersion = protocolVersion;
      });
      assertRefused(() => unsealGooglePayToken(token, options), "unsupported_protocol");
    }
  });

  it("refuses unusable options with configuration codes", () => {
    assertRefused(
      () =>
        unsealGooglePayToken(issue(), { ...options, recipientId: "12345678901234567890" as "merchant:x" }),
      "invalid_configuration",
    );
    assertRefused(
      () => unsealGooglePayToken(issue(), { ...options, merchantPrivateKeysPkcs8Base64: [] }),
      "no_matching_private_key",
    );
  });

  it("verifies ECv2SigningOnly tokens through the internal opener (message in clear)", () => {
    const token = issue({ protocolVersion: "ECv2SigningOnly", messageId: "AH2EjtSigningOnly" });
    const opened = openGooglePayToken(token, { ...options, protocolVersions: ["ECv2SigningOnly"] });
    assert.equal(JSON.parse(opened.plaintext.toString("utf8")).messageId, "AH2EjtSigningOnly");
    const relabelled = editToken(token, (t) => {
      t.protocolVersion = "ECv2";
    });
    assertRefused(
      () => openGooglePayToken(relabelled, { ...options, protocolVersions: ["ECv2"] }),
      "intermediate_signature_invalid",
    );
  });

  it("round-trips any card, and no single-character change yields other data", () => {
    const card = fc.record({
      pan: fc.stringMatching(/^[2-6]\d{11,18}$/),
      expMonth: fc.integer({ min: 1, max: 12 }),
      expYear: fc.integer({ min: 2026, max: 2045 }),
      authMethod: fc.constantFrom("PAN_ONLY" as const, "CRYPTOGRAM_3DS" as const),
      cryptogram: fc.base64String({ minLength: 4, maxLength: 40 }).filter((s) => s.length > 0),
      eci: fc.option(fc.constantFrom("01", "02", "05", "06", "07"), { nil: undefined }),
    });
    fc.assert(
      fc.property(card, fc.nat(), fc.integer({ min: 32, max: 126 }), (c, at, replacement) => {
        const payload: TestCardPayload =
          c.authMethod === "PAN_ONLY"
            ? { pan: c.pan, expMonth: c.expMonth, expYear: c.expYear, authMethod: c.authMethod }
            : { ...c };
        const token = issue({ payload });
        const good = unsealGooglePayToken(token, options);
        assert.equal(good.paymentMethodDetails.pan, c.pan);
        assert.equal(good.paymentMethodDetails.cryptogram, payload.cryptogram);
        assert.equal(good.paymentMethodDetails.eciIndicator, payload.eci);

        const i = at % token.length;
        const mutated = token.slice(0, i) + String.fromCharCode(replacement) + token.slice(i + 1);
        try {
          assert.deepEqual(unsealGooglePayToken(mutated, options), good);
        } catch (error) {
          if (!(error instanceof GooglePayTokenError)) throw error;
        }
      }),
      { numRuns: 40, seed: 20260301 },
    );
  });
});
