import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { decodeSealed, encodeSealed, openCard, rewrapKey, type SealedCard, sealCard } from "./envelope.ts";
import { isVaultError, type VaultErrorCode } from "./errors.ts";
import { type KeyEncryptionProvider, localKeyring } from "./kms.ts";

const kek = (fill: number) => Buffer.alloc(32, fill).toString("base64");
const v1Only = localKeyring(`v1:${kek(1)}`);
const v1v2 = localKeyring(`v1:${kek(1)},v2:${kek(2)}`);
const v2Only = localKeyring(`v2:${kek(2)}`);
const aad = { merchantId: "acct_A", recordId: "pm_1" };
const pan = () => Buffer.from("4242424242424242", "ascii");

const failsWith = (code: VaultErrorCode) => (error: unknown) => isVaultError(error, code);

/** Reports a failing property by seed and path only: counterexamples would be card data. */
async function holds<T>(property: fc.IAsyncProperty<T>, runs = 40) {
  const out = await fc.check(property, { numRuns: runs });
  if (out.failed) assert.fail(`property failed (seed ${out.seed}, path ${out.counterexamplePath})`);
}

function tamper(sealed: SealedCard, field: "ciphertext" | "tag" | "nonce" | "wrappedKey"): SealedCard {
  const copy = Buffer.from(sealed[field]);
  copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0x01;
  return { ...sealed, [field]: copy };
}

describe("sealCard / openCard", () => {
  test("round trip, also through encodeSealed / decodeSealed", async () => {
    const sealed = await sealCard(v1Only, pan(), aad);
    assert.equal(sealed.keyVersion, "v1");
    assert.ok(!sealed.ciphertext.equals(pan()), "ciphertext equals plaintext");
    assert.ok((await openCard(v1Only, sealed, aad)).equals(pan()), "opened value differs");
    const text = encodeSealed(sealed);
    assert.match(text, /^[A-Za-z0-9_-]+$/);
    assert.ok((await openCard(v1Only, decodeSealed(text), aad)).equals(pan()), "decoded record differs");
  });

  test("any plaintext round-trips (property)", async () => {
    await holds(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (bytes) => {
        const plaintext = Buffer.from(bytes);
        const opened = await openCard(v1Only, await sealCard(v1Only, plaintext, aad), aad);
        return opened.equals(plaintext);
      }),
    );
  });

  test("with the same random source, sealing replays exactly", async () => {
    let counter = 0;
    const replayable = () => {
      counter = 0;
      return (size: number) => Buffer.alloc(size, ++counter);
    };
    const ring = () => localKeyring(`v1:${kek(1)}`, { random: replayable() });
    const a = encodeSealed(await sealCard(ring(), pan(), aad, replayable()));
    const b = encodeSealed(await sealCard(ring(), pan(), aad, replayable()));
    assert.equal(a, b);
  });

  test("each record gets a fresh data key and nonce", async () => {
    const a = await sealCard(v1Only, pan(), aad);
    const b = await sealCard(v1Only, pan(), aad);
    assert.ok(!a.ciphertext.equals(b.ciphertext), "two seals of one card produced the same ciphertext");
    assert.ok(!a.nonce.equals(b.nonce), "nonce reused");
  });

  test("a record moved to another merchant or record id fails as vault_integrity_error", async () => {
    const sealed = await sealCard(v1Only, pan(), aad);
    for (const other of [
      { merchantId: "acct_B", recordId: "pm_1" },
      { merchantId: "acct_A", recordId: "pm_2" },
    ]) {
      await assert.rejects(openCard(v1Only, sealed, other), failsWith("vault_integrity_error"));
    }
  });

  test("a tampered ciphertext, tag, nonce or wrapped key fails as vault_integrity_error", async () => {
    const sealed = await sealCard(v1Only, pan(), aad);
    for (const field of ["ciphertext", "tag", "nonce", "wrappedKey"] as const) {
      await assert.rejects(
        openCard(v1Only, tamper(sealed, field), aad),
        failsWith("vault_integrity_error"),
        field,
      );
    }
    const shortTag = { ...sealed, tag: sealed.tag.subarray(0, 12) };
    await assert.rejects(openCard(v1Only, shortTag, aad), failsWith("vault_integrity_error"), "short tag");
  });

  test("a key version missing from the keyring is vault_key_unavailable", async () => {
    const sealed = await sealCard(v1Only, pan(), aad);
    await assert.rejects(openCard(v2Only, sealed, aad), failsWith("vault_key_unavailable"));
  });

  test("ids containing the AAD separator are refused", async () => {
    await assert.rejects(sealCard(v1Only, pan(), { merchantId: "acct|A", recordId: "pm_1" }), TypeError);
    await assert.rejects(sealCard(v1Only, pan(), { merchantId: "acct_A", recordId: "" }), TypeError);
  });

  test("the data key is zeroed after sealing and after opening", async () => {
    const handedOut: Buffer[] = [];
    const recording = (size: number) => {
      const bytes = Buffer.alloc(size, 0x77);
      handedOut.push(bytes);
      return bytes;
    };
    const sealed = await sealCard(v1Only, pan(), aad, recording);
    const dataKey = handedOut.find((b) => b.length === 32);
    assert.ok(
      dataKey?.every((byte) => byte === 0),
      "data key still holds key bytes after sealing",
    );

    const unwrapped: Buffer[] = [];
    const spying: KeyEncryptionProvider = {
      ...v1Only,
      unwrap: async (...args) => {
        const key = await v1Only.unwrap(...args);
        unwrapped.push(key);
        return key;
      },
    };
    await openCard(spying, sealed, aad);
    assert.equal(unwrapped.length, 1);
    assert.ok(
      unwrapped[0]?.every((byte) => byte === 0),
      "data key still holds key bytes after opening",
    );
  });
});

