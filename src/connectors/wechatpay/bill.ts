/**
 * The trade bill (交易账单): apply for a Beijing day's bill, then download the file with a signed GET. The
 * file itself is unsigned, as WeChat serves it; the SHA-1 from the verified application vouches for it.
 */
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import type { CallContext } from "../contract.ts";
import { parseTradeBill, type TradeBill } from "./bill-csv.ts";
import { downloadFile, wechatPayApi } from "./client.ts";
import { type ConnectionOptions, connect } from "./connection.ts";
import { isBillDate } from "./time.ts";
import { parseError } from "./wire.ts";

export type { TradeBill, TradeBillRow, TradeBillSummary } from "./bill-csv.ts";

export type BillType = "ALL" | "SUCCESS" | "REFUND";

export interface BillOptions {
  /** ALL (the default), SUCCESS (payments only) or REFUND. */
  billType?: BillType;
  /** Ask for the file gzipped (tar_type=GZIP); downloadBill unzips it either way. */
  gzip?: boolean;
}

export type TradeBillLink =
  | { status: "ready"; url: string; hashType: string; hashValue: string }
  /** STATEMENT_CREATING: the day is not over or its bill is still being made; ask again later. */
  | { status: "not_ready" }
  /** NO_STATEMENT_EXIST: nothing was paid or refunded that day. */
  | { status: "no_bill" }
  | { status: "refused"; code: string; message?: string | undefined }
  | { status: "unknown"; reason: string };

export type BillDownload =
  | { status: "ok"; bill: TradeBill; content: Buffer }
  | { status: "refused"; code: string; message?: string | undefined }
  | { status: "unknown"; reason: string };

function refusal(body: unknown, status: number): { status: "refused"; code: string; message?: string } {
  const error = parseError(body);
  return error
    ? { status: "refused", code: error.code, ...(error.message ? { message: error.message } : {}) }
    : { status: "refused", code: `http_${status}` };
}

/** Applies for the trade bill of `billDate` (a Beijing day, yyyy-MM-dd). */
export async function tradeBillUrl(
  call: CallContext,
  billDate: string,
  options: ConnectionOptions & BillOptions = {},
): Promise<TradeBillLink> {
  if (!isBillDate(billDate)) throw new RangeError(`bill date must be yyyy-MM-dd, not ${billDate}`);
  const { c } = connect(call, options);
  const answer = await wechatPayApi.tradeBill(c, billDate, options.billType ?? "ALL", options.gzip ?? false);
  if (answer.kind === "unknown") return { status: "unknown", reason: answer.reason };
  if (answer.status !== 200) {
    const code = parseError(answer.body)?.code;
    if (code === "STATEMENT_CREATING") return { status: "not_ready" };
    if (code === "NO_STATEMENT_EXIST") return { status: "no_bill" };
    return refusal(answer.body, answer.status);
  }
  const body = answer.body as
    | { download_url?: unknown; hash_type?: unknown; hash_value?: unknown }
    | undefined;
  const { download_url: url, hash_type: hashType, hash_value: hashValue } = body ?? {};
  if (typeof url !== "string" || typeof hashType !== "string" || typeof hashValue !== "string") {
    return { status: "unknown", reason: "malformed_response" };
  }
  return { status: "ready", url, hashType, hashValue };
}

function isGzip(content: Buffer): boolean {
  return content.length >= 2 && content[0] === 0x1f && content[1] === 0x8b;
}

/**
 * Downloads a bill from the URL `tradeBillUrl` gave (only from the API's own origin: the request carries
 * the merchant's signature), unzips it if gzipped, checks `sha1` when given, and parses it.
 */
export async function downloadBill(
  call: CallContext,
  url: string,
  options: ConnectionOptions & { sha1?: string } = {},
): Promise<BillDownload> {
  const { c } = connect(call, options);
  const target = URL.canParse(url) ? new URL(url) : null;
  if (!target || target.origin !== new URL(c.baseUrl).origin) {
    return { status: "refused", code: "download_url_not_on_api_host" };
  }
  const answer = await downloadFile(c, target);
  if (answer.kind === "unknown") return { status: "unknown", reason: answer.reason };
  if (answer.kind === "answer") return refusal(answer.body, answer.status);
  let content: Buffer;
  try {
    content = isGzip(answer.content) ? gunzipSync(answer.content) : answer.content;
  } catch {
    return { status: "unknown", reason: "malformed_gzip" };
  }
  if (options.sha1 && createHash("sha1").update(content).digest("hex") !== options.sha1.toLowerCase()) {
    return { status: "unknown", reason: "hash_mismatch" };
  }
  try {
    return { status: "ok", bill: parseTradeBill(content), content };
  } catch {
    return { status: "unknown", reason: "malformed_bill" };
  }
}
