import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { isVaultError } from "./errors.ts";
import { addKeyVersion, generateKeySpec, parseVaultKeys, readKeyFile } from "./keyring.ts";

const b64 = (fill: number, size = 32) => Buffer.alloc(size, fill).toString("base64");
const configError = (mustName?: string, mustNotContain?: string) => (error: unknown) =>
  isVaultError(error, "vault_config_error") &&
  (mustName === undefined || error.message.includes(mustName)) &&
  (mustNotContain === undefined || !error.message.includes(mustNotContain));

describe("parseVaultKeys", () => {
  test("reads versions and 32-byte keys, tolerating spaces", () => {
    const keys = parseVaultKeys(` v1:${b64(1)} , v2:${b64(2)}`);
    assert.deepEqual(
      keys.map((k) => k.version),
      ["v1", "v2"],
    );
    assert.ok(keys[1]?.key.equals(Buffer.alloc(32, 2)), "key v2 decoded wrongly");
  });

  test("malformed specs fail with a message naming the version or entry, never the key text", () => {
    const short = b64(7, 16);
    const cases: [string, string, string | undefined][] = [
      ["", "no vault keys", undefined],
      [b64(3), "entry 1", b64(3)],
      [`key1:${b64(3)}`, "entry 1", b64(3)],
      [`v1:${b64(1)},v01:${b64(2)}`, "entry 2", b64(2)],
      [`v1:${b64(1)},v1:${b64(2)}`, "v1 appears more than once", b64(2)],
      [`v1:${b64(1)},v2:${short}`, "key v2 is 16 bytes", short],
      [`v1:${b64(1)},v3:not*base64!`, "key v3 is not base64", "not*base64!"],
    ];
    for (const [value, names, secret] of cases) {
      assert.throws(() => parseVaultKeys(value), configError(names, secret), `case naming '${names}'`);
    }
  });

  test("generateKeySpec makes a parseable single-version spec from the random source", () => {
    const spec = generateKeySpec((size) => Buffer.alloc(size, 9));
    const [only, ...rest] = parseVaultKeys(spec);
    assert.equal(rest.length, 0);
    assert.equal(only?.version, "v1");
    assert.ok(only?.key.equals(Buffer.alloc(32, 9)), "generated key is not the random bytes");
  });
});

describe("key files", () => {
  const dir = mkdtempSync(join(tmpdir(), "payrail-vault-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let fill = 0;
  const random = (size: number) => Buffer.alloc(size, ++fill);
  const now = () => new Date("2026-03-01T12:00:00Z");

  test("addKeyVersion creates v1, then appends v<max+1>, mode 0600, written whole", () => {
    const path = join(dir, "keys.json");
    assert.equal(addKeyVersion(path, random, now), "v1");
    assert.equal(addKeyVersion(path, random, now), "v2");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ["keys.json"], "a temporary file was left behind");
    const keys = readKeyFile(path);
    assert.deepEqual(
      keys.map((k) => [k.version, k.created]),
      [
        ["v1", "2026-03-01T12:00:00.000Z"],
        ["v2", "2026-03-01T12:00:00.000Z"],
      ],
    );
    assert.ok(keys[1]?.key.equals(Buffer.alloc(32, 2)), "v2 is not the random bytes");
    const raw = JSON.parse(readFileSync(path, "utf8"));
    assert.deepEqual(Object.keys(raw), ["keys"]);
  });

  test("the next version follows the highest number, not the last entry", () => {
    const path = join(dir, "gaps.json");
    const body = {
      keys: [
        { version: "v9", key: b64(1) },
        { version: "v3", key: b64(2) },
      ],
    };
    writeFileSync(path, JSON.stringify(body), { mode: 0o600 });
    assert.equal(addKeyVersion(path, random, now), "v10");
  });

  test("bad key files fail without quoting their content", () => {
    const secret = b64(0x41);
    const cases: [string, string][] = [
      [`{"keys":[{"version":"v1","key":"${secret}"}`, "not valid JSON"],
      [`{"key":"${secret}"}`, 'no "keys" array'],
      [`{"keys":[{"version":"one","key":"${secret}"}]}`, "entry 1"],
      [`{"keys":[{"version":"v1","key":"${b64(0x41, 31)}"}]}`, "key v1 is 31 bytes"],
      [`{"keys":[{"version":"v1","key":"${secret}"},{"version":"v1","key":"${secret}"}]}`, "more than once"],
    ];
    cases.forEach(([text, names], index) => {
      const path = join(dir, `bad-${index}.json`);
      writeFileSync(path, text, { mode: 0o600 });
      assert.throws(
        () => readKeyFile(path),
        configError(names, secret.slice(0, 12)),
        `case naming '${names}'`,
      );
    });
    assert.throws(() => readKeyFile(join(dir, "missing.json")), configError("ENOENT"));
  });
});
