/**
 * Signatures and decryption against WeChat Pay's published vectors (wechatpay-go, wechatpay-axios-plugin)
 * and cross-checked both ways with the official wechatpay-axios-plugin's Rsa, Aes and Formatter.
 */
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { Aes, Formatter, Rsa } from "wechatpay-axios-plugin";
import { MERCHANT_KEY } from "../../../simulators/wechatpay/test-keys.ts";
import { aesGcmDecrypt, signingMessage, signSha256Rsa, verifySha256Rsa } from "./crypto.ts";
import { accountKeys } from "./keys.ts";
import { jsapiAction } from "./shopper-actions.ts";
import { authorizationHeader, headerReader, verifyWechatpaySignature } from "./signatures.ts";

interface Vectors {
  sha256WithRsa: { privateKeyPkcs8Pem: string; message: string; signatureBase64: string };
  aeadDecrypt: Array<{
    name: string;
    key: string;
    nonce: string;
    associated_data: string;
    ciphertextBase64: string;
    plaintext: string;
  }>;
}

const vectors = JSON.parse(
  readFileSync(
    new URL("../../../../shared/specs/wechatpay/wechatpay-crypto-vectors.json", import.meta.url),
    "utf8",
  ),
) as Vectors;

const vectorKey = createPrivateKey(vectors.sha256WithRsa.privateKeyPkcs8Pem);
const vectorPublicKey = createPublicKey(vectorKey);
const merchantKey = createPrivateKey(MERCHANT_KEY);
const merchantPublicKey = createPublicKey(merchantKey);

describe("SHA256withRSA", () => {
  test("reproduces wechatpay-go's deterministic signature and verifies it", () => {
    const { message, signatureBase64 } = vectors.sha256WithRsa;
    assert.equal(signSha256Rsa(message, vectorKey), signatureBase64);
    assert.equal(verifySha256Rsa(message, signatureBase64, vectorPublicKey), true);
    assert.equal(verifySha256Rsa(`${message}!`, signatureBase64, vectorPublicKey), false);
    assert.equal(verifySha256Rsa(message, "not base64 at all", vectorPublicKey), false);
    assert.equal(Rsa.sign(message, vectorKey), signatureBase64);
  });

  test("the signing message is every line followed by a line feed, as the official Formatter builds it", () => {
    assert.equal(
      signingMessage(
        "GET",
        "/v3/certificates",
        "1554208460",
        "593BEC0C930BF1AFEB40B4A08C8FB242",
        "",
      ).toString(),
      Formatter.request("GET", "/v3/certificates", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242", ""),
    );
    assert.equal(signingMessage("1", "n", "{}").toString(), Formatter.response("1", "n", "{}"));
  });
});

function parameters(header: string): Record<string, string> {
  return Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? "", m[2] ?? ""]));
}

describe("the Authorization header", () => {
  const signer = {
    mchid: "1900009191",
    serialNo: "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",
    privateKey: merchantKey,
  };
  const at = new Date(1_554_208_460_000);
  const request = { method: "POST", pathAndQuery: "/v3/pay/transactions/native?x=1", body: '{"a":"中文"}' };

  test("carries what the official Formatter.authorization writes for the same signature", () => {
    const nonce = "593BEC0C930BF1AFEB40B4A08C8FB242";
    const header = authorizationHeader(signer, request, at, nonce);
    const signature = Rsa.sign(
      Formatter.request(request.method, request.pathAndQuery, 1_554_208_460, nonce, request.body),
      merchantKey,
    );
    const official = Formatter.authorization(signer.mchid, nonce, signature, 1_554_208_460, signer.serialNo);
    // The same scheme and parameters; their order is free (the official package writes another).
    assert.equal(header.split(" ")[0], official.split(" ")[0]);
    assert.deepEqual(parameters(header), parameters(official));
    assert.equal(
      header,
      `WECHATPAY2-SHA256-RSA2048 mchid="1900009191",nonce_str="${nonce}",signature="${signature}",timestamp="1554208460",serial_no="${signer.serialNo}"`,
    );
  });

  test("its signature verifies with the official Rsa.verify", () => {
    const fields = parameters(authorizationHeader(signer, request, at));
    const message = Formatter.request(
      request.method,
      request.pathAndQuery,
      fields.timestamp ?? "",
      fields.nonce_str ?? "",
      request.body,
    );
    assert.equal(Rsa.verify(message, fields.signature ?? "", merchantPublicKey), true);
  });
});

