/**
 * Wechatpay-* headers on every API answer and notification: SHA256withRSA over "timestamp\nnonce\nbody\n"
 * with the platform certificate's key or the WeChat Pay public key's, as the merchant is configured.
 */
import { responseMessage, signSha256Rsa } from "./crypto.ts";
import type { Ids } from "./ids.ts";
import type { PlatformKeys } from "./keys.ts";
import type { Merchant } from "./merchants.ts";

export interface Signer {
  headers(
    merchant: Merchant | undefined,
    body: Buffer,
    options?: { tamper?: boolean },
  ): Record<string, string>;
}

export function createSigner(keys: PlatformKeys, ids: Ids, now: () => Date): Signer {
  function usePublicKey(merchant: Merchant | undefined): boolean {
    if (!merchant) return false;
    if (merchant.platformSigning === "public_key") return true;
    if (merchant.platformSigning === "certificate") return false;
    merchant.signed += 1;
    return merchant.signed % 2 === 0;
  }

  return {
    headers(merchant, body, options = {}) {
      const timestamp = String(Math.floor(now().getTime() / 1000));
      const nonce = ids.nonce();
      const publicKey = usePublicKey(merchant);
      const privateKey = publicKey ? keys.publicKey.privateKey : keys.certificate.privateKey;
      let signature = signSha256Rsa(responseMessage(timestamp, nonce, body.toString("utf8")), privateKey);
      if (options.tamper) {
        const bytes = Buffer.from(signature, "base64");
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
        signature = bytes.toString("base64");
      }
      return {
        "wechatpay-timestamp": timestamp,
        "wechatpay-nonce": nonce,
        "wechatpay-signature": signature,
        "wechatpay-serial": publicKey ? keys.publicKey.keyId : keys.certificate.serialNo,
        "wechatpay-signature-type": "WECHATPAY2-SHA256-RSA2048",
      };
    },
  };
}
