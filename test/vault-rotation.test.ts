import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { cryptoRandom } from "../src/core/ids.ts";
import { createVaultCipher } from "../src/payment-methods/cipher.ts";
import { rewrapVault, vaultKeyUsage } from "../src/payment-methods/rotate.ts";
import { reloadingFileKeyring } from "../src/payment-methods/vault-keys.ts";
import { addKeyVersion } from "../src/vault/keyring.ts";
import { openEndpointSecret } from "../src/webhooks/outbound/secret-box.ts";
import { CARD, startTestServer } from "./support/server.ts";

const BIN = join(import.meta.dirname, "..", "bin", "payrail.mjs");
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "payrail-vault-"));
  dirs.push(dir);
  return dir;
};

function cli(args: string[], dataDir: string) {
  const { DATABASE_URL: _db, PAYRAIL_VAULT_KEYS: _keys, ...base } = process.env;
  const res = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...base, LOG_LEVEL: "error", PAYRAIL_DATA_DIR: dataDir },
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(res.status, 0, res.stderr);
  return JSON.parse(res.stdout);
}

describe("vault key rotation", () => {
  test("payrail vault rotate adds a key version and re-wraps every sealed record; status counts them", () => {
    const dir = tempDir();
    cli(["merchant", "create", "--name", "Rotating shop", "--json"], dir);
    const keyFile = join(dir, "vault-keys.json");
    assert.equal(statSync(keyFile).mode & 0o777, 0o600, "the key file is private");
    const before = cli(["vault", "status", "--json"], dir);
    assert.equal(before.active_version, "v1");
    const sealed = before.records_by_version.v1;
    assert.ok(sealed >= 3, "each default connector account's secrets are sealed");

    const rotated = cli(["vault", "rotate", "--json"], dir);
    assert.equal(rotated.added_version, "v2");
    assert.equal(rotated.activeVersion, "v2");
    assert.equal(rotated.connectorAccounts, sealed);
    const after = cli(["vault", "status", "--json"], dir);
    assert.deepEqual(after.records_by_version, { v2: sealed });

    const again = cli(["vault", "rotate", "--json"], dir);
    assert.equal(again.added_version, "v3");
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  });

  test("online: a running server reads records re-wrapped under a version it had not loaded", async () => {
    const dir = tempDir();
    const keyFile = join(dir, "keys.json");
    const server = await startTestServer({
      isolated: true,
      env: { PAYRAIL_VAULT_KEYS: "", PAYRAIL_VAULT_KEY_FILE: keyFile },
    });
    try {
      const pm = await server.request("POST", "/v1/payment_methods", { body: CARD("4242424242424242") });
      assert.equal(pm.status, 200, pm.text);
      const db = server.payrail.ctx.db;
      const endpoint = await server.request("POST", "/v1/webhook_endpoints", {
        body: { url: "http://127.0.0.1:9/hook", enabled_events: ["*"] },
      });
      assert.equal(endpoint.status, 200, endpoint.text);
      await server.request("GET", "/v1/wallets");
      assert.deepEqual(Object.keys(await vaultKeyUsage(db)), ["v1"]);

      // What `payrail vault rotate` does, from another process's point of view.
      addKeyVersion(keyFile, cryptoRandom);
      const report = await rewrapVault(
        db,
        createVaultCipher(reloadingFileKeyring(keyFile, cryptoRandom), cryptoRandom),
        {
          batchSize: 2,
        },
      );
      assert.ok(report.paymentMethods >= 1);
      assert.deepEqual(Object.keys(await vaultKeyUsage(db)), ["v2"]);
      const resumed = await rewrapVault(
        db,
        createVaultCipher(reloadingFileKeyring(keyFile, cryptoRandom), cryptoRandom),
      );
      const left =
        resumed.paymentMethods +
        resumed.cvcs +
        resumed.connectorAccounts +
        resumed.walletConfigs +
        resumed.webhookEndpoints;
      assert.equal(left, 0, "nothing left to do");
      assert.ok(report.webhookEndpoints >= 1 && report.walletConfigs >= 2 && report.connectorAccounts >= 3);
      const endpointRow = await db
        .selectFrom("webhook_endpoints")
        .selectAll()
        .where("id", "=", endpoint.body.id)
        .executeTakeFirstOrThrow();
      assert.notEqual(endpointRow.secret, endpoint.body.secret, "the signing secret is sealed");
      assert.equal(await openEndpointSecret(server.payrail.ctx, endpointRow), endpoint.body.secret);
      const wallets = await server.request("GET", "/v1/wallets");
      assert.equal(wallets.body.apple_pay.configured, true, "wallet keys open after the re-wrap");

      // The server still holds only v1 in memory: it picks v2 up when a record names it.
      const paid = await server.request("POST", "/v1/payment_intents", {
        body: { amount: 900, currency: "usd", payment_method: pm.body.id, confirm: true },
      });
      assert.equal(paid.body.status, "succeeded", paid.text);
    } finally {
      await server.close();
    }
  });

  test("the key-file keyring switches new records to the new version once it notices the file changed", async () => {
    const keyFile = join(tempDir(), "keys.json");
    addKeyVersion(keyFile, cryptoRandom);
    const keyring = reloadingFileKeyring(keyFile, cryptoRandom, 0);
    assert.equal(keyring.activeVersion(), "v1");
    const cipher = createVaultCipher(keyring, cryptoRandom);
    const old = await cipher.seal(Buffer.from("4242424242424242"), {
      merchantId: "acct_1",
      recordId: "pm_1",
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    addKeyVersion(keyFile, cryptoRandom);
    const fresh = await cipher.seal(Buffer.from("4242424242424242"), {
      merchantId: "acct_1",
      recordId: "pm_2",
    });
    assert.equal(old.keyVersion, "v1");
    assert.equal(fresh.keyVersion, "v2");
    const opened = await cipher.open(old.sealed, { merchantId: "acct_1", recordId: "pm_1" });
    assert.equal(opened.toString(), "4242424242424242");
  });
});
