import { z } from "zod";

export const SPEED_POLICIES = ["HighSpeed", "MediumSpeed", "LowMediumSpeed", "LowSpeed"] as const;

export const btcpayConfigSchema = z.object({
  store_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be a BTCPay store id")
    .meta({ description: "Id of the BTCPay Server store invoices are created in" }),
  api_key: z
    .string()
    .regex(/^[A-Za-z0-9]{20,128}$/, "must be a Greenfield API key (letters and digits)")
    .meta({
      secret: true,
      description:
        "Greenfield API key with the store's invoice, webhook and pull payment permissions (Authorization: token)",
    }),
  webhook_id: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .meta({ description: "Id of the store webhook Payrail registered; set automatically on first use" }),
  webhook_secret: z.string().min(1).max(256).optional().meta({
    secret: true,
    description: "Secret BTCPay signs webhooks with (BTCPay-Sig); set automatically on first use",
  }),
  allowed_countries: z
    .array(z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code in upper case"))
    .max(250)
    .default([])
    .meta({
      description:
        "Shopper countries (ISO 3166-1 alpha-2) this account may take crypto from. Empty (the default) turns crypto off: it is banned or restricted in some countries and carries its own compliance duties.",
    }),
  speed_policy: z
    .enum(SPEED_POLICIES)
    .optional()
    .meta({ description: "Confirmations BTCPay waits for before an invoice is settled (store default)" }),
  base_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({ description: "URL of the BTCPay Server (the simulator Payrail runs by default)" }),
});

export type BtcpayConfig = z.infer<typeof btcpayConfigSchema>;

/** Names of the config fields that are secrets: never shown back, never logged. */
export const btcpaySecretFields: ReadonlyArray<keyof BtcpayConfig> = ["api_key", "webhook_secret"];

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function randomBase58(random: (size: number) => Buffer, length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      // 232 = 4 * 58: rejecting the bytes above keeps every character equally likely.
      if (byte < 232 && out.length < length) out += BASE58[byte % 58];
    }
  }
  return out;
}

/**
 * A fresh test-mode account: a store id shaped like BTCPay's (44 base58 characters) and a 40-hex API
 * key. It only works once the simulator knows it (see simulated.ts). Crypto starts off.
 */
export function newTestAccountConfig(random: (size: number) => Buffer): {
  store_id: string;
  api_key: string;
  allowed_countries: string[];
} {
  return {
    store_id: randomBase58(random, 44),
    api_key: random(20).toString("hex"),
    allowed_countries: [],
  };
}
