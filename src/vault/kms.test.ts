import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inspect } from "node:util";
import { isVaultError } from "./errors.ts";
import { localKeyring } from "./kms.ts";

const key = (fill: number) => Buffer.alloc(32, fill);
const spec = (...versions: [string, number][]) =>
  versions.map(([v, fill]) => `${v}:${key(fill).toString("base64")}`).join(",");
const aad = Buffer.from("payrail-vault:v1|acct_1|pm_1");

describe("localKeyring", () => {
  test("the highest version is active; versions are listed in order", () => {
    const ring = localKeyring(spec(["v2", 2], ["v10", 10], ["v9", 9]));
    assert.equal(ring.activeVersion(), "v10");
    assert.deepEqual(ring.versions(), ["v2", "v9", "v10"]);
  });

  test("wrap then unwrap returns the data key; wrapped is nonce || ciphertext || tag", async () => {
    const ring = localKeyring(spec(["v1", 1]));
    const dataKey = Buffer.alloc(32, 7);
    const { version, wrapped } = await ring.wrap(dataKey, aad);
    assert.equal(version, "v1");
    assert.equal(wrapped.length, 12 + 32 + 16);
    assert.ok((await ring.unwrap(wrapped, "v1", aad)).equals(dataKey), "unwrapped key differs");
  });

  test("nonces come from the injected random source, so a run replays exactly", async () => {
    const fixed = (size: number) => Buffer.alloc(size, 0xab);
    const a = await localKeyring(spec(["v1", 1]), { random: fixed }).wrap(key(5), aad);
    const b = await localKeyring(spec(["v1", 1]), { random: fixed }).wrap(key(5), aad);
    assert.ok(a.wrapped.equals(b.wrapped), "same inputs gave different wrapped keys");
    assert.ok(a.wrapped.subarray(0, 12).equals(Buffer.alloc(12, 0xab)), "nonce is not the random bytes");
  });

  test("another AAD, a flipped bit or a truncated value fails as vault_integrity_error", async () => {
    const ring = localKeyring(spec(["v1", 1]));
    const { wrapped } = await ring.wrap(key(3), aad);
    const flipped = (at: number) => {
      const copy = Buffer.from(wrapped);
      copy[at] = (copy[at] as number) ^ 1;
      return copy;
    };
    for (const [label, value, ad] of [
      ["other aad", wrapped, Buffer.from("payrail-vault:v1|acct_2|pm_1")],
      ["nonce bit", flipped(0), aad],
      ["ciphertext bit", flipped(20), aad],
      ["tag bit", flipped(wrapped.length - 1), aad],
      ["truncated", wrapped.subarray(0, 28), aad],
    ] as const) {
      await assert.rejects(
        ring.unwrap(value, "v1", ad),
        (e) => isVaultError(e, "vault_integrity_error"),
        label,
      );
    }
  });

  test("a key under another version of the same ring does not open", async () => {
    const ring = localKeyring(spec(["v1", 1], ["v2", 2]));
    const { wrapped } = await ring.wrap(key(3), aad);
    await assert.rejects(ring.unwrap(wrapped, "v1", aad), (e) => isVaultError(e, "vault_integrity_error"));
  });

  test("an unknown version is vault_key_unavailable and names the version", async () => {
    const ring = localKeyring(spec(["v1", 1]));
    await assert.rejects(
      ring.unwrap(Buffer.alloc(60), "v7", aad),
      (e) => isVaultError(e, "vault_key_unavailable") && e.message.includes("v7"),
    );
  });

  test("the provider shows no key bytes when inspected or serialized", () => {
    const secret = key(0x5a);
    const ring = localKeyring(spec(["v1", 0x5a]));
    const shown = `${inspect(ring, { depth: 10, showHidden: true })}${JSON.stringify(ring)}`;
    assert.ok(!shown.includes(secret.toString("base64")), "key bytes visible");
    assert.ok(!shown.includes(secret.toString("hex")), "key bytes visible");
  });

  test("the provider keeps its own copy of the keys", async () => {
    const material = [{ version: "v1", key: key(4) }];
    const ring = localKeyring(material);
    const { wrapped } = await ring.wrap(key(9), aad);
    material[0]?.key.fill(0);
    assert.ok(
      (await ring.unwrap(wrapped, "v1", aad)).equals(key(9)),
      "zeroing the caller's key broke the ring",
    );
  });

  test("bad key material is refused", () => {
    assert.throws(
      () => localKeyring([{ version: "v1", key: Buffer.alloc(16) }]),
      (e) => isVaultError(e, "vault_config_error"),
    );
    assert.throws(
      () => localKeyring([]),
      (e) => isVaultError(e, "vault_config_error"),
    );
  });
});
