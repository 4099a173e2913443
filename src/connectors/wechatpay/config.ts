import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { z } from "zod";

function parses(read: (pem: string) => unknown): (pem: string) => boolean {
  return (pem) => {
    try {
      read(pem);
      return true;
    } catch {
      return false;
    }
  };
}

const isRsaPrivateKey = parses((pem) => {
  if (createPrivateKey(pem).asymmetricKeyType !== "rsa") throw new Error("not RSA");
});
const isRsaPublicKey = parses((pem) => {
  if (createPublicKey(pem).asymmetricKeyType !== "rsa") throw new Error("not RSA");
});
const isCertificate = parses((pem) => new X509Certificate(pem));

export const wechatPayConfigSchema = z
  .object({
    mchid: z
      .string()
      .regex(/^\d{1,32}$/, "must be the WeChat Pay merchant number (digits)")
      .meta({ description: "Merchant number (mchid) of the direct merchant" }),
    appid: z
      .string()
      .regex(/^wx[0-9A-Za-z]{16}$/, "must be an AppID: wx followed by 16 letters or digits")
      .meta({ description: "AppID bound to the merchant (official account, mini program or mobile app)" }),
    merchant_serial_no: z
      .string()
      .regex(/^[0-9A-Fa-f]{1,64}$/, "must be the hexadecimal serial number of the merchant API certificate")
      .meta({ description: "Serial number of the merchant API certificate (serial_no in Authorization)" }),
    merchant_private_key: z
      .string()
      .max(16_384)
      .refine(isRsaPrivateKey, "must be the RSA private key of the merchant API certificate, in PEM")
      .meta({ secret: true, description: "Private key of the merchant API certificate (apiclient_key.pem)" }),
    api_v3_key: z
      .string()
      .refine((key) => Buffer.byteLength(key, "utf8") === 32, "must be exactly 32 bytes")
      .meta({ secret: true, description: "API v3 key: decrypts notification resources (AEAD_AES_256_GCM)" }),
    platform_certificates: z
      .array(z.string().max(16_384).refine(isCertificate, "must be an X.509 certificate in PEM"))
      .max(10)
      .default([])
      .meta({ description: "WeChat Pay platform certificates (PEM) that verify answers and notifications" }),
    wechatpay_public_key_id: z
      .string()
      .regex(/^PUB_KEY_ID_[0-9A-Za-z]{1,64}$/, "must look like PUB_KEY_ID_ followed by its digits")
      .optional()
      .meta({ description: "Id of the WeChat Pay public key (the Wechatpay-Serial it signs with)" }),
    wechatpay_public_key: z
      .string()
      .max(16_384)
      .refine(isRsaPublicKey, "must be an RSA public key in PEM")
      .optional()
      .meta({ description: "WeChat Pay public key (PEM) that verifies answers and notifications" }),
    base_url: z
      .url({ protocol: /^https?$/ })
      .optional()
      .meta({
        description:
          "Overrides the API base URL (the simulator Payrail runs by default; https://api.mch.weixin.qq.com for WeChat Pay)",
      }),
  })
  .refine(
    (config) =>
      (config.wechatpay_public_key_id === undefined) === (config.wechatpay_public_key === undefined),
    {
      message: "wechatpay_public_key_id and wechatpay_public_key go together",
      path: ["wechatpay_public_key"],
    },
  )
  .refine((config) => config.platform_certificates.length > 0 || config.wechatpay_public_key !== undefined, {
    message: "needs a platform certificate or the WeChat Pay public key to verify answers",
    path: ["platform_certificates"],
  });

export type WechatPayConfig = z.infer<typeof wechatPayConfigSchema>;

/** Names of the config fields that are secrets: never shown back, never logged. */
export const wechatPaySecretFields: ReadonlyArray<keyof WechatPayConfig> = [
  "merchant_private_key",
  "api_v3_key",
];

export const WECHAT_PAY_PRODUCTION_URL = "https://api.mch.weixin.qq.com";
