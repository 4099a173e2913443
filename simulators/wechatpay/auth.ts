/**
 * The merchant's Authorization header: WECHATPAY2-SHA256-RSA2048 with mchid, nonce_str, signature,
 * timestamp and serial_no, the signature SHA256withRSA over "METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n".
 */
import { requestMessage, verifySha256Rsa } from "./crypto.ts";
import { ERRORS } from "./errors.ts";
import type { Merchant, Merchants } from "./merchants.ts";

const SCHEMA = "WECHATPAY2-SHA256-RSA2048";
const MAX_CLOCK_SKEW_SECONDS = 300;
const PARAMETER = /([a-z_]+)="([^"]*)"/g;

export interface Authorization {
  mchid: string;
  nonce: string;
  signature: string;
  timestamp: string;
  serialNo: string;
}

export function parseAuthorization(header: string | undefined): Authorization | null {
  if (!header?.startsWith(`${SCHEMA} `)) return null;
  const values = new Map<string, string>();
  for (const match of header.slice(SCHEMA.length + 1).matchAll(PARAMETER)) {
    values.set(match[1] ?? "", match[2] ?? "");
  }
  const mchid = values.get("mchid");
  const nonce = values.get("nonce_str");
  const signature = values.get("signature");
  const timestamp = values.get("timestamp");
  const serialNo = values.get("serial_no");
  if (!mchid || !nonce || !signature || !timestamp || !serialNo) return null;
  if (!/^\d{1,12}$/.test(timestamp) || nonce.length > 32) return null;
  return { mchid, nonce, signature, timestamp, serialNo };
}

/** The merchant whose key signed this request, or throws the error WeChat answers with. */
export function authenticate(
  merchants: Merchants,
  request: { method: string; pathAndQuery: string; body: string; authorization: string | undefined },
  now: Date,
): Merchant {
  const auth = parseAuthorization(request.authorization);
  if (!auth) throw ERRORS.authorizationFormat();
  const merchant = merchants.get(auth.mchid);
  if (!merchant) throw ERRORS.merchantUnknown();
  if (auth.serialNo.toUpperCase() !== merchant.serialNo.toUpperCase()) throw ERRORS.serialNo();
  if (Math.abs(Math.floor(now.getTime() / 1000) - Number(auth.timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    throw ERRORS.clockSkew();
  }
  const message = requestMessage(
    request.method,
    request.pathAndQuery,
    auth.timestamp,
    auth.nonce,
    request.body,
  );
  if (!verifySha256Rsa(message, auth.signature, merchant.publicKey)) throw ERRORS.signature();
  return merchant;
}
