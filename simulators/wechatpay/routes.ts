/** The API v3 paths this simulator answers, all behind merchant request signing. */
import type { ApiHandler } from "./api.ts";
import { applyTradeBill, downloadBill } from "./bill-files.ts";
import { listCertificates } from "./certificates.ts";
import { closeOrder, createOrderHandler, queryByOutTradeNo, queryByTransactionId } from "./orders.ts";
import { createRefund, queryRefund } from "./refunds.ts";

export interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  handler: ApiHandler;
  /** The bill file is the one answer WeChat does not sign. */
  unsigned?: boolean;
}

export const ROUTES: readonly Route[] = [
  { method: "POST", pattern: /^\/v3\/pay\/transactions\/native$/, handler: createOrderHandler("NATIVE") },
  { method: "POST", pattern: /^\/v3\/pay\/transactions\/h5$/, handler: createOrderHandler("MWEB") },
  { method: "POST", pattern: /^\/v3\/pay\/transactions\/jsapi$/, handler: createOrderHandler("JSAPI") },
  { method: "POST", pattern: /^\/v3\/pay\/transactions\/app$/, handler: createOrderHandler("APP") },
  { method: "GET", pattern: /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/, handler: queryByOutTradeNo },
  { method: "GET", pattern: /^\/v3\/pay\/transactions\/id\/([^/]+)$/, handler: queryByTransactionId },
  { method: "POST", pattern: /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/, handler: closeOrder },
  { method: "POST", pattern: /^\/v3\/refund\/domestic\/refunds$/, handler: createRefund },
  { method: "GET", pattern: /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/, handler: queryRefund },
  { method: "GET", pattern: /^\/v3\/bill\/tradebill$/, handler: applyTradeBill },
  { method: "GET", pattern: /^\/v3\/billdownload\/file$/, handler: downloadBill, unsigned: true },
  { method: "GET", pattern: /^\/v3\/certificates$/, handler: listCertificates },
];

export function findRoute(
  method: string,
  path: string,
): { route: Route; params: string[] } | "no_path" | "no_method" {
  let known = false;
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    known = true;
    if (route.method !== method) continue;
    try {
      return { route, params: match.slice(1).map((part) => decodeURIComponent(part)) };
    } catch {
      return "no_path";
    }
  }
  return known ? "no_method" : "no_path";
}
