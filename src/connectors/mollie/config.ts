import { z } from "zod";

export const mollieConfigSchema = z.object({
  api_key: z
    .string()
    .regex(
      /^(test|live)_[0-9A-Za-z]{25,}$/,
      "must look like test_ or live_ followed by at least 25 letters or digits",
    )
    .meta({ secret: true, description: "Mollie API key of the website profile (test_… or live_…)" }),
  profile_id: z
    .string()
    .regex(/^pfl_[0-9A-Za-z]{5,}$/, "must look like pfl_ followed by letters or digits")
    .optional()
    .meta({
      description:
        "The website profile the API key belongs to, for the merchant's records (an API key is bound to one profile, so it is not sent)",
    }),
  base_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description:
        "Overrides the API base URL, without /v2 (the simulator Payrail runs by default; https://api.mollie.com for Mollie)",
    }),
});

export type MollieConfig = z.infer<typeof mollieConfigSchema>;

/** Names of the config fields that are secrets: never shown back, never logged. */
export const mollieSecretFields: ReadonlyArray<keyof MollieConfig> = ["api_key"];

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `test_` and 30 letters or digits, the shape of Mollie's test API keys. */
export function generateTestApiKey(random: (size: number) => Buffer): string {
  let key = "";
  while (key.length < 30) {
    for (const byte of random(60)) {
      // 248 = 4 * 62: rejecting the bytes above keeps every character equally likely.
      if (byte < 248 && key.length < 30) key += BASE62[byte % 62];
    }
  }
  return `test_${key}`;
}

/** Where and how to call Mollie for an account: its own base URL if set, else Payrail's default. */
export function connectionFor(
  config: Record<string, unknown>,
  timeoutMs: number,
  defaultBaseUrl: () => string,
): { baseUrl: string; apiKey: string; timeoutMs: number } {
  const parsed = mollieConfigSchema.parse(config);
  // Paths start with /v2, so a base URL written with it (https://api.mollie.com/v2) is taken as meant.
  const baseUrl = (parsed.base_url ?? defaultBaseUrl()).replace(/\/+$/, "").replace(/\/v2$/, "");
  return { baseUrl, apiKey: parsed.api_key, timeoutMs };
}
