/**
 * HTTP calls to WeChat Pay API v3: each request signed with the merchant key, each answer verified with
 * the account's trust anchors before it is read. Nothing here decides what an answer means, except that
 * every answer that does not say what happened (network error, timeout, 5xx, 429, an answer whose
 * signature does not verify, an unreadable success body) is `unknown`, never a failure, and never thrown.
 */
import type { AccountKeys } from "./keys.ts";
import {
  authorizationHeader,
  headerReader,
  type RequestSigner,
  verifyWechatpaySignature,
} from "./signatures.ts";

export interface WechatPayConnection {
  baseUrl: string;
  signer: RequestSigner;
  keys: AccountKeys;
  timeoutMs: number;
  now: () => Date;
}

export type WechatAnswer =
  /** A verified answer: `body` is its JSON, or undefined when empty (204) or unreadable (an error). */
  { kind: "answer"; status: number; body: unknown } | { kind: "unknown"; reason: string };

export type FileAnswer = { kind: "file"; content: Buffer } | WechatAnswer;

const USER_AGENT = "Payrail-WechatPay/1.0";

function failureReason(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return "timeout";
  }
  return "network_error";
}

interface RawAnswer {
  status: number;
  headers: Headers;
  raw: Buffer;
}

async function send(
  c: WechatPayConnection,
  method: "GET" | "POST",
  url: URL,
  body: string,
  accept: string,
): Promise<RawAnswer | { kind: "unknown"; reason: string }> {
  const authorization = authorizationHeader(
    c.signer,
    { method, pathAndQuery: `${url.pathname}${url.search}`, body },
    c.now(),
  );
  const headers: Record<string, string> = { authorization, accept, "user-agent": USER_AGENT };
  if (method === "POST") headers["content-type"] = "application/json";
  try {
    const response = await fetch(url, {
      method,
      headers,
      body: method === "POST" ? body : undefined,
      redirect: "error",
      signal: AbortSignal.timeout(c.timeoutMs),
    });
    const raw = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, raw };
  } catch (error) {
    return { kind: "unknown", reason: failureReason(error) };
  }
}

/** Gateway answers (5xx, 429) are unsigned and say nothing about what happened. */
function undecided(status: number): string | null {
  if (status === 429) return "rate_limited";
  if (status >= 500) return `http_${status}`;
  return null;
}

function verified(c: WechatPayConnection, answer: RawAnswer): WechatAnswer {
  const gateway = undecided(answer.status);
  if (gateway) return { kind: "unknown", reason: gateway };
  const check = verifyWechatpaySignature(c.keys, headerReader(answer.headers), answer.raw, c.now());
  if (!check.ok) return { kind: "unknown", reason: `unverified_answer: ${check.reason}` };
  if (answer.raw.length === 0) return { kind: "answer", status: answer.status, body: undefined };
  try {
    return {
      kind: "answer",
      status: answer.status,
      body: JSON.parse(answer.raw.toString("utf8")) as unknown,
    };
  } catch {
    if (answer.status < 300) return { kind: "unknown", reason: "malformed_response" };
    return { kind: "answer", status: answer.status, body: undefined };
  }
}

function urlFor(c: WechatPayConnection, path: string): URL {
  return new URL(`${c.baseUrl}${path}`);
}

export async function callApi(
  c: WechatPayConnection,
  method: "GET" | "POST",
  path: string,
  body?: object,
): Promise<WechatAnswer> {
  const payload = body === undefined ? "" : JSON.stringify(body);
  const answer = await send(c, method, urlFor(c, path), payload, "application/json");
  return "kind" in answer ? answer : verified(c, answer);
}

/**
 * A signed GET of a bill download URL. WeChat does not sign the file itself (the verified hash from the
 * bill application stands for it); an error answer is JSON and signed like any other.
 */
export async function downloadFile(c: WechatPayConnection, url: URL): Promise<FileAnswer> {
  const answer = await send(c, "GET", url, "", "*/*");
  if ("kind" in answer) return answer;
  if (answer.status === 200) return { kind: "file", content: answer.raw };
  return verified(c, answer);
}

const segment = encodeURIComponent;

export type OrderKind = "native" | "h5" | "jsapi" | "app";

export const wechatPayApi = {
  createOrder: (c: WechatPayConnection, kind: OrderKind, body: object) =>
    callApi(c, "POST", `/v3/pay/transactions/${kind}`, body),
  queryOrder: (c: WechatPayConnection, outTradeNo: string) =>
    callApi(
      c,
      "GET",
      `/v3/pay/transactions/out-trade-no/${segment(outTradeNo)}?mchid=${segment(c.signer.mchid)}`,
    ),
  queryTransaction: (c: WechatPayConnection, transactionId: string) =>
    callApi(c, "GET", `/v3/pay/transactions/id/${segment(transactionId)}?mchid=${segment(c.signer.mchid)}`),
  closeOrder: (c: WechatPayConnection, outTradeNo: string) =>
    callApi(c, "POST", `/v3/pay/transactions/out-trade-no/${segment(outTradeNo)}/close`, {
      mchid: c.signer.mchid,
    }),
  createRefund: (c: WechatPayConnection, body: object) =>
    callApi(c, "POST", "/v3/refund/domestic/refunds", body),
  queryRefund: (c: WechatPayConnection, outRefundNo: string) =>
    callApi(c, "GET", `/v3/refund/domestic/refunds/${segment(outRefundNo)}`),
  tradeBill: (c: WechatPayConnection, billDate: string, billType: string, gzip: boolean) => {
    const query = `bill_date=${segment(billDate)}&bill_type=${segment(billType)}${gzip ? "&tar_type=GZIP" : ""}`;
    return callApi(c, "GET", `/v3/bill/tradebill?${query}`);
  },
};
