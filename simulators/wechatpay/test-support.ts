/**
 * Helpers for the simulator's own tests. Requests are signed, and answers and notifications verified and
 * decrypted, with the wechatpay-axios-plugin package's own Rsa, Aes and Formatter, not the simulator's code.
 */
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Aes, Formatter, Rsa } from "wechatpay-axios-plugin";
import { generatePlatformKeys, type PlatformKeys, type WechatPaySimulator } from "./index.ts";
import {
  MERCHANT_KEY,
  PLATFORM_CERTIFICATE_KEY,
  PLATFORM_PUBLIC_KEY_KEY,
  STRANGER_KEY,
} from "./test-keys.ts";

export const MCHID = "1900000109";
export const APPID = "wxd678efh567hg6787";
export const API_V3_KEY = "0123456789abcdefABCDEFGHIJKLMNOP";

export interface MerchantKeys {
  mchid: string;
  serialNo: string;
  privateKey: KeyObject;
  publicKeyPem: string;
  apiV3Key: string;
}

/** A merchant's API certificate key; `stranger` picks a key the simulator has never been told about. */
export function newMerchantKeys(mchid = MCHID, which: "merchant" | "stranger" = "merchant"): MerchantKeys {
  const privateKey = createPrivateKey(which === "merchant" ? MERCHANT_KEY : STRANGER_KEY);
  const publicKey = createPublicKey(privateKey);
  return {
    mchid,
    serialNo: randomBytes(20).toString("hex").toUpperCase(),
    privateKey,
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    apiV3Key: API_V3_KEY,
  };
}

export function registration(keys: MerchantKeys) {
  return {
    mchid: keys.mchid,
    merchantPublicKeyPem: keys.publicKeyPem,
    merchantSerialNo: keys.serialNo,
    apiV3Key: keys.apiV3Key,
  };
}

/** Platform keys from fixed test keys: RSA generation is the slow part of starting a simulator. */
let sharedKeys: Promise<PlatformKeys> | undefined;
export function platformKeys(): Promise<PlatformKeys> {
  sharedKeys ??= generatePlatformKeys({
    privateKeys: { certificate: PLATFORM_CERTIFICATE_KEY, publicKey: PLATFORM_PUBLIC_KEY_KEY },
  });
  return sharedKeys;
}

export interface ApiResult {
  status: number;
  text: string;
  raw: Buffer;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the wire JSON
  json: any;
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  /** Unix seconds for the Authorization timestamp; the real clock by default. */
  timestamp?: number;
  authorization?: string | null;
  signWith?: KeyObject;
  serialNo?: string;
  /** Sign these instead of what is sent (a tampered request). */
  signedPathAndQuery?: string;
  signedBody?: string;
}

/** A signed API v3 call, built with the official package's Formatter and Rsa. */
export async function call(
  sim: { url: string },
  keys: MerchantKeys,
  method: string,
  pathAndQuery: string,
  options: CallOptions = {},
): Promise<ApiResult> {
  const body = options.rawBody ?? (options.body === undefined ? "" : JSON.stringify(options.body));
  const timestamp = options.timestamp ?? Formatter.timestamp();
  const nonce = Formatter.nonce();
  const signature = Rsa.sign(
    Formatter.request(
      method,
      options.signedPathAndQuery ?? pathAndQuery,
      timestamp,
      nonce,
      options.signedBody ?? body,
    ),
    options.signWith ?? keys.privateKey,
  );
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== "") headers["content-type"] = "application/json";
  const authorization =
    options.authorization === undefined
      ? Formatter.authorization(keys.mchid, nonce, signature, timestamp, options.serialNo ?? keys.serialNo)
      : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const response = await fetch(`${sim.url}${pathAndQuery}`, {
    method,
    headers,
    body: method === "GET" ? undefined : body,
    redirect: "manual",
  });
  const raw = Buffer.from(await response.arrayBuffer());
  const text = raw.toString("utf8");
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, text, raw, headers: response.headers, json };
}

type HeaderSource = Headers | IncomingHttpHeaders;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Verifies Wechatpay-Signature with the official Rsa.verify against the simulator's published keys. */
export function officiallyVerified(sim: WechatPaySimulator, headers: HeaderSource, body: string): boolean {
  const serial = header(headers, "wechatpay-serial");
  const timestamp = header(headers, "wechatpay-timestamp");
  const nonce = header(headers, "wechatpay-nonce");
  const signature = header(headers, "wechatpay-signature");
  if (!serial || !timestamp || !nonce || !signature) return false;
  const publicKeyPem = sim.platformPublicKeys[serial];
  if (!publicKeyPem) return false;
  return Rsa.verify(
    Formatter.response(timestamp, nonce, body),
    signature,
    Rsa.from(publicKeyPem, Rsa.KEY_TYPE_PUBLIC),
  );
}

export interface CastBill {
  rows: Array<Record<string, string>>;
  summary: Record<string, string>;
}

/** The official package's bill parser, typed. */
export function castCsvBill(file: Buffer): CastBill {
  return Formatter.castCsvBill(file) as CastBill;
}

/** Decrypts a notification's resource with the official Aes.AesGcm. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the decrypted JSON
export function officiallyDecrypted(resource: any, apiV3Key = API_V3_KEY): any {
  return JSON.parse(
    Aes.AesGcm.decrypt(resource.ciphertext, apiV3Key, resource.nonce, resource.associated_data),
  );
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the notification JSON
  body: any;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status codes (or "destroy") for the next deliveries; 200 after the script runs out. */
  script(answers: Array<number | "destroy">): void;
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let answers: Array<number | "destroy"> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
      received.push({ path: req.url ?? "/", headers: req.headers, raw, body });
      const answer = answers.shift() ?? 200;
      if (answer === "destroy") {
        req.socket.destroy();
        return;
      }
      res.writeHead(answer, { "content-type": "application/json" });
      res.end(answer === 200 ? "" : JSON.stringify({ code: "FAIL", message: "失败" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script(next) {
      answers = [...next];
    },
    async waitFor(count, timeoutMs = 5000) {
      await waitUntil(() => received.length >= count, timeoutMs, `expected ${count} notifications`);
      return received.slice(0, count);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function uniqueNo(prefix = "T"): string {
  return `${prefix}${randomBytes(8).toString("hex")}`;
}

export function orderBody(overrides: Record<string, unknown> = {}) {
  return {
    appid: APPID,
    mchid: MCHID,
    description: "Image形象店-深圳腾大-QQ公仔",
    out_trade_no: uniqueNo(),
    notify_url: "https://www.weixin.qq.com/wxpay/pay.php",
    amount: { total: 100, currency: "CNY" },
    ...overrides,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitUntil(check: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not met in ${timeoutMs} ms`);
    await sleep(10);
  }
}

/** Pays a Native or H5 order through the cashier page, as a shopper would. */
export async function submitCashier(
  sim: { url: string },
  prepayOrCodeUrl: string,
  action: "approve" | "decline" | "abandon",
  extra: Record<string, string> = {},
): Promise<Response> {
  let prepayId = prepayOrCodeUrl;
  if (prepayOrCodeUrl.startsWith("weixin://")) {
    const scanned = await fetch(`${sim.url}/simulator/scan?code_url=${encodeURIComponent(prepayOrCodeUrl)}`, {
      redirect: "manual",
    });
    const location = scanned.headers.get("location") ?? "";
    prepayId = location.split("/").pop() ?? "";
  }
  return fetch(`${sim.url}/simulator/cashier/${prepayId}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ action, ...extra }).toString(),
    redirect: "manual",
  });
}
