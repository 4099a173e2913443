/**
 * Apple Pay and Google Pay as Payrail decrypts them: a merchant's wallet keys (private keys sealed with
 * the vault keyring), token decryption into a network-token card for the card connector, and Apple Pay
 * merchant validation. Tokens are one-time: the device PAN and cryptogram live only in memory for the
 * authorization they came for.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import currencyCodes from "currency-codes";
import type { NetworkTokenData } from "../connectors/contract.ts";
import { ApiError, invalidRequest } from "../core/errors.ts";
import { type CardSummary, json, type WalletConfigsTable } from "../db/schema.ts";
import type { AppContext, AuthContext } from "../http/context.ts";
import type { VaultCipher } from "../payment-methods/cipher.ts";
import { lookupBin } from "../vault/bin/lookup.ts";
import {
  type ApplePayPaymentData,
  ApplePaySessionError,
  ApplePayTokenError,
  decryptApplePayToken,
  extractMerchantId,
  requestApplePaySession,
} from "../wallets/applepay/index.ts";
import {
  GooglePayTokenError,
  type GoogleRootSigningKey,
  unsealGooglePayToken,
} from "../wallets/googlepay/index.ts";
import {
  type ApplePayConfig,
  applePayConfigSchema,
  type GooglePayConfig,
  googlePayConfigSchema,
  WALLET_SECRETS,
  type Wallet,
} from "./config.ts";

/** Trust anchors and Apple's session service: configuration, so tests and test mode inject their own. */
export interface WalletTrust {
  appleRootPem(livemode: boolean): Promise<string | undefined>;
  googleRootKeys(livemode: boolean): Promise<GoogleRootSigningKey[] | undefined>;
  /** Test mode: the Apple Pay simulator stands in for Apple's session service and merchant identity. */
  appleSessionService(livemode: boolean):
    | {
        allowedHosts: string[];
        caPem: string;
        identity: { certificatePem: string; privateKeyPem: string; merchantIdentifier: string };
      }
    | undefined;
}

export interface WalletCard {
  card: { number: string; exp_month: number; exp_year: number };
  networkToken?: NetworkTokenData;
  summary: CardSummary & { wallet: { type: Wallet } };
}

export type WalletPaymentData =
  | { type: "apple_pay"; apple_pay: { payment_data: ApplePayPaymentData } }
  | { type: "google_pay"; google_pay: { token: string; mode?: "direct" | "gateway" | undefined } };

const recordId = (wallet: Wallet, livemode: boolean) => `wallet_${wallet}_${livemode ? "live" : "test"}`;

function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem)).export({ type: "spki", format: "pem" }).toString();
}

function googlePublicKeyOf(pkcs8Base64: string): string {
  const key = createPublicKey(
    createPrivateKey({ key: Buffer.from(pkcs8Base64, "base64"), format: "der", type: "pkcs8" }),
  );
  const jwk = key.export({ format: "jwk" });
  return Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x as string, "base64url"),
    Buffer.from(jwk.y as string, "base64url"),
  ]).toString("base64");
}

function tokenError(wallet: Wallet, code: string, param: string): ApiError {
  const name = wallet === "apple_pay" ? "Apple Pay" : "Google Pay";
  return new ApiError(400, {
    type: "invalid_request_error",
    code: "wallet_token_invalid",
    message: `The ${name} token was refused (${code}); no payment was attempted. Ask the shopper to pay again.`,
    param,
    wallet_error: code,
  });
}

