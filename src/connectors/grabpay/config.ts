import { z } from "zod";

/** The markets GrabPay Online serves, each with the one currency its merchant ids take. */
export const GRABPAY_MARKETS = {
  SG: "sgd",
  MY: "myr",
  PH: "php",
  TH: "thb",
  ID: "idr",
  VN: "vnd",
} as const;

export type GrabPayCountry = keyof typeof GRABPAY_MARKETS;

const COUNTRIES = Object.keys(GRABPAY_MARKETS) as [GrabPayCountry, ...GrabPayCountry[]];

export const grabPayConfigSchema = z.object({
  partner_id: z.string().min(1).max(64).meta({ description: "GrabPay partner id (signs API requests)" }),
  partner_secret: z.string().min(8).meta({
    secret: true,
    description: "GrabPay partner secret: the HMAC key of API requests and notifications",
  }),
  client_id: z.string().min(1).max(64).meta({ description: "GrabID OAuth client id of the partner" }),
  client_secret: z.string().min(8).meta({
    secret: true,
    description: "GrabID OAuth client secret (token exchange and proof of possession)",
  }),
  merchant_id: z
    .string()
    .min(1)
    .max(64)
    .meta({ description: "GrabPay merchant id (one market, one currency)" }),
  country: z
    .enum(COUNTRIES)
    .default("SG")
    .meta({ description: "The merchant id's market; it takes only that market's currency" }),
  base_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description: "Overrides the GrabPay API and GrabID URL (the simulator Payrail runs by default)",
    }),
  redirect_uri: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description:
        "A fixed GrabID redirect_uri for every payment of this account (GrabID only takes registered URIs); default: Payrail's return URL of each payment",
    }),
  notification_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description:
        "The notification URL registered with GrabPay (its path and query are signed); default: Payrail's hook URL of this account",
    }),
});

export type GrabPayConfig = z.infer<typeof grabPayConfigSchema>;

/** Names of the config fields that are secrets: never shown back, never logged. */
export const grabPaySecretFields: ReadonlyArray<keyof GrabPayConfig> = ["partner_secret", "client_secret"];

export function currencyOfMarket(config: GrabPayConfig): string {
  return GRABPAY_MARKETS[config.country];
}

/** A fresh test-mode account: random ids and secrets, to be registered with the simulator. */
export function newTestAccountConfig(random: (size: number) => Buffer): Record<string, unknown> {
  const id = random(6).toString("hex");
  return {
    partner_id: `partner-${id}`,
    partner_secret: random(24).toString("base64url"),
    client_id: `client-${id}`,
    client_secret: random(24).toString("base64url"),
    merchant_id: `merchant-${id}`,
    country: "SG",
  };
}
