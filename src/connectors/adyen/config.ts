import { z } from "zod";

export const adyenConfigSchema = z.object({
  api_key: z
    .string()
    .min(20, "must be an Adyen API key")
    .max(1024)
    .regex(/^\S+$/, "must not contain spaces")
    .meta({ secret: true, description: "API key of the Adyen API credential (X-API-Key)" }),
  merchant_account: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,80}$/, "must be an Adyen merchant account code")
    .meta({ description: "Merchant account code payments are processed on" }),
  hmac_key: z
    .string()
    .regex(/^[0-9A-Fa-f]{64}$/, "must be 64 hexadecimal characters")
    .optional()
    .meta({
      secret: true,
      description:
        "HMAC key of the standard webhook; Payrail registers the webhook and stores it when absent",
    }),
  webhook_id: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .meta({ description: "Id of the standard webhook Payrail registered on the merchant account" }),
  base_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description:
        "Overrides the API base URL (the simulator Payrail runs by default; https://checkout-test.adyen.com for Adyen's test environment)",
    }),
});

export type AdyenConfig = z.infer<typeof adyenConfigSchema>;

/** Names of the config fields that are secrets: never shown back, never logged. */
export const adyenSecretFields: ReadonlyArray<keyof AdyenConfig> = ["api_key", "hmac_key"];

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomBase62(random: (size: number) => Buffer, length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      // 248 = 4 * 62: rejecting the bytes above keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** A new merchant's test account on the Adyen simulator: a fresh API key and merchant account. */
export function defaultTestAccountConfig(random: (size: number) => Buffer): AdyenConfig {
  return {
    api_key: randomBase62(random, 48),
    merchant_account: `PayrailTest${randomBase62(random, 10)}`,
  };
}