export function createWalletService(deps: { ctx: AppContext; cipher: VaultCipher; trust: WalletTrust }) {
  const { ctx, cipher, trust } = deps;

  async function store(
    auth: AuthContext,
    wallet: Wallet,
    config: Record<string, unknown>,
    options: { keepExisting?: boolean } = {},
  ) {
    const secretNames = new Set<string>(WALLET_SECRETS[wallet]);
    const plain = Object.fromEntries(Object.entries(config).filter(([k]) => !secretNames.has(k)));
    const secret = Object.fromEntries(Object.entries(config).filter(([k]) => secretNames.has(k)));
    const sealed = await cipher.seal(Buffer.from(JSON.stringify(secret)), {
      merchantId: auth.merchantId,
      recordId: recordId(wallet, auth.livemode),
    });
    const now = ctx.clock.now();
    const row = {
      config: json(plain),
      sealed_secrets: sealed.sealed,
      secrets_key_version: sealed.keyVersion,
      updated_at: now,
    };
    await ctx.db
      .insertInto("wallet_configs")
      .values({ merchant_id: auth.merchantId, livemode: auth.livemode, wallet, created_at: now, ...row })
      .onConflict((oc) =>
        // Two first looks at once must not swap the keys one of them has already shown.
        options.keepExisting
          ? oc.columns(["merchant_id", "livemode", "wallet"]).doNothing()
          : oc.columns(["merchant_id", "livemode", "wallet"]).doUpdateSet(row),
      )
      .execute();
  }

  /** Test mode works out of the box: a merchant's first look creates keys for the simulators to use. */
  function testDefaults(auth: AuthContext, wallet: Wallet): Record<string, unknown> {
    if (wallet === "apple_pay") {
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      return {
        merchant_identifier: `merchant.test.${auth.merchantId}`,
        display_name: "Payrail test shop",
        processing_private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      };
    }
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    return {
      recipient_id: `merchant:${auth.merchantId}`,
      private_keys: [privateKey.export({ type: "pkcs8", format: "der" }).toString("base64")],
    };
  }

  async function load(auth: AuthContext, wallet: Wallet): Promise<Record<string, unknown> | undefined> {
    const row = await ctx.db
      .selectFrom("wallet_configs")
      .selectAll()
      .where("merchant_id", "=", auth.merchantId)
      .where("livemode", "=", auth.livemode)
      .where("wallet", "=", wallet)
      .executeTakeFirst();
    if (!row) {
      if (auth.livemode) return undefined;
      await store(auth, wallet, testDefaults(auth, wallet), { keepExisting: true });
      return load(auth, wallet);
    }
    return { ...row.config, ...(await openSecrets(auth, row)) };
  }

  async function openSecrets(
    auth: AuthContext,
    row: Pick<WalletConfigsTable, "wallet"> & { sealed_secrets: string | null },
  ) {
    if (!row.sealed_secrets) return {};
    const plain = await cipher.open(row.sealed_secrets, {
      merchantId: auth.merchantId,
      recordId: recordId(row.wallet as Wallet, auth.livemode),
    });
    try {
      return JSON.parse(plain.toString("utf8")) as Record<string, unknown>;
    } finally {
      plain.fill(0);
    }
  }

  function present(wallet: Wallet, config: Record<string, unknown> | undefined) {
    if (!config) return { wallet, configured: false };
    if (wallet === "apple_pay") {
      const c = config as ApplePayConfig;
      return {
        wallet,
        configured: true,
        merchant_identifier: c.merchant_identifier,
        display_name: c.display_name ?? null,
        domains: c.domains ?? [],
        processing_public_key: publicKeyPemOf(c.processing_private_key),
        merchant_validation: Boolean(c.merchant_identity_certificate && c.merchant_identity_private_key),
      };
    }
    const c = config as GooglePayConfig;
    return {
      wallet,
      configured: true,
      recipient_id: c.recipient_id,
      public_keys: c.private_keys.map(googlePublicKeyOf),
    };
  }

  function merchantIdHex(config: ApplePayConfig): string {
    if (config.processing_certificate) return extractMerchantId(config.processing_certificate);
    return createHash("sha256").update(config.merchant_identifier, "utf8").digest("hex").toUpperCase();
  }

  function checkAmount(
    wallet: Wallet,
    token: { amount?: bigint; currencyNumeric?: string },
    expected: { amount: bigint; currency: string },
    param: string,
  ) {
    if (token.amount !== undefined && token.amount !== expected.amount) {
      throw invalidRequest(
        `The ${wallet === "apple_pay" ? "Apple Pay" : "Google Pay"} token was made for another amount (${token.amount}), not ${expected.amount}.`,
        param,
        "wallet_amount_mismatch",
      );
    }
    if (token.currencyNumeric !== undefined) {
      const code = currencyCodes.number(token.currencyNumeric)?.code.toLowerCase();
      if (code && code !== expected.currency) {
        throw invalidRequest(
          `The Apple Pay token was made for ${code.toUpperCase()}, not ${expected.currency.toUpperCase()}.`,
          param,
          "wallet_amount_mismatch",
        );
      }
    }
  }

  return {
    async describe(auth: AuthContext) {
      return {
        object: "wallet_configs",
        apple_pay: present("apple_pay", await load(auth, "apple_pay")),
        google_pay: present("google_pay", await load(auth, "google_pay")),
      };
    },

    async configure(auth: AuthContext, wallet: Wallet, input: Record<string, unknown>) {
      const schema = wallet === "apple_pay" ? applePayConfigSchema : googlePayConfigSchema;
      const current = (await load(auth, wallet)) ?? {};
      const parsed = schema.safeParse({ ...current, ...input });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = issue?.path.map(String) ?? [];
        throw invalidRequest(
          `${path.join(".") || wallet} ${issue?.message ?? "is invalid"}.`,
          path.join(".") || undefined,
        );
      }
      try {
        if (wallet === "apple_pay") publicKeyPemOf((parsed.data as ApplePayConfig).processing_private_key);
        else (parsed.data as GooglePayConfig).private_keys.forEach(googlePublicKeyOf);
      } catch {
        throw invalidRequest(
          "The private key cannot be read.",
          wallet === "apple_pay" ? "processing_private_key" : "private_keys",
        );
      }
      await store(auth, wallet, parsed.data);
      return present(wallet, parsed.data);
    },

    /** Decrypts a wallet token for one authorization of `expected`; never stored. */
    async decrypt(
      auth: AuthContext,
      data: WalletPaymentData,
      expected: { amount: bigint; currency: string },
      paramPrefix: string,
    ): Promise<WalletCard> {
      const now = ctx.clock.now();
      if (data.type === "apple_pay") {
        const param = `${paramPrefix}[apple_pay][payment_data]`;
        const config = (await load(auth, "apple_pay")) as ApplePayConfig | undefined;
        const root = await trust.appleRootPem(auth.livemode);
        if (!config || !root) {
          throw invalidRequest(
            "Apple Pay is not set up for this mode: configure it with POST /v1/wallets/apple_pay (and PAYRAIL_APPLE_PAY_ROOT_CA for live mode).",
            param,
            "wallet_not_configured",
          );
        }
        let decrypted: Awaited<ReturnType<typeof decryptApplePayToken>>;
        try {
          decrypted = await decryptApplePayToken(data.apple_pay.payment_data, {
            privateKeyPem: config.processing_private_key,
            merchantId: merchantIdHex(config),
            trustedRootPem: root,
            now,
          });
        } catch (error) {
          if (error instanceof ApplePayTokenError) throw tokenError("apple_pay", error.code, param);
          throw error;
        }
        checkAmount(
          "apple_pay",
          { amount: BigInt(decrypted.transactionAmount), currencyNumeric: decrypted.currencyCode },
          expected,
          param,
        );
        const number = decrypted.applicationPrimaryAccountNumber;
        const expiry = decrypted.applicationExpirationDate;
        const card = {
          number,
          exp_month: Number(expiry.slice(2, 4)),
          exp_year: 2000 + Number(expiry.slice(0, 2)),
        };
        const paymentData = decrypted.paymentData as {
          onlinePaymentCryptogram?: string;
          eciIndicator?: string;
        };
        return {
          card,
          ...(paymentData.onlinePaymentCryptogram
            ? {
                networkToken: {
                  wallet: "apple_pay" as const,
                  cryptogram: paymentData.onlinePaymentCryptogram,
                  ...(paymentData.eciIndicator ? { eci: paymentData.eciIndicator } : {}),
                },
              }
            : {}),
          summary: summaryOf("apple_pay", card),
        };
      }
      const param = `${paramPrefix}[google_pay][token]`;
      const config = (await load(auth, "google_pay")) as GooglePayConfig | undefined;
      const roots = await trust.googleRootKeys(auth.livemode);
      if (!config || !roots) {
        throw invalidRequest(
          "Google Pay is not set up for this mode: configure it with POST /v1/wallets/google_pay (and PAYRAIL_GOOGLE_PAY_ROOT_KEYS for live mode).",
          param,
          "wallet_not_configured",
        );
      }
      let unsealed: ReturnType<typeof unsealGooglePayToken>;
      try {
        unsealed = unsealGooglePayToken(data.google_pay.token, {
          recipientId: config.recipient_id as `merchant:${string}`,
          merchantPrivateKeysPkcs8Base64: config.private_keys,
          googleRootSigningKeys: roots,
          now,
        });
      } catch (error) {
        if (error instanceof GooglePayTokenError) throw tokenError("google_pay", error.code, param);
        throw error;
      }
      const details = unsealed.paymentMethodDetails;
      const card = {
        number: details.pan,
        exp_month: details.expirationMonth,
        exp_year: details.expirationYear,
      };
      return {
        card,
        // PAN_ONLY has no cryptogram: it goes as a plain card, and the issuer may ask for 3-D Secure.
        ...(details.cryptogram
          ? {
              networkToken: {
                wallet: "google_pay" as const,
                cryptogram: details.cryptogram,
                ...(details.eciIndicator ? { eci: details.eciIndicator } : {}),
              },
            }
          : {}),
        summary: summaryOf("google_pay", card),
      };
    },

    /** Apple Pay merchant validation for the checkout page: Payrail calls Apple with the merchant identity. */
    async appleSession(auth: AuthContext, input: { validation_url: string; domain: string }) {
      const config = (await load(auth, "apple_pay")) as ApplePayConfig | undefined;
      const service = trust.appleSessionService(auth.livemode);
      const identity =
        service?.identity ??
        (config?.merchant_identity_certificate && config.merchant_identity_private_key
          ? {
              certificatePem: config.merchant_identity_certificate,
              privateKeyPem: config.merchant_identity_private_key,
              merchantIdentifier: config.merchant_identifier,
            }
          : undefined);
      if (!config || !identity) {
        throw invalidRequest(
          "Apple Pay merchant validation needs the merchant identity certificate and key: set them with POST /v1/wallets/apple_pay.",
          undefined,
          "wallet_not_configured",
        );
      }
      if (config.domains && config.domains.length > 0 && !config.domains.includes(input.domain)) {
        throw invalidRequest(
          `The domain ${input.domain} is not registered for Apple Pay on this account.`,
          "domain",
        );
      }
      try {
        return await requestApplePaySession({
          url: input.validation_url,
          merchantIdentifier: identity.merchantIdentifier,
          displayName: config.display_name ?? "Shop",
          initiative: "web",
          initiativeContext: input.domain,
          certificatePem: identity.certificatePem,
          privateKeyPem: identity.privateKeyPem,
          timeoutMs: ctx.config.PAYRAIL_CONNECTOR_TIMEOUT,
          ...(service ? { caPem: service.caPem, allowedHosts: service.allowedHosts } : {}),
        });
      } catch (error) {
        if (!(error instanceof ApplePaySessionError)) throw error;
        throw new ApiError(error.code === "url_not_allowed" || error.code === "invalid_request" ? 400 : 502, {
          type:
            error.code === "url_not_allowed" || error.code === "invalid_request"
              ? "invalid_request_error"
              : "api_error",
          code: `apple_pay_session_${error.code}`,
          message: `Apple Pay merchant validation failed: ${error.message}`,
          ...(error.code === "url_not_allowed" ? { param: "validation_url" } : {}),
        });
      }
    },
  };
}

function summaryOf(wallet: Wallet, card: { number: string; exp_month: number; exp_year: number }) {
  const facts = lookupBin(card.number);
  return {
    brand: facts.brand,
    last4: card.number.slice(-4),
    exp_month: card.exp_month,
    exp_year: card.exp_year,
    // Device PANs are tokens: no fingerprint of the underlying card exists here.
    fingerprint: "",
    funding: facts.funding,
    country: facts.country,
    wallet: { type: wallet },
  };
}

export type WalletService = ReturnType<typeof createWalletService>;