describe("rewrapKey", () => {
  test("moves the data key to the active version; the ciphertext is untouched", async () => {
    const sealed = await sealCard(v1Only, pan(), aad);
    const moved = await rewrapKey(v1v2, sealed, aad);
    assert.equal(moved.keyVersion, "v2");
    const rewrapped: SealedCard = { ...sealed, ...moved };
    assert.ok((await openCard(v1v2, rewrapped, aad)).equals(pan()), "opens with both versions");
    assert.ok((await openCard(v2Only, rewrapped, aad)).equals(pan()), "opens once v1 is retired");
    await assert.rejects(openCard(v2Only, sealed, aad), failsWith("vault_key_unavailable"));
  });

  test("rewrapping checks the AAD and the version like opening does", async () => {
    const sealed = await sealCard(v1Only, pan(), aad);
    await assert.rejects(
      rewrapKey(v1v2, sealed, { ...aad, recordId: "pm_9" }),
      failsWith("vault_integrity_error"),
    );
    await assert.rejects(rewrapKey(v2Only, sealed, aad), failsWith("vault_key_unavailable"));
  });
});

describe("encodeSealed / decodeSealed", () => {
  const arbitrarySealed = fc.record({
    keyVersion: fc.integer({ min: 0, max: 999_999 }).map((n) => `v${n}`),
    wrappedKey: fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)),
    nonce: fc.uint8Array({ minLength: 12, maxLength: 12 }).map((b) => Buffer.from(b)),
    ciphertext: fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b)),
    tag: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b)),
  });

  test("decode inverts encode (property)", async () => {
    await holds(
      fc.asyncProperty(arbitrarySealed, async (sealed) => {
        const back = decodeSealed(encodeSealed(sealed));
        return (
          back.keyVersion === sealed.keyVersion &&
          back.wrappedKey.equals(sealed.wrappedKey) &&
          back.nonce.equals(sealed.nonce) &&
          back.ciphertext.equals(sealed.ciphertext) &&
          back.tag.equals(sealed.tag)
        );
      }),
      100,
    );
  });

  test("text that is not a format-1 record is vault_format_error", async () => {
    const good = encodeSealed(await sealCard(v1Only, pan(), aad));
    const bytes = Buffer.from(good, "base64url");
    const otherFormat = Buffer.from(bytes);
    otherFormat[0] = 2;
    for (const [label, text] of [
      ["empty", ""],
      ["not base64url", `${good.slice(0, 10)}+/=`],
      ["unknown format", otherFormat.toString("base64url")],
      ["truncated", bytes.subarray(0, 20).toString("base64url")],
      ["empty key version", Buffer.from([1, 0, 0, 0]).toString("base64url")],
    ] as const) {
      assert.throws(() => decodeSealed(text), failsWith("vault_format_error"), label);
    }
  });
});
