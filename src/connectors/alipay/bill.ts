/**
 * The daily (or monthly) trade bill for reconciliation: alipay.data.dataservice.bill.downloadurl.query
 * gives a short-lived URL, and that URL serves a ZIP of GBK-encoded CSV files. Parsing is left to the
 * reconciliation that reads them.
 */
import type { CallContext } from "../contract.ts";
import { callGateway } from "./client.ts";
import { ALIPAY_PRODUCTION_BASE_URL, alipayConfigSchema, gatewayUrl, keysOf } from "./config.ts";
import { refusalMessage } from "./transformers.ts";

export type BillUrlResult =
  | { outcome: "ready"; url: string }
  /** Alipay has no such bill (not yet generated: a day's bill exists from the next day). */
  | { outcome: "unavailable"; reason: string; providerMessage?: string | undefined }
  | { outcome: "pending"; reason: string };

const BILL_DATE = /^\d{4}-\d{2}(-\d{2})?$/;

/** `billDate` is a Beijing day "yyyy-MM-dd" or month "yyyy-MM". */
export async function billDownloadUrl(
  call: CallContext,
  billDate: string,
  fallbackBaseUrl = ALIPAY_PRODUCTION_BASE_URL,
): Promise<BillUrlResult> {
  if (!BILL_DATE.test(billDate)) throw new RangeError("billDate must be yyyy-MM-dd or yyyy-MM");
  const config = alipayConfigSchema.parse(call.account.config);
  const answer = await callGateway(
    {
      gateway: gatewayUrl(config.base_url ?? fallbackBaseUrl),
      appId: config.app_id,
      keys: keysOf(config),
      timeoutMs: call.timeoutMs,
    },
    "alipay.data.dataservice.bill.downloadurl.query",
    { bill_type: "trade", bill_date: billDate },
  );
  if (answer.kind === "unknown") return { outcome: "pending", reason: answer.reason };
  if (answer.kind === "refused") {
    return {
      outcome: "unavailable",
      reason: answer.subCode || answer.code,
      providerMessage: refusalMessage(answer),
    };
  }
  const url = answer.body.bill_download_url;
  if (typeof url !== "string" || !URL.canParse(url))
    return { outcome: "pending", reason: "malformed_response" };
  return { outcome: "ready", url };
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * The bill archive behind a download URL. Throws when it cannot be had: the link lapsed (Alipay then
 * answers an HTML page with status 200), a network error or a timeout.
 */
export async function downloadBill(url: string, timeoutMs = 30_000): Promise<Buffer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`alipay bill download answered HTTP ${response.status}`);
  if (!body.subarray(0, 4).equals(ZIP_MAGIC)) {
    throw new Error("alipay bill download did not answer a ZIP archive (the link may have expired)");
  }
  return body;
}
