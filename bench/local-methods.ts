/**
 * Local methods: provider notifications verified and processed per second, for Alipay (RSA2 over the
 * sorted form) and WeChat Pay (SHA256withRSA over the headers and body, then AES-256-GCM decryption).
 * Payrail runs as `payrail serve` on PostgreSQL; the Alipay and WeChat Pay simulators run in this process
 * with keys the bench knows, so it can sign one notification per payment as the provider does. Each
 * payment is first created through the API (the simulator makes the order); then every notification is
 * posted, `BENCH_CONNECTIONS` at a time. "Processed" is measured until every intent is `succeeded`.
 * Floor: the connector's own verification of the same notifications, one core, no HTTP, no database.
 *
 * Env: DATABASE_URL (a PostgreSQL server where a scratch database may be created), BENCH_NOTIFICATIONS
 * (per provider, default 2000), BENCH_CONNECTIONS (default 16).
 */
import type { ChildProcess } from "node:child_process";
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { encodeForm } from "../simulators/alipay/form.ts";
import { type AlipaySimulator, startAlipaySimulator } from "../simulators/alipay/index.ts";
import { signOutgoing } from "../simulators/alipay/signing.ts";
import { aesGcmEncrypt, responseMessage, signSha256Rsa } from "../simulators/wechatpay/crypto.ts";
import {
  generatePlatformKeys,
  type PlatformKeys,
  startWechatPaySimulator,
  type WechatPaySimulator,
} from "../simulators/wechatpay/index.ts";
import { createAlipayConnector } from "../src/connectors/alipay/index.ts";
import type { ConnectorAccount, InboundWebhook } from "../src/connectors/contract.ts";
import { createWechatPayConnector } from "../src/connectors/wechatpay/index.ts";
import { freePort, freshDatabase, payrailCli, spawnPayrail, stopAll, waitFor } from "./support.ts";

