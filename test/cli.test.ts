import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";

const BIN = join(import.meta.dirname, "..", "bin", "payrail.mjs");
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "payrail-cli-"));
  dirs.push(dir);
  return dir;
}

function cli(args: string[], env: Record<string, string | undefined>) {
  const { DATABASE_URL: _ignored, ...base } = process.env;
  return spawnSync(process.execPath, [BIN, ...args], {
    env: { ...base, LOG_LEVEL: "warn", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

const KEYS = {
  merchant_id: /^acct_/,
  secret_key: /^sk_test_[0-9A-Za-z]{30,}$/,
  publishable_key: /^pk_test_[0-9A-Za-z]{30,}$/,
  live_secret_key: /^sk_live_[0-9A-Za-z]{30,}$/,
  live_publishable_key: /^pk_live_[0-9A-Za-z]{30,}$/,
};

describe("payrail CLI", () => {
  test("merchant create --json on the embedded database prints the keys once", () => {
    const dir = tempDir();
    const res = cli(["merchant", "create", "--name", "Shop", "--json"], { PAYRAIL_DATA_DIR: dir });
    assert.equal(res.status, 0, res.stderr);
    const out = JSON.parse(res.stdout);
    assert.deepEqual(Object.keys(out).sort(), Object.keys(KEYS).sort());
    for (const [key, pattern] of Object.entries(KEYS)) assert.match(out[key], pattern);
    const human = cli(["merchant", "create", "--name", "Other"], { PAYRAIL_DATA_DIR: dir });
    assert.equal(human.status, 0, human.stderr);
    assert.match(human.stdout, /shown only now/);
  });

  test("merchant create works on PostgreSQL", {
    skip: process.env.DATABASE_URL ? false : "set DATABASE_URL to run against PostgreSQL",
  }, () => {
    const res = cli(["merchant", "create", "--name", "PG shop", "--json"], {
      DATABASE_URL: process.env.DATABASE_URL,
    });
    assert.equal(res.status, 0, res.stderr);
    assert.match(JSON.parse(res.stdout).secret_key, KEYS.secret_key);
  });

  test("the embedded folder held by a running server is refused with a clear message", async () => {
    const dir = tempDir();
    const server = spawn(process.execPath, [BIN, "serve"], {
      env: { ...process.env, DATABASE_URL: "", PAYRAIL_DATA_DIR: dir, PORT: "0", LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = "";
        server.stdout.on("data", (chunk) => {
          out += chunk;
          if (out.includes("Payrail is running")) resolve();
        });
        server.once("exit", (code) => reject(new Error(`server exited ${code}`)));
      });
      const res = cli(["merchant", "create", "--name", "Shop"], { PAYRAIL_DATA_DIR: dir });
      assert.equal(res.status, 1);
      assert.match(res.stderr, /in use by process \d+/);
    } finally {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
    }
    const afterStop = cli(["merchant", "create", "--name", "Shop"], { PAYRAIL_DATA_DIR: dir });
    assert.equal(afterStop.status, 0, afterStop.stderr);
  });

  test("a bad configuration value stops start-up naming the variable", () => {
    const res = cli(["migrate"], {
      PAYRAIL_DATA_DIR: tempDir(),
      PORT: "eighty",
      PAYRAIL_WEBHOOK_RETRY_SCHEDULE: "1m,soon",
    });
    assert.equal(res.status, 1);
    assert.match(res.stderr, /PORT/);
    assert.match(res.stderr, /PAYRAIL_WEBHOOK_RETRY_SCHEDULE: 'soon' is not a duration/);
  });

  test("ledger verify reports a consistent ledger and exits 0", () => {
    const res = cli(["ledger", "verify"], { PAYRAIL_DATA_DIR: tempDir() });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /OK/);
    const json = cli(["ledger", "verify", "--json"], { PAYRAIL_DATA_DIR: tempDir() });
    assert.equal(JSON.parse(json.stdout).ok, true);
  });

  test("migrate, help, and unknown commands", () => {
    const dir = tempDir();
    assert.equal(cli(["migrate"], { PAYRAIL_DATA_DIR: dir }).status, 0);
    const help = cli(["help"], {});
    assert.equal(help.status, 0);
    assert.match(help.stdout, /merchant create/);
    assert.equal(cli(["frobnicate"], {}).status, 1);
    assert.equal(cli(["merchant", "create"], { PAYRAIL_DATA_DIR: dir }).status, 1);
  });
});
