/**
 * Calls to Alipay's OpenAPI gateway (v1, RSA2), signed with the app's private key. Nothing here decides
 * what an answer means beyond response.ts: every call that does not come back with a readable, verified
 * answer (network error, timeout, 5xx) is `unknown`, never thrown.
 */
import { beijingDateTime } from "./amounts.ts";
import type { AlipayKeys } from "./config.ts";
import { encodeForm } from "./form.ts";
import { type GatewayAnswer, readGatewayAnswer } from "./response.ts";
import { signRequest } from "./signing.ts";

export interface AlipayConnection {
  /** `<base>/gateway.do` */
  gateway: string;
  appId: string;
  keys: AlipayKeys;
  timeoutMs: number;
}

/** Common parameters that go in the gateway URL (as alipay-sdk sends them); the rest goes in the body. */
const URL_PARAMS = new Set([
  "app_id",
  "method",
  "format",
  "charset",
  "sign_type",
  "sign",
  "timestamp",
  "version",
  "notify_url",
  "return_url",
]);

/** Extra common parameters (notify_url, return_url); empty ones are left out. */
export type CommonExtras = Record<string, string | undefined>;

export function signedParams(
  c: AlipayConnection,
  method: string,
  biz: object,
  extras: CommonExtras = {},
  now = new Date(),
): Record<string, string> {
  const params: Record<string, string> = {
    app_id: c.appId,
    method,
    format: "JSON",
    charset: "utf-8",
    sign_type: "RSA2",
    timestamp: beijingDateTime(now),
    version: "1.0",
  };
  for (const [key, value] of Object.entries(extras)) if (value) params[key] = value;
  params.biz_content = JSON.stringify(biz);
  return signRequest(params, c.keys.appPrivateKey);
}

/** A page method (page.pay, wap.pay) as the URL the shopper's browser opens. */
export function pageUrl(c: AlipayConnection, method: string, biz: object, extras?: CommonExtras): string {
  return `${c.gateway}?${encodeForm(signedParams(c, method, biz, extras))}`;
}

/** app.pay as the order string the Alipay app SDK's payV2 takes. */
export function orderString(c: AlipayConnection, method: string, biz: object, extras?: CommonExtras): string {
  return encodeForm(signedParams(c, method, biz, extras));
}

function failureReason(error: unknown): string {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")
    ? "timeout"
    : "network_error";
}

export async function callGateway(
  c: AlipayConnection,
  method: string,
  biz: object,
  extras?: CommonExtras,
): Promise<GatewayAnswer> {
  const params = signedParams(c, method, biz, extras);
  const inUrl: Record<string, string> = {};
  const inBody: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) (URL_PARAMS.has(key) ? inUrl : inBody)[key] = value;
  let text: string;
  try {
    const response = await fetch(`${c.gateway}?${encodeForm(inUrl)}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded;charset=utf-8",
        accept: "application/json",
      },
      body: encodeForm(inBody),
      redirect: "manual",
      signal: AbortSignal.timeout(c.timeoutMs),
    });
    text = await response.text();
    if (response.status !== 200) return { kind: "unknown", reason: `http_${response.status}` };
  } catch (error) {
    return { kind: "unknown", reason: failureReason(error) };
  }
  return readGatewayAnswer(text, method, c.keys.alipayPublicKey);
}
