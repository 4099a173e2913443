import { z } from "zod";

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new Error(`'${text}' is not a duration like 30s, 5m, 2h or 1d`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

const schedule = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      try {
        const delays = text.split(",").map((part) => parseDuration(part));
        if (delays.length === 0) throw new Error("empty schedule");
        return delays;
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    });

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default("127.0.0.1"),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PAYRAIL_DATA_DIR: z.string().default("./.payrail"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PAYRAIL_WEBHOOK_RETRY_SCHEDULE: schedule("1m,5m,30m,2h,5h,10h,10h,10h,24h"),
  PAYRAIL_SYNC_SCHEDULE: schedule("10s,30s,1m,5m,15m,1h,3h,6h,12h,24h"),
  PAYRAIL_WEBHOOK_TIMEOUT: z.string().default("10s").transform(parseDuration),
  PAYRAIL_CONNECTOR_TIMEOUT: z.string().default("30s").transform(parseDuration),
  PAYRAIL_WORKER_POLL: z.string().default("250ms").transform(parseDuration),
  PAYRAIL_CAPTURE_WINDOW: z.string().default("7d").transform(parseDuration),
  /** Largest amount in major units (999999 allows up to 999,999.99 USD, 999,999 JPY, 999,999.999 KWD). */
  PAYRAIL_MAX_AMOUNT: z.coerce.number().int().positive().max(1_000_000_000).default(999_999),
  PAYRAIL_SIMULATORS: z.enum(["on", "off"]).default("on"),
  PAYRAIL_SANDBOX_URL: z.url().optional(),
  /** Stripe's API (e.g. https://api.stripe.com); the Stripe simulator when unset. */
  PAYRAIL_STRIPE_URL: z.url().optional(),
  /** Adyen's Checkout API base (e.g. https://checkout-test.adyen.com); the Adyen simulator when unset. */
  PAYRAIL_ADYEN_URL: z.url().optional(),
  /** Providers of the non-card methods; each defaults to Payrail's own simulator of it. */
  PAYRAIL_ALIPAY_URL: z.url().optional(),
  PAYRAIL_WECHATPAY_URL: z.url().optional(),
  PAYRAIL_PAYPAL_URL: z.url().optional(),
  PAYRAIL_MOLLIE_URL: z.url().optional(),
  PAYRAIL_GRABPAY_URL: z.url().optional(),
  PAYRAIL_BTCPAY_URL: z.url().optional(),
  /** How long a non-card payment's provider order stays payable (QR code, redirect, in-app). */
  PAYRAIL_LOCAL_PAYMENT_TTL: z.string().default("30m").transform(parseDuration),
  PAYRAIL_SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /**
   * The providers' published API documents the Stripe and Adyen simulators validate against (stripe/,
   * adyen/ …); by default ../shared/specs beside the project. Without them those two simulators stay off.
   */
  PAYRAIL_SPECS_DIR: z.string().min(1).optional(),
  /** The demo shop (examples/shop) `payrail serve` starts beside the demo merchant; `off` to skip it. */
  PAYRAIL_DEMO_SHOP: z.enum(["on", "off"]).default("on"),
  PAYRAIL_DEMO_SHOP_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  /** The checkout page's domain as registered with Apple Pay (default: PUBLIC_URL's host). */
  PAYRAIL_APPLE_PAY_DOMAIN: z.string().min(1).max(253).optional(),
  /** The WebAuthn relying party of checkout passkeys: the page's domain (default: PUBLIC_URL's host). */
  PAYRAIL_PASSKEY_RP_ID: z.string().min(1).max(253).optional(),
  /** Where the built checkout page and SDK are (default: dist/ of this checkout). */
  PAYRAIL_DIST_DIR: z.string().min(1).optional(),
  /** Apple Root CA - G3 (PEM file): the trust anchor of live Apple Pay tokens. */
  PAYRAIL_APPLE_PAY_ROOT_CA: z.string().min(1).optional(),
  /** Google's root signing keys (the JSON of Google's keys URL, as a file): live Google Pay tokens. */
  PAYRAIL_GOOGLE_PAY_ROOT_KEYS: z.string().min(1).optional(),
  PAYRAIL_FINGERPRINT_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  /** Vault key-encryption keys, `v1:<base64 32 bytes>,v2:…` (the highest version wraps new data keys). */
  PAYRAIL_VAULT_KEYS: z.string().min(1).optional(),
  /** A key file for the vault keyring instead (`payrail vault rotate` adds versions to it); default in the data folder. */
  PAYRAIL_VAULT_KEY_FILE: z.string().min(1).optional(),
  /** How long a CVC may wait, sealed, for the authorization it was given for (a 3-D Secure challenge, say). */
  PAYRAIL_CVC_TTL: z.string().default("10m").transform(parseDuration),
  /** The bank that executes payouts (pain.001 in, pain.002 out); the bank simulator when unset. */
  PAYRAIL_BANK_URL: z.url().optional(),
  PAYRAIL_BANK_API_KEY: z.string().min(1).default("simbank_test_key"),
  /** The platform's own account, debited by payout files. */
  PAYRAIL_PAYOUT_DEBTOR_NAME: z.string().min(1).max(70).default("Payrail Payouts"),
  PAYRAIL_PAYOUT_DEBTOR_IBAN: z.string().min(15).max(34).default("DE89370400440532013000"),
  PAYRAIL_PAYOUT_DEBTOR_BIC: z.string().min(8).max(11).default("COBADEFFXXX"),
  /** How often the worker runs settlement (matured funds, scheduled payouts, bank files and reports). */
  PAYRAIL_SETTLEMENT_EVERY: z.string().default("1m").transform(parseDuration),
  /** ECB reference rates (eurofxref-daily.xml format): a file path or URL; the ECB simulator when unset. */
  PAYRAIL_FX_RATES: z.string().min(1).optional(),
  /** The platform's FX margin on the reference rate, in basis points. */
  PAYRAIL_FX_SPREAD_BPS: z.coerce.number().int().min(0).max(2000).default(50),
});

export type Config = z.infer<typeof envSchema>;

export class ConfigError extends Error {}

/** Reads and validates the environment; a bad value names its variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable (`DATABASE_URL=`) means unset, as shells and compose files write it.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}
