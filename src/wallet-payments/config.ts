import { z } from "zod";

const pem = (label: string) =>
  z
    .string()
    .max(20_000)
    .regex(new RegExp(`-----BEGIN ${label}-----[\\s\\S]+-----END ${label}-----`), `must be a PEM ${label}`);

/** A merchant's Apple Pay setup: the payment processing key decrypts tokens, the identity signs sessions. */
export const applePayConfigSchema = z.strictObject({
  merchant_identifier: z.string().min(3).max(255),
  display_name: z.string().min(1).max(64).optional(),
  /** Domains registered with Apple where the payment sheet may open. */
  domains: z
    .array(z.string().regex(/^[a-z0-9.-]{1,253}$/, "must be a domain name"))
    .max(100)
    .optional(),
  /** Secret: the EC P-256 (EC_v1) or RSA (RSA_v1) private key of the payment processing certificate. */
  processing_private_key: z.union([pem("PRIVATE KEY"), pem("EC PRIVATE KEY"), pem("RSA PRIVATE KEY")]),
  /** Optional: the payment processing certificate (its merchant id extension is used when present). */
  processing_certificate: pem("CERTIFICATE").optional(),
  /** The merchant identity certificate and its key, for merchant validation (mutual TLS with Apple). */
  merchant_identity_certificate: pem("CERTIFICATE").optional(),
  merchant_identity_private_key: z
    .union([pem("PRIVATE KEY"), pem("EC PRIVATE KEY"), pem("RSA PRIVATE KEY")])
    .optional(),
});

export const googlePayConfigSchema = z.strictObject({
  /** `merchant:<Google merchant id>` (DIRECT) or `gateway:<gateway id>`. */
  recipient_id: z
    .string()
    .regex(/^(merchant|gateway):[A-Za-z0-9._-]{1,100}$/, "must be merchant:<id> or gateway:<id>"),
  /** Secret: PKCS#8 base64 P-256 private keys whose public keys were registered with Google (rotation: several). */
  private_keys: z
    .array(z.string().regex(/^[A-Za-z0-9+/=]{60,400}$/, "must be base64 PKCS#8"))
    .min(1)
    .max(5),
});

export const WALLET_SECRETS = {
  apple_pay: ["processing_private_key", "merchant_identity_private_key"],
  google_pay: ["private_keys"],
} as const;

export type Wallet = keyof typeof WALLET_SECRETS;
export type ApplePayConfig = z.infer<typeof applePayConfigSchema>;
export type GooglePayConfig = z.infer<typeof googlePayConfigSchema>;