const COUNT = Number(process.env.BENCH_NOTIFICATIONS ?? 2000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const AMOUNT = 1288; // fen
const AMOUNT_YUAN = "12.88"; // as Alipay writes it

const log = (message: string) => process.stderr.write(`[bench local-methods] ${message}\n`);
const round = (n: number, digits = 2) => Number(n.toFixed(digits));

interface Api {
  base: string;
  key: string;
}

async function call(api: Api, method: string, path: string, body?: unknown) {
  const res = await fetch(`${api.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${api.key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Runs `task(i)` for i < count, `width` at a time; the latency of each in milliseconds. */
async function pool(count: number, width: number, task: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        const started = performance.now();
        await task(i);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

function percentile(sorted: number[], p: number): number {
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
}

const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join("");
const pem = (key: { export(o: object): string | Buffer }, type: "pkcs8" | "spki") =>
  key.export({ type, format: "pem" }).toString();

/** An Alipay app at the simulator, its Payrail connector account, and how Alipay signs for it. */
async function alipayMerchant(api: Api, sim: AlipaySimulator, alipayKeyPem: string) {
  const app = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const config = {
    app_id: `2021${digits(12)}`,
    app_private_key: pem(app.privateKey, "pkcs8"),
    alipay_public_key: sim.alipayPublicKeyPem,
    seller_id: `2088${digits(12)}`,
  };
  sim.registerApp({
    appId: config.app_id,
    appPublicKeyPem: pem(app.publicKey, "spki"),
    sellerId: config.seller_id,
  });
  const created = await call(api, "POST", "/v1/connector_accounts", { connector: "alipay", config });
  if (created.status !== 200)
    throw new Error(`alipay account: HTTP ${created.status} ${JSON.stringify(created.json)}`);
  return { id: created.json.id as string, config, alipayKey: createPrivateKey(alipayKeyPem) };
}

/** A WeChat Pay merchant at the simulator and its connector account. */
async function wechatMerchant(api: Api, sim: WechatPaySimulator, keys: PlatformKeys) {
  const merchant = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const config = {
    mchid: `1${digits(9)}`,
    appid: `wx${randomBytes(8).toString("hex")}`,
    merchant_serial_no: randomBytes(20).toString("hex").toUpperCase(),
    merchant_private_key: pem(merchant.privateKey, "pkcs8"),
    api_v3_key: randomBytes(16).toString("hex"),
    platform_certificates: [keys.certificate.certificatePem],
    wechatpay_public_key_id: keys.publicKey.keyId,
    wechatpay_public_key: keys.publicKey.publicKeyPem,
  };
  sim.registerMerchant({
    mchid: config.mchid,
    merchantPublicKeyPem: pem(merchant.publicKey, "spki"),
    merchantSerialNo: config.merchant_serial_no,
    apiV3Key: config.api_v3_key,
    appIds: [config.appid],
  });
  const created = await call(api, "POST", "/v1/connector_accounts", { connector: "wechat_pay", config });
  if (created.status !== 200)
    throw new Error(`wechat account: HTTP ${created.status} ${JSON.stringify(created.json)}`);
  return { id: created.json.id as string, config };
}

/** COUNT payments waiting on the shopper (the simulator holds their orders); their intent ids. */
async function waitingPayments(api: Api, account: string, type: "alipay" | "wechat_pay") {
  const ids: string[] = [];
  await pool(COUNT, CONNECTIONS, async () => {
    const { status, json } = await call(api, "POST", "/v1/payment_intents", {
      amount: AMOUNT,
      currency: "cny",
      confirm: true,
      connector_account: account,
      payment_method_data: { type, channel: "qr" },
    });
    if (status !== 200 || json.status !== "requires_action") {
      throw new Error(`${type} payment: HTTP ${status}, ${JSON.stringify(json).slice(0, 300)}`);
    }
    ids.push(json.id as string);
  });
  return ids;
}

const beijing = (date: Date) =>
  new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");

function alipayNotification(
  merchant: Awaited<ReturnType<typeof alipayMerchant>>,
  intentId: string,
): InboundWebhook {
  const now = new Date();
  const params = signOutgoing(
    {
      notify_time: beijing(now),
      notify_type: "trade_status_sync",
      notify_id: randomUUID().replaceAll("-", ""),
      charset: "utf-8",
      version: "1.0",
      sign_type: "RSA2",
      app_id: merchant.config.app_id,
      auth_app_id: merchant.config.app_id,
      trade_no: `2026${digits(24)}`,
      out_trade_no: `${intentId}_a1`,
      trade_status: "TRADE_SUCCESS",
      total_amount: AMOUNT_YUAN,
      receipt_amount: AMOUNT_YUAN,
      subject: `Payment ${intentId}`,
      seller_id: merchant.config.seller_id,
      buyer_id: `2088${digits(12)}`,
      gmt_create: beijing(now),
      gmt_payment: beijing(now),
    },
    merchant.alipayKey,
  );
  return {
    rawBody: Buffer.from(encodeForm(params)),
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
  };
}

function wechatNotification(
  merchant: Awaited<ReturnType<typeof wechatMerchant>>,
  keys: PlatformKeys,
  intentId: string,
): InboundWebhook {
  const now = new Date();
  const nonce = randomBytes(6).toString("hex");
  const resource = {
    appid: merchant.config.appid,
    mchid: merchant.config.mchid,
    out_trade_no: `${intentId}_a1`,
    transaction_id: `4200${digits(24)}`,
    trade_type: "NATIVE",
    trade_state: "SUCCESS",
    trade_state_desc: "支付成功",
    bank_type: "OTHERS",
    attach: "",
    success_time: now.toISOString().replace(/\.\d{3}Z$/, "+00:00"),
    payer: { openid: `o${randomBytes(14).toString("base64url")}` },
    amount: { total: AMOUNT, payer_total: AMOUNT, currency: "CNY", payer_currency: "CNY" },
  };
  const body = JSON.stringify({
    id: randomUUID(),
    create_time: now.toISOString().replace(/\.\d{3}Z$/, "+00:00"),
    resource_type: "encrypt-resource",
    event_type: "TRANSACTION.SUCCESS",
    summary: "支付成功",
    resource: {
      original_type: "transaction",
      algorithm: "AEAD_AES_256_GCM",
      ciphertext: aesGcmEncrypt(merchant.config.api_v3_key, nonce, "transaction", JSON.stringify(resource)),
      associated_data: "transaction",
      nonce,
    },
  });
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const headerNonce = randomBytes(16).toString("hex");
  return {
    rawBody: Buffer.from(body),
    headers: {
      "content-type": "application/json",
      "wechatpay-timestamp": timestamp,
      "wechatpay-nonce": headerNonce,
      "wechatpay-signature": signSha256Rsa(
        responseMessage(timestamp, headerNonce, body),
        keys.certificate.privateKey,
      ),
      "wechatpay-serial": keys.certificate.serialNo,
      "wechatpay-signature-type": "WECHATPAY2-SHA256-RSA2048",
    },
  };
}

/** The connector's verification alone, back to back on this core: the floor. */
async function verificationRate(
  verify: (webhook: InboundWebhook) => Promise<{ ok: boolean }>,
  notifications: InboundWebhook[],
) {
  for (const webhook of notifications.slice(0, 100)) await verify(webhook); // warm-up
  const started = performance.now();
  for (const webhook of notifications) {
    const verdict = await verify(webhook);
    if (!verdict.ok) throw new Error("the bench's own notification did not verify");
  }
  return Math.round((notifications.length * 1000) / (performance.now() - started));
}

/** Posts every notification and waits until every intent has succeeded. */
async function deliver(
  api: Api,
  dbUrl: string,
  path: string,
  notifications: InboundWebhook[],
  ids: string[],
) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const started = performance.now();
    const latencies = await pool(notifications.length, CONNECTIONS, async (i) => {
      const webhook = notifications[i] as InboundWebhook;
      const res = await fetch(`${api.base}${path}`, {
        method: "POST",
        headers: webhook.headers,
        body: new Uint8Array(webhook.rawBody),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`notification answered HTTP ${res.status}`);
    });
    const acked = performance.now();
    let succeeded = 0;
    while (succeeded < ids.length) {
      const { rows } = await client.query(
        "select count(*)::int as n from payment_intents where id = any($1) and status = 'succeeded'",
        [ids],
      );
      succeeded = rows[0].n as number;
      if (performance.now() - started > 300_000)
        throw new Error(`only ${succeeded} of ${ids.length} succeeded`);
      if (succeeded < ids.length) await new Promise((r) => setTimeout(r, 20));
    }
    const processed = performance.now();
    latencies.sort((a, b) => a - b);
    return {
      notifications: notifications.length,
      acknowledged_per_second: Math.round((notifications.length * 1000) / (acked - started)),
      processed_per_second: Math.round((notifications.length * 1000) / (processed - started)),
      ack_p50_ms: percentile(latencies, 50),
      ack_p99_ms: percentile(latencies, 99),
    };
  } finally {
    await client.end();
  }
}

export async function run() {
  const db = await freshDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), "payrail-bench-local-"));
  const children: ChildProcess[] = [];
  const alipayKeyPem = pem(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey, "pkcs8");
  const platformKeys = await generatePlatformKeys();
  const alipay = await startAlipaySimulator({ logger: false, alipayPrivateKeyPem: alipayKeyPem });
  const wechat = await startWechatPaySimulator({ logger: false, platformKeys });
  try {
    const env = {
      DATABASE_URL: db.url,
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
      PAYRAIL_DATA_DIR: dataDir,
      PAYRAIL_VAULT_KEYS: `v1:${randomBytes(32).toString("base64")}`,
    };
    payrailCli(["migrate"], env);
    const merchant = JSON.parse(
      payrailCli(["merchant", "create", "--name", "Local methods bench", "--json"], env),
    );
    const port = await freePort();
    const server = spawnPayrail(["serve"], {
      ...env,
      PORT: String(port),
      DATABASE_POOL_SIZE: String(CONNECTIONS + 4),
      PAYRAIL_ALIPAY_URL: alipay.url,
      PAYRAIL_WECHATPAY_URL: wechat.url,
    });
    children.push(server);
    await waitFor(`http://127.0.0.1:${port}/readyz`, 60_000);
    const api: Api = { base: `http://127.0.0.1:${port}`, key: merchant.secret_key };

    const alipayAccount = await alipayMerchant(api, alipay, alipayKeyPem);
    const wechatAccount = await wechatMerchant(api, wechat, platformKeys);
    log(`creating ${COUNT} Alipay and ${COUNT} WeChat Pay payments waiting on the shopper`);
    const alipayIds = await waitingPayments(api, alipayAccount.id, "alipay");
    const wechatIds = await waitingPayments(api, wechatAccount.id, "wechat_pay");

    const alipayNotifications = alipayIds.map((id) => alipayNotification(alipayAccount, id));
    const wechatNotifications = wechatIds.map((id) => wechatNotification(wechatAccount, platformKeys, id));

    const account = (id: string, connector: string, config: Record<string, unknown>): ConnectorAccount => ({
      id,
      merchantId: merchant.merchant_id,
      livemode: false,
      connector,
      config,
    });
    const alipayConnector = createAlipayConnector({ baseUrl: () => alipay.url });
    const wechatConnector = createWechatPayConnector({ baseUrl: () => wechat.url });
    const alipayFloor = await verificationRate(
      (webhook) =>
        alipayConnector.verifyWebhook(
          account(alipayAccount.id, "alipay", alipayAccount.config),
          webhook,
          new Date(),
        ),
      alipayNotifications,
    );
    const wechatFloor = await verificationRate(
      (webhook) =>
        wechatConnector.verifyWebhook(
          account(wechatAccount.id, "wechat_pay", wechatAccount.config),
          webhook,
          new Date(),
        ),
      wechatNotifications,
    );
    log(`raw verification: alipay ${alipayFloor}/s, wechat ${wechatFloor}/s`);

    const alipayResult = await deliver(
      api,
      db.url,
      `/v1/hooks/alipay/${alipayAccount.id}`,
      alipayNotifications,
      alipayIds,
    );
    log(`alipay: ${JSON.stringify(alipayResult)}`);
    const wechatResult = await deliver(
      api,
      db.url,
      `/v1/hooks/wechat_pay/${wechatAccount.id}`,
      wechatNotifications,
      wechatIds,
    );
    log(`wechat: ${JSON.stringify(wechatResult)}`);

    const figures = {
      bench: "local-methods",
      connections: CONNECTIONS,
      alipay: { ...alipayResult, raw_verify_per_second: alipayFloor },
      wechat_pay: { ...wechatResult, raw_verify_per_second: wechatFloor },
      alipay_processed_vs_raw_verify: round(alipayResult.processed_per_second / alipayFloor, 3),
      wechat_processed_vs_raw_verify: round(wechatResult.processed_per_second / wechatFloor, 3),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return figures;
  } finally {
    await stopAll(children);
    await alipay.close();
    await wechat.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
