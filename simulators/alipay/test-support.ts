/** Helpers for the simulator's own tests: an app key pair, the official SDK, a notification receiver. */
import { createPrivateKey, createSign, generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inflateRawSync } from "node:zlib";
import { AlipaySdk } from "alipay-sdk";
import iconv from "iconv-lite";
import { type AlipaySimulator, type AlipaySimulatorOptions, startAlipaySimulator } from "./index.ts";

const appKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
export const APP_PRIVATE_KEY_PEM = appKeys.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
export const APP_PUBLIC_KEY_PEM = appKeys.publicKey.export({ type: "spki", format: "pem" }).toString();
export const APP_ID = "2021000000000001";
/** One simulator key per test process: RSA key generation is slow on a loaded machine. */
const ALIPAY_PRIVATE_KEY_PEM = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();
export const SELLER_ID = "2088000000000001";

export interface Harness {
  sim: AlipaySimulator;
  sdk: AlipaySdk;
}

export async function startHarness(options: AlipaySimulatorOptions = {}): Promise<Harness> {
  const sim = await startAlipaySimulator({ alipayPrivateKeyPem: ALIPAY_PRIVATE_KEY_PEM, ...options });
  sim.registerApp({ appId: APP_ID, appPublicKeyPem: APP_PUBLIC_KEY_PEM, sellerId: SELLER_ID });
  const sdk = new AlipaySdk({
    appId: APP_ID,
    privateKey: APP_PRIVATE_KEY_PEM,
    alipayPublicKey: sim.alipayPublicKeyPem,
    gateway: sim.gateway,
    endpoint: sim.url,
    camelcase: false,
  });
  return { sim, sdk };
}

export function uniqueRef(prefix = "order"): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

/** A mutable clock for tests that move time (expiry, bill dates). */
export function manualClock(start = "2024-03-01T02:00:00Z") {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
  };
}

export async function eventually<T>(probe: () => T | undefined | null | false, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface ReceivedNotification {
  raw: string;
  params: Record<string, string>;
}

/** A merchant notify endpoint; `answer` decides each reply (default: the plain body `success`). */
export async function startReceiver(answer: (n: number) => { status: number; body: string } = () => ok) {
  const received: ReceivedNotification[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({ raw, params: Object.fromEntries(new URLSearchParams(raw)) });
      const reply = answer(received.length);
      res.writeHead(reply.status, { "content-type": "text/plain" }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alipay/notify`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
const ok = { status: 200, body: "success" };

/** Signs gateway parameters by hand (the documented rule), for requests the SDK would not send. */
export function signByHand(params: Record<string, string>, privateKeyPem = APP_PRIVATE_KEY_PEM) {
  const content = Object.keys(params)
    .filter((key) => key !== "sign" && params[key] !== "")
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("&");
  const sign = createSign("RSA-SHA256")
    .update(content, "utf8")
    .sign(createPrivateKey(privateKeyPem), "base64");
  return { ...params, sign };
}

export function commonParams(method: string, biz: object, extra: Record<string, string> = {}) {
  return {
    app_id: APP_ID,
    method,
    format: "JSON",
    charset: "utf-8",
    sign_type: "RSA2",
    timestamp: "2024-03-01 10:00:00",
    version: "1.0",
    biz_content: JSON.stringify(biz),
    ...extra,
  };
}

export async function postGateway(sim: AlipaySimulator, params: Record<string, string>) {
  const response = await fetch(sim.gateway, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8" },
    body: new URLSearchParams(params).toString(),
    redirect: "manual",
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Follows page.pay's redirect to the cashier, opens it and submits the shopper's choice. */
export async function shopperActs(cashierUrl: string, action: "pay" | "fail" | "abandon") {
  const opened = await fetch(cashierUrl);
  await opened.text();
  const response = await fetch(cashierUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `action=${action}`,
    redirect: "manual",
  });
  return { status: response.status, location: response.headers.get("location"), text: await response.text() };
}

/** Reads a ZIP archive's entries, names decoded as GBK (Alipay sets no UTF-8 flag). */
export function readZip(archive: Buffer): Array<{ name: string; data: Buffer }> {
  const endAt = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error("not a zip archive");
  const out: Array<{ name: string; data: Buffer }> = [];
  let at = archive.readUInt32LE(endAt + 16);
  for (let i = 0; i < archive.readUInt16LE(endAt + 10); i++) {
    const nameLength = archive.readUInt16LE(at + 28);
    const size = archive.readUInt32LE(at + 20);
    const localAt = archive.readUInt32LE(at + 42);
    const dataAt = localAt + 30 + archive.readUInt16LE(localAt + 26) + archive.readUInt16LE(localAt + 28);
    out.push({
      name: iconv.decode(archive.subarray(at + 46, at + 46 + nameLength), "gbk"),
      data: inflateRawSync(archive.subarray(dataAt, dataAt + size)),
    });
    at += 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
  }
  return out;
}

/** Precreates a QR order, lets the buyer scan it and pay; answers the trade_no Alipay assigned. */
export async function paidTrade(h: Harness, amount: string, notifyUrl?: string, outTradeNo = uniqueRef()) {
  const created = await h.sdk.exec("alipay.trade.precreate", {
    bizContent: { out_trade_no: outTradeNo, total_amount: amount, subject: "paid order" },
    ...(notifyUrl ? { notifyUrl } : {}),
  });
  if (created.code !== "10000") throw new Error(`precreate failed: ${created.sub_code}`);
  const paid = await shopperActs(String(created.qr_code).replace("/qr/", "/cashier/"), "pay");
  if (paid.status !== 200) throw new Error(`payment failed: ${paid.status}`);
  return { outTradeNo, tradeNo: h.sim.trade(APP_ID, outTradeNo)!.tradeNo! };
}
