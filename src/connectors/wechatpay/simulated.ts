/**
 * Test-mode accounts on the WeChat Pay simulator: a fresh merchant (mchid, appid, certificate serial, API
 * v3 key) per call, trusting the simulator's platform certificate and WeChat Pay public key. The merchant
 * RSA key pair is made once per `simulatedAccounts` call and shared: generating one is slow.
 */
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import type { WechatPaySimulator } from "../../../simulators/wechatpay/index.ts";
import { wechatPayConfigSchema } from "./config.ts";

type Random = (n: number) => Buffer;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `length` characters of `alphabet`, each equally likely (bytes past the last full cycle are skipped). */
function randomText(random: Random, alphabet: string, length: number): string {
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

export function simulatedAccounts(sim: WechatPaySimulator): {
  config(random: (n: number) => Buffer): Record<string, unknown>;
  register(config: Record<string, unknown>): void;
} {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const merchantPrivateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();

  return {
    config(random) {
      return {
        // Real merchant numbers are ten digits and do not start with 0.
        mchid: `${randomText(random, "123456789", 1)}${randomText(random, "0123456789", 9)}`,
        appid: `wx${random(8).toString("hex")}`,
        merchant_serial_no: random(20).toString("hex").toUpperCase(),
        merchant_private_key: merchantPrivateKeyPem,
        api_v3_key: randomText(random, BASE62, 32),
        platform_certificates: [sim.platformCertificate.certificatePem],
        wechatpay_public_key_id: sim.wechatpayPublicKey.keyId,
        wechatpay_public_key: sim.wechatpayPublicKey.publicKeyPem,
      };
    },

    /** Registers what the stored configuration says, so it also works after a restart (idempotent). */
    register(config) {
      const account = wechatPayConfigSchema.parse(config);
      sim.registerMerchant({
        mchid: account.mchid,
        merchantPublicKeyPem: createPublicKey(account.merchant_private_key)
          .export({ type: "spki", format: "pem" })
          .toString(),
        merchantSerialNo: account.merchant_serial_no,
        apiV3Key: account.api_v3_key,
        appIds: [account.appid],
      });
    },
  };
}
