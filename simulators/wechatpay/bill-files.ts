/**
 * GET /v3/bill/tradebill answers {hash_type, hash_value, download_url}; the signed GET of download_url
 * (valid five minutes, for the merchant who asked) returns the file, unsigned, gzipped when tar_type=GZIP.
 * hash_value is the SHA-1 of the uncompressed file.
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { ApiHandler } from "./api.ts";
import { type BillType, formatTradeBill, tradeBillRows } from "./bill.ts";
import { ERRORS } from "./errors.ts";
import { file, json } from "./http.ts";
import { beijingDay, beijingDayBounds } from "./time.ts";
import { Fields } from "./validation.ts";

const DOWNLOAD_VALID_MS = 5 * 60 * 1000;
const KEPT_DAYS = 92;

interface BillFile {
  mchid: string;
  content: Buffer;
  gzip: boolean;
  expiresAt: number;
}

export interface BillFiles {
  put(file: BillFile): string;
  get(token: string): BillFile | undefined;
}

export function createBillFiles(token: () => string): BillFiles {
  const files = new Map<string, BillFile>();
  return {
    put(bill) {
      const id = token();
      files.set(id, bill);
      return id;
    },
    get: (id) => files.get(id),
  };
}

export const applyTradeBill: ApiHandler = ({ ctx, merchant, query: params }) => {
  const query = new Fields("query", Object.fromEntries(params));
  const billDate = query.string("bill_date", "账单日期", { required: true, maxBytes: 10 });
  const billType = (query.string("bill_type", "账单类型", {
    maxBytes: 32,
    oneOf: ["ALL", "SUCCESS", "REFUND"],
  }) ?? "ALL") as BillType;
  const tarType = query.string("tar_type", "压缩类型", { maxBytes: 32, oneOf: ["GZIP"] });
  const day = beijingDayBounds(billDate);
  if (!day) return query.reject("bill_date", "账单日期", "时间格式校验失败，须为yyyy-MM-dd");

  const now = ctx.now();
  const today = beijingDayBounds(beijingDay(now));
  if (today && day.start.getTime() > today.start.getTime()) throw ERRORS.billDate("账单日期不能晚于今天");
  if (today && day.start.getTime() === today.start.getTime()) throw ERRORS.statementCreating();
  if (now.getTime() - day.start.getTime() > KEPT_DAYS * 24 * 3600 * 1000) {
    throw ERRORS.billDate("仅支持三个月内的账单下载申请");
  }
  const rows = tradeBillRows(ctx.store, merchant, day, billType);
  if (rows.length === 0) throw ERRORS.noStatement();

  const content = formatTradeBill(rows);
  const token = ctx.bills.put({
    mchid: merchant.mchid,
    content,
    gzip: tarType === "GZIP",
    expiresAt: now.getTime() + DOWNLOAD_VALID_MS,
  });
  const download = new URL("/v3/billdownload/file", ctx.baseUrl());
  download.searchParams.set("token", token);
  if (tarType === "GZIP") download.searchParams.set("tartype", "gzip");
  return json(200, {
    hash_type: "SHA1",
    hash_value: createHash("sha1").update(content).digest("hex"),
    download_url: download.toString(),
  });
};

export const downloadBill: ApiHandler = ({ ctx, merchant, query }) => {
  const bill = ctx.bills.get(query.get("token") ?? "");
  if (!bill) throw ERRORS.downloadExpired();
  if (bill.mchid !== merchant.mchid) throw ERRORS.noAuth();
  if (ctx.now().getTime() > bill.expiresAt) throw ERRORS.downloadExpired();
  return bill.gzip
    ? file("application/x-gzip", gzipSync(bill.content))
    : file("text/plain; charset=utf-8", bill.content);
};