describe("JSAPI paySign", () => {
  test("verifies with the official Rsa over Formatter.joinedByLineFeed", () => {
    const action = jsapiAction(
      { mchid: "1900009191", appid: "wxd678efh567hg6787", privateKey: merchantKey },
      "wx201410272009395522657a690389285100",
      new Date(1_414_561_699_000),
      "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
    );
    assert.ok(action.type === "wechat_pay_jsapi");
    const { params } = action;
    assert.equal(params.timeStamp, "1414561699");
    const message = Formatter.joinedByLineFeed(
      params.appId,
      params.timeStamp,
      params.nonceStr,
      params.package,
    );
    assert.equal(Rsa.verify(message, params.paySign, merchantPublicKey), true);
    assert.equal(params.paySign, Rsa.sign(message, merchantKey));
  });
});

describe("AEAD_AES_256_GCM", () => {
  for (const vector of vectors.aeadDecrypt) {
    test(`decrypts the published vector: ${vector.name}`, () => {
      assert.equal(
        aesGcmDecrypt(vector.key, vector.nonce, vector.associated_data, vector.ciphertextBase64),
        vector.plaintext,
      );
    });
  }

  test("refuses a changed ciphertext, associated data or key", () => {
    const vector = vectors.aeadDecrypt[1];
    assert.ok(vector);
    const sealed = Buffer.from(vector.ciphertextBase64, "base64");
    sealed[0] = (sealed[0] ?? 0) ^ 0x01;
    assert.throws(() =>
      aesGcmDecrypt(vector.key, vector.nonce, vector.associated_data, sealed.toString("base64")),
    );
    assert.throws(() => aesGcmDecrypt(vector.key, vector.nonce, "other", vector.ciphertextBase64));
    assert.throws(() =>
      aesGcmDecrypt("f".repeat(32), vector.nonce, vector.associated_data, vector.ciphertextBase64),
    );
    assert.throws(() => aesGcmDecrypt(vector.key, vector.nonce, vector.associated_data, "AAAA"));
  });

  test("opens what the official Aes.AesGcm seals with a 32-byte API v3 key and a 12-character nonce", () => {
    const key = "0123456789abcdefABCDEFGHIJKLMNOP";
    const plaintext = JSON.stringify({ out_trade_no: "pi_1_a1", trade_state: "SUCCESS", note: "支付成功" });
    const sealed = Aes.AesGcm.encrypt(plaintext, key, "abcdefABCDEF", "transaction");
    assert.equal(aesGcmDecrypt(key, "abcdefABCDEF", "transaction", sealed), plaintext);
  });
});

describe("answer verification", () => {
  const platformKey = createPrivateKey(vectors.sha256WithRsa.privateKeyPkcs8Pem);
  const keys = accountKeys({
    mchid: "1900009191",
    appid: "wxd678efh567hg6787",
    merchant_serial_no: "AB",
    merchant_private_key: MERCHANT_KEY,
    api_v3_key: "0123456789abcdefABCDEFGHIJKLMNOP",
    platform_certificates: [],
    wechatpay_public_key_id: "PUB_KEY_ID_0114232134912410000000000001",
    wechatpay_public_key: vectorPublicKey.export({ type: "spki", format: "pem" }).toString(),
  });

  test("accepts what the official Rsa signed over Formatter.response, on the exact bytes", () => {
    const body = Buffer.from('{"code_url":"weixin://wxpay/bizpayurl?pr=abc","note":"中文"}', "utf8");
    const headers = new Headers({
      "Wechatpay-Timestamp": "1700000000",
      "Wechatpay-Nonce": "nonce",
      "Wechatpay-Serial": "PUB_KEY_ID_0114232134912410000000000001",
      "Wechatpay-Signature": Rsa.sign(
        Formatter.response("1700000000", "nonce", body.toString("utf8")),
        platformKey,
      ),
    });
    const now = new Date(1_700_000_100_000);
    assert.deepEqual(verifyWechatpaySignature(keys, headerReader(headers), body, now), { ok: true });
    const changed = Buffer.from(body);
    changed[3] = 0x41;
    assert.deepEqual(verifyWechatpaySignature(keys, headerReader(headers), changed, now), {
      ok: false,
      reason: "signature_mismatch",
    });
    headers.set("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048-NEXT");
    assert.deepEqual(verifyWechatpaySignature(keys, headerReader(headers), body, now), {
      ok: false,
      reason: "unsupported_signature_type",
    });
  });
});
