import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { z } from "zod";

/** Alipay's production OpenAPI host; the gateway is `<base>/gateway.do`. */
export const ALIPAY_PRODUCTION_BASE_URL = "https://openapi.alipay.com";
const GATEWAY_PATH = "/gateway.do";

function rsaPrivateKey(pem: string): KeyObject | null {
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === "rsa" ? key : null;
  } catch {
    return null;
  }
}

function rsaPublicKey(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === "rsa" && key.type === "public" ? key : null;
  } catch {
    return null;
  }
}

const isPem = (label: RegExp) => (text: string) => label.test(text);

export const alipayConfigSchema = z.object({
  app_id: z
    .string()
    .regex(/^\d{16}$/, "must be the 16-digit Alipay app id")
    .meta({ description: "Alipay open platform app id (APPID)" }),
  app_private_key: z
    .string()
    .refine(isPem(/-----BEGIN (RSA )?PRIVATE KEY-----/), "must be a PEM private key (PKCS#8 or PKCS#1)")
    .refine((pem) => rsaPrivateKey(pem) !== null, "must be a readable RSA private key")
    .meta({
      secret: true,
      description:
        "The app's RSA2 private key (PEM, PKCS#8 or PKCS#1); its public key is registered at Alipay",
    }),
  alipay_public_key: z
    .string()
    .refine(isPem(/-----BEGIN PUBLIC KEY-----/), "must be a PEM public key")
    .refine((pem) => rsaPublicKey(pem) !== null, "must be a readable RSA public key")
    .meta({ description: "Alipay's public key for this app (PEM): verifies answers and notifications" }),
  seller_id: z
    .string()
    .regex(/^2088\d{12}$/, "must be the 16-digit merchant PID starting 2088")
    .optional()
    .meta({ description: "The merchant PID; when set, notifications for another seller are refused" }),
  base_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description: `Overrides the OpenAPI base URL (the simulator Payrail runs by default; ${ALIPAY_PRODUCTION_BASE_URL} in production); the gateway is <base>${GATEWAY_PATH}`,
    }),
});

export type AlipayConfig = z.infer<typeof alipayConfigSchema>;

/** Names of the config fields that are secrets: never shown back, never logged. */
export const alipaySecretFields: ReadonlyArray<keyof AlipayConfig> = ["app_private_key"];

export function gatewayUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, "");
  return base.endsWith(GATEWAY_PATH) ? base : `${base}${GATEWAY_PATH}`;
}

export interface AlipayKeys {
  appPrivateKey: KeyObject;
  alipayPublicKey: KeyObject;
}

const MAX_CACHED_KEYS = 1_000;
const keyCache = new Map<string, AlipayKeys>();

/** Parsing a PEM key costs more than a signature: keys are kept per account configuration. */
export function keysOf(config: AlipayConfig): AlipayKeys {
  const cacheKey = createHash("sha256")
    .update(config.app_private_key)
    .update("\n")
    .update(config.alipay_public_key)
    .digest("base64");
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  const appPrivateKey = rsaPrivateKey(config.app_private_key);
  const alipayPublicKey = rsaPublicKey(config.alipay_public_key);
  if (!appPrivateKey || !alipayPublicKey) throw new Error("alipay account keys are not readable RSA keys");
  const keys = { appPrivateKey, alipayPublicKey };
  if (keyCache.size >= MAX_CACHED_KEYS) keyCache.delete(keyCache.keys().next().value as string);
  keyCache.set(cacheKey, keys);
  return keys;
}

export function alipayPublicKeyOf(config: AlipayConfig): KeyObject {
  const key = rsaPublicKey(config.alipay_public_key);
  if (!key) throw new Error("alipay_public_key is not a readable RSA public key");
  return key;
}
