import assert from "node:assert/strict";
import { createHash, X509Certificate } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { Aes } from "wechatpay-axios-plugin";
import { startWechatPaySimulator, type WechatPaySimulator } from "./index.ts";
import {
  call,
  castCsvBill,
  MCHID,
  type MerchantKeys,
  newMerchantKeys,
  officiallyVerified,
  orderBody,
  platformKeys,
  registration,
  submitCashier,
} from "./test-support.ts";

let sim: WechatPaySimulator;
let keys: MerchantKeys;
let clock = new Date("2024-03-10T23:30:00+08:00");
const at = () => Math.floor(clock.getTime() / 1000);
const get = (path: string, who = keys) => call(sim, who, "GET", path, { timestamp: at() });

before(async () => {
  keys = newMerchantKeys();
  sim = await startWechatPaySimulator({
    platformKeys: await platformKeys(),
    now: () => clock,
    resolveAfterMs: 0,
    notificationRetryDelaysMs: [],
  });
  sim.registerMerchant({ ...registration(keys), feeRateBasisPoints: 60 });
});
after(() => sim.close());

async function pay(total: number, description: string) {
  const body = orderBody({ amount: { total }, description, attach: "cipher code" });
  const placed = await call(sim, keys, "POST", "/v3/pay/transactions/native", { body, timestamp: at() });
  await submitCashier(sim, placed.json.code_url, "approve");
  return body.out_trade_no;
}

describe("trade bill", () => {
  it("bills a day's payments and refunds in WeChat's format, downloadable with a matching SHA-1", async () => {
    const first = await pay(129902, "第一件");
    clock = new Date("2024-03-10T23:40:00+08:00");
    await pay(1, "second");
    const refund = await call(sim, keys, "POST", "/v3/refund/domestic/refunds", {
      body: {
        out_trade_no: first,
        out_refund_no: "R-1",
        amount: { refund: 2000, total: 129902, currency: "CNY" },
      },
      timestamp: at(),
    });
    assert.equal(refund.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const early = await get("/v3/bill/tradebill?bill_date=2024-03-10&bill_type=ALL");
    assert.equal(early.status, 400);
    assert.equal(early.json.code, "STATEMENT_CREATING");

    clock = new Date("2024-03-11T10:00:00+08:00");
    const applied = await get("/v3/bill/tradebill?bill_date=2024-03-10&bill_type=ALL");
    assert.equal(applied.status, 200, applied.text);
    assert.equal(applied.json.hash_type, "SHA1");
    assert.equal(officiallyVerified(sim, applied.headers, applied.text), true);
    const download = new URL(applied.json.download_url);
    assert.equal(download.pathname, "/v3/billdownload/file");

    const file = await get(`${download.pathname}${download.search}`);
    assert.equal(file.status, 200);
    assert.equal(file.headers.get("wechatpay-signature"), null);
    assert.equal(createHash("sha1").update(file.raw).digest("hex"), applied.json.hash_value);

    const { rows, summary } = castCsvBill(file.raw);
    assert.deepEqual(
      rows.map((row) => [row.交易时间, row.交易状态, row.应结订单金额, row.退款金额, row.手续费]),
      [
        ["2024-03-10 23:30:00", "SUCCESS", "1299.02", "0.00", "7.79000"],
        ["2024-03-10 23:40:00", "SUCCESS", "0.01", "0.00", "0.00000"],
        ["2024-03-10 23:40:00", "REFUND", "0.00", "20.00", "-0.12000"],
      ],
    );
    assert.equal(rows[0]?.商户号, MCHID);
    assert.equal(rows[0]?.商户数据包, "cipher code");
    assert.equal(rows[2]?.商户退款单号, "R-1");
    assert.deepEqual(summary, {
      总交易单数: "3",
      应结订单总金额: "1299.03",
      退款总金额: "20.00",
      充值券退款总金额: "0.00",
      手续费总金额: "7.67000",
      订单总金额: "1299.03",
      申请退款总金额: "20.00",
    });
    assert.match(
      file.raw.toString("utf8"),
      /\r\n`2024-03-10 23:30:00,`wxd678efh567hg6787,`1900000109,`0,`,`4200000/,
    );
  });

  it("serves SUCCESS and REFUND bills, gzipped on request, hashed before compression", async () => {
    const success = await get("/v3/bill/tradebill?bill_date=2024-03-10&bill_type=SUCCESS&tar_type=GZIP");
    assert.equal(success.status, 200);
    assert.match(success.json.download_url, /tartype=gzip/);
    const url = new URL(success.json.download_url);
    const gz = await get(`${url.pathname}${url.search}`);
    const plain = gunzipSync(gz.raw);
    assert.equal(createHash("sha1").update(plain).digest("hex"), success.json.hash_value);
    assert.equal(castCsvBill(plain).rows.length, 2);

    const refunds = await get("/v3/bill/tradebill?bill_date=2024-03-10&bill_type=REFUND");
    const refundUrl = new URL(refunds.json.download_url);
    const refundFile = await get(`${refundUrl.pathname}${refundUrl.search}`);
    assert.equal(castCsvBill(refundFile.raw).rows.length, 1);
  });

  it("refuses bad dates, empty days, other merchants and expired links", async () => {
    const malformed = await get("/v3/bill/tradebill?bill_date=2024-3-10");
    assert.equal(malformed.json.code, "PARAM_ERROR");
    const missing = await get("/v3/bill/tradebill");
    assert.equal(missing.json.code, "PARAM_ERROR");
    const badType = await get("/v3/bill/tradebill?bill_date=2024-03-10&bill_type=EVERYTHING");
    assert.equal(badType.json.code, "PARAM_ERROR");
    const future = await get("/v3/bill/tradebill?bill_date=2024-03-12");
    assert.equal(future.json.code, "INVALID_REQUEST");
    const empty = await get("/v3/bill/tradebill?bill_date=2024-03-09");
    assert.equal(empty.json.code, "NO_STATEMENT_EXIST");

    const applied = await get("/v3/bill/tradebill?bill_date=2024-03-10");
    const url = new URL(applied.json.download_url);
    const other = newMerchantKeys("1900000110");
    sim.registerMerchant(registration(other));
    const stolen = await get(`${url.pathname}${url.search}`, other);
    assert.equal(stolen.status, 403);
    assert.equal(stolen.json.code, "NO_AUTH");
    clock = new Date(clock.getTime() + 6 * 60 * 1000);
    const expired = await get(`${url.pathname}${url.search}`);
    assert.equal(expired.status, 400);
  });
});

describe("GET /v3/certificates", () => {
  it("serves the platform certificate encrypted under the API v3 key, signed by that certificate", async () => {
    const res = await get("/v3/certificates");
    assert.equal(res.status, 200);
    assert.equal(officiallyVerified(sim, res.headers, res.text), true);
    const [entry] = res.json.data;
    assert.equal(entry.serial_no, sim.platformCertificate.serialNo);
    const { ciphertext, nonce, associated_data: aad } = entry.encrypt_certificate;
    assert.equal(aad, "certificate");
    const pem = Aes.AesGcm.decrypt(ciphertext, keys.apiV3Key, nonce, aad);
    assert.equal(pem, sim.platformCertificate.certificatePem);
    const certificate = new X509Certificate(pem);
    assert.equal(certificate.serialNumber.toUpperCase(), entry.serial_no);
    assert.equal(certificate.verify(certificate.publicKey), true);
    assert.equal(
      certificate.publicKey.export({ type: "spki", format: "pem" }).toString(),
      sim.platformCertificate.publicKeyPem,
    );
  });
});
