/**
 * The key material of an account, parsed once per distinct PEM text: the merchant's signing key, and the
 * trust anchors that verify WeChat Pay's answers and notifications, by the Wechatpay-Serial they sign with
 * (a platform certificate's hex serial, or the WeChat Pay public key's PUB_KEY_ID_…).
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import type { WechatPayConfig } from "./config.ts";

export interface TrustAnchor {
  publicKey: KeyObject;
  /** Certificates are trusted only within their validity; a bare public key has none. */
  validFrom?: Date | undefined;
  validTo?: Date | undefined;
}

export interface AccountKeys {
  merchantKey: KeyObject;
  anchors: ReadonlyMap<string, TrustAnchor>;
}

const MAX_CACHED = 1000;
const cache = new Map<string, AccountKeys>();

/** Serial numbers compare as upper-case hex without leading zeros (X509Certificate may keep them). */
export function normalizeSerial(serial: string): string {
  const upper = serial.trim().toUpperCase();
  if (!/^[0-9A-F]+$/.test(upper)) return upper;
  return upper.replace(/^0+(?=.)/, "");
}

function buildKeys(config: WechatPayConfig): AccountKeys {
  const anchors = new Map<string, TrustAnchor>();
  for (const pem of config.platform_certificates) {
    const certificate = new X509Certificate(pem);
    anchors.set(normalizeSerial(certificate.serialNumber), {
      publicKey: certificate.publicKey,
      validFrom: new Date(certificate.validFrom),
      validTo: new Date(certificate.validTo),
    });
  }
  if (config.wechatpay_public_key_id && config.wechatpay_public_key) {
    anchors.set(config.wechatpay_public_key_id, { publicKey: createPublicKey(config.wechatpay_public_key) });
  }
  return { merchantKey: createPrivateKey(config.merchant_private_key), anchors };
}

export function accountKeys(config: WechatPayConfig): AccountKeys {
  // A digest, so the cache's keys do not hold the private key's text.
  const cacheKey = createHash("sha256")
    .update(
      JSON.stringify([
        config.merchant_private_key,
        config.platform_certificates,
        config.wechatpay_public_key_id ?? "",
        config.wechatpay_public_key ?? "",
      ]),
    )
    .digest("base64");
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const built = buildKeys(config);
  if (cache.size >= MAX_CACHED) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(cacheKey, built);
  return built;
}

/** The anchor that verifies what this Wechatpay-Serial signed, at `now`; undefined when none does. */
export function anchorFor(keys: AccountKeys, serial: string, now: Date): TrustAnchor | undefined {
  const anchor = keys.anchors.get(serial) ?? keys.anchors.get(normalizeSerial(serial));
  if (!anchor) return undefined;
  if (anchor.validFrom && now < anchor.validFrom) return undefined;
  if (anchor.validTo && now > anchor.validTo) return undefined;
  return anchor;
}
