/** The account configuration, its trust anchors, and the simulated test accounts. */
import assert from "node:assert/strict";
import { createPublicKey, randomBytes } from "node:crypto";
import { before, describe, test } from "node:test";
import type {
  MerchantRegistration,
  PlatformKeys,
  WechatPaySimulator,
} from "../../../simulators/wechatpay/index.ts";
import { platformKeys } from "../../../simulators/wechatpay/test-support.ts";
import { wechatPayConfigSchema, wechatPaySecretFields } from "./config.ts";
import { createWechatPayConnector } from "./index.ts";
import { accountKeys, anchorFor, normalizeSerial } from "./keys.ts";
import { simulatedAccounts } from "./simulated.ts";

let keys: PlatformKeys;
const registered: MerchantRegistration[] = [];
let accounts: ReturnType<typeof simulatedAccounts>;

before(async () => {
  keys = await platformKeys();
  // Only what simulated.ts reads of a simulator.
  const sim = {
    platformCertificate: keys.certificate,
    wechatpayPublicKey: { keyId: keys.publicKey.keyId, publicKeyPem: keys.publicKey.publicKeyPem },
    registerMerchant: (registration: MerchantRegistration) => registered.push(registration),
  } as unknown as WechatPaySimulator;
  accounts = simulatedAccounts(sim);
});

describe("simulated accounts", () => {
  test("a fresh merchant per call, trusting both of the simulator's anchors", () => {
    const first = accounts.config(randomBytes);
    const second = accounts.config(randomBytes);
    assert.match(String(first.mchid), /^[1-9]\d{9}$/);
    assert.match(String(first.appid), /^wx[0-9a-f]{16}$/);
    assert.match(String(first.merchant_serial_no), /^[0-9A-F]{40}$/);
    assert.equal(Buffer.byteLength(String(first.api_v3_key)), 32);
    assert.notEqual(first.mchid, second.mchid);
    assert.notEqual(first.api_v3_key, second.api_v3_key);
    assert.equal(first.merchant_private_key, second.merchant_private_key);
    assert.deepEqual(first.platform_certificates, [keys.certificate.certificatePem]);
    assert.equal(first.wechatpay_public_key_id, keys.publicKey.keyId);
    assert.equal(wechatPayConfigSchema.safeParse(first).success, true);
  });

  test("register tells the simulator the merchant's public key, serial, API v3 key and appid, idempotently", () => {
    const config = accounts.config(randomBytes);
    registered.length = 0;
    accounts.register(config);
    accounts.register(config);
    assert.equal(registered.length, 2);
    assert.deepEqual(registered[0], registered[1]);
    assert.deepEqual(registered[0], {
      mchid: config.mchid,
      merchantPublicKeyPem: createPublicKey(String(config.merchant_private_key))
        .export({ type: "spki", format: "pem" })
        .toString(),
      merchantSerialNo: config.merchant_serial_no,
      apiV3Key: config.api_v3_key,
      appIds: [config.appid],
    });
  });
});

describe("configuration schema", () => {
  test("refuses what cannot work", () => {
    const good = accounts.config(randomBytes);
    const refused = (patch: Record<string, unknown>) =>
      !wechatPayConfigSchema.safeParse({ ...good, ...patch }).success;
    assert.equal(refused({}), false);
    assert.equal(refused({ api_v3_key: "x".repeat(31) }), true);
    assert.equal(refused({ api_v3_key: "密".repeat(11) }), true, "33 bytes");
    assert.equal(
      refused({ merchant_private_key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" }),
      true,
    );
    assert.equal(refused({ mchid: "19000a" }), true);
    assert.equal(refused({ appid: "wx123" }), true);
    assert.equal(refused({ merchant_serial_no: "XYZ" }), true);
    assert.equal(refused({ platform_certificates: ["not a certificate"] }), true);
    assert.equal(refused({ wechatpay_public_key: undefined }), true, "an id without its key");
    assert.equal(
      refused({
        platform_certificates: [],
        wechatpay_public_key_id: undefined,
        wechatpay_public_key: undefined,
      }),
      true,
      "no trust anchor at all",
    );
    assert.equal(refused({ platform_certificates: [], base_url: "https://api.mch.weixin.qq.com" }), false);
    assert.equal(refused({ base_url: "ftp://x" }), true);
  });

  test("secrets are the private key and the API v3 key, and the connector declares them", () => {
    assert.deepEqual(wechatPaySecretFields, ["merchant_private_key", "api_v3_key"]);
    const connector = createWechatPayConnector({ baseUrl: () => "http://127.0.0.1:9" });
    assert.equal(connector.secretFields, wechatPaySecretFields);
    assert.equal(connector.id, "wechat_pay");
    assert.deepEqual(connector.capabilities.paymentMethods, ["wechat_pay"]);
    assert.deepEqual(connector.capabilities.currencies, ["cny"]);
    assert.equal(connector.capabilities.manualCapture, false);
    assert.equal(connector.defaultTestAccountConfig?.(randomBytes), undefined);
  });
});

describe("trust anchors", () => {
  test("a certificate is found by its serial in any case or padding, and only while valid", () => {
    const config = wechatPayConfigSchema.parse(accounts.config(randomBytes));
    const anchors = accountKeys(config);
    const serial = keys.certificate.serialNo;
    const now = new Date();
    assert.ok(anchorFor(anchors, serial, now));
    assert.ok(anchorFor(anchors, serial.toLowerCase(), now));
    assert.ok(anchorFor(anchors, `00${serial}`, now));
    assert.ok(anchorFor(anchors, keys.publicKey.keyId, now));
    assert.equal(anchorFor(anchors, "ABCDEF", now), undefined);
    assert.equal(
      anchorFor(anchors, serial, new Date(keys.certificate.expireTime.getTime() + 1000)),
      undefined,
    );
    assert.equal(
      anchorFor(anchors, serial, new Date(keys.certificate.effectiveTime.getTime() - 1000)),
      undefined,
    );
    assert.equal(normalizeSerial("000AB"), "AB");
    assert.equal(normalizeSerial("PUB_KEY_ID_0001"), "PUB_KEY_ID_0001");
  });
});
