import { z } from "zod";

/** Stripe's SDK reaches one host and port; it cannot put a path in front of `/v1/...`. */
export function isOriginOnly(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.pathname === "/" && parsed.search === "" && parsed.hash === "";
  } catch {
    return false;
  }
}

export const stripeConfigSchema = z.object({
  secret_key: z
    .string()
    .regex(
      /^sk_(test|live)_[0-9A-Za-z]{24,}$/,
      "must look like sk_test_ or sk_live_ followed by at least 24 letters or digits",
    )
    .meta({ secret: true, description: "Secret API key of the Stripe account" }),
  webhook_secret: z
    .string()
    .regex(/^whsec_[!-~]{8,}$/, "must look like whsec_ followed by the signing secret")
    .optional()
    .meta({
      secret: true,
      description: "Signing secret of the Stripe webhook endpoint; registered automatically when missing",
    }),
  base_url: z
    .url({ protocol: /^https?$/ })
    .refine(isOriginOnly, "must be an origin only (scheme, host and port, no path)")
    .optional()
    .meta({ description: "Overrides the Stripe API URL (the local Stripe simulator by default)" }),
});

export type StripeConfig = z.infer<typeof stripeConfigSchema>;

/** Names of the config fields that are secrets: never shown back, never logged. */
export const stripeSecretFields: ReadonlyArray<keyof StripeConfig> = ["secret_key", "webhook_secret"];
