import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { negotiateLocale, parseAcceptLanguage } from "../../web/checkout/src/i18n/index.ts";
import type { MessageKey } from "../../web/checkout/src/i18n/messages/en.ts";
import type { ConnectorAccountCache } from "../connectors/account-cache.ts";
import { toConnectorAccount } from "../connectors/accounts.ts";
import type { ConnectorRegistry } from "../connectors/registry.ts";
import { ApiError } from "../core/errors.ts";
import type { CheckoutSessionRow, PaymentIntentRow } from "../db/schema.ts";
import type { FxService } from "../fx/service.ts";
import type { AppContext, AuthContext } from "../http/context.ts";
import { defineRoute, type HandlerInput } from "../http/route.ts";
import type { PasskeyService } from "../passkeys/service.ts";
import { paymentMethodDataSchema, requestInfo } from "../payments/routes.ts";
import type { PaymentService } from "../payments/service.ts";
import type { WalletService } from "../wallet-payments/service.ts";
import { shopperErrorMessage, translate } from "./messages.ts";
import { detectDevice, inAppOf, orderMethods, shopperCountry } from "./method-order.ts";
import { passkeyRelyingParty } from "./passkey-rp.ts";
import { sessionState } from "./sessions.ts";
import {
  CHECKOUT_LOCALES,
  CHECKOUT_METHOD_TYPES,
  type CheckoutIntentStatus,
  type CheckoutLocale,
  type CheckoutMethodType,
  type CheckoutView,
  type DisplayQuote,
} from "./view-types.ts";

export const CLIENT_SECRET_HEADER = "payrail-client-secret";

const forbidden = () =>
  new ApiError(403, {
    type: "permission_error",
    code: "client_secret_invalid",
    message: "This page's payment link is not valid. Return to the shop and start the payment again.",
  });

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface PageApiDeps {
  ctx: AppContext;
  payments: PaymentService;
  accounts: ConnectorAccountCache;
  connectors: ConnectorRegistry;
  passkeys: PasskeyService;
  wallets: WalletService;
  fx: FxService;
}

/** The page acts for one intent, with that intent's client secret as its only credential. */
export async function intentForSecret(
  ctx: AppContext,
  intentId: string,
  secret: string | undefined,
): Promise<{ auth: AuthContext; intent: PaymentIntentRow }> {
  if (!secret || !/^pi_[0-9A-Za-z]+$/.test(intentId)) throw forbidden();
  const intent = await ctx.db
    .selectFrom("payment_intents")
    .selectAll()
    .where("id", "=", intentId)
    .executeTakeFirst();
  if (!intent || !sameSecret(intent.client_secret, secret)) throw forbidden();
  return {
    auth: {
      merchantId: intent.merchant_id,
      livemode: intent.livemode,
      keyKind: "publishable",
      keyId: "client_secret",
    },
    intent,
  };
}

/** Methods the merchant's enabled accounts can take for this intent (before fitting and ordering). */
async function enabledMethods(
  deps: PageApiDeps,
  intent: PaymentIntentRow,
  country: string | null,
): Promise<CheckoutMethodType[]> {
  const accounts = await deps.accounts.enabledFor(intent.merchant_id, intent.livemode);
  const offered = new Set<string>();
  for (const account of accounts) {
    const connector = deps.connectors.get(account.connector);
    const caps = connector?.capabilities;
    if (!caps) continue;
    // An account that must not serve this shopper (crypto outside its allowed countries) offers nothing.
    if (connector.refusesShopper?.(toConnectorAccount(account), { country: country ?? undefined })) continue;
    if (caps.currencies !== "*" && !caps.currencies.includes(intent.currency)) continue;
    if (account.currencies && !account.currencies.includes(intent.currency)) continue;
    for (const method of caps.paymentMethods)
      if (!account.payment_methods || account.payment_methods.includes(method)) offered.add(method);
  }
  // Apple Pay and Google Pay hand over cards: whoever processes cards processes them.
  if (offered.has("card")) {
    offered.add("apple_pay");
    offered.add("google_pay");
  }
  const allowed = intent.payment_method_types;
  return CHECKOUT_METHOD_TYPES.filter((m) => offered.has(m) && (!allowed || allowed.includes(m)));
}

export interface ShopperContext {
  userAgent?: string | undefined;
  acceptLanguage?: string | undefined;
  countryHeader?: string | undefined;
  /** `?locale=` or the session's locale; "auto" or absent: from Accept-Language. */
  requestedLocale?: string | undefined;
}

export function pickLocale(
  requested: string | undefined,
  acceptLanguage: string | undefined,
): CheckoutLocale {
  if (requested && (CHECKOUT_LOCALES as readonly string[]).includes(requested))
    return requested as CheckoutLocale;
  return negotiateLocale(parseAcceptLanguage(acceptLanguage));
}

function shopperStatus(status: string): CheckoutIntentStatus {
  // A payment waiting for a person's review is, to the shopper, still being confirmed.
  return (status === "requires_review" ? "processing" : status) as CheckoutIntentStatus;
}

export async function buildView(
  deps: PageApiDeps,
  intent: PaymentIntentRow,
  session: CheckoutSessionRow | undefined,
  shopper: ShopperContext,
): Promise<CheckoutView> {
  const { ctx } = deps;
  const locale = pickLocale(
    shopper.requestedLocale ?? (session?.locale !== "auto" ? session?.locale : undefined),
    shopper.acceptLanguage,
  );
  const merchant = await ctx.db
    .selectFrom("merchants")
    .select("name")
    .where("id", "=", intent.merchant_id)
    .executeTakeFirstOrThrow();
  const device = detectDevice(shopper.userAgent);
  const country = shopperCountry({
    countryHeader: shopper.countryHeader,
    acceptLanguage: shopper.acceptLanguage,
    sessionCountry: session?.shopper_country ?? null,
  });
  const methods = orderMethods({
    enabled: await enabledMethods(deps, intent, country),
    currency: intent.currency,
    amount: Number(intent.amount),
    country,
    device,
    inApp: inAppOf(shopper.userAgent),
    merchantOrder: (session?.method_order as CheckoutMethodType[] | null) ?? null,
  });
  const error = intent.last_payment_error as { code?: string; decline_code?: string } | null;
  const methodType = intent.payment_method_type ?? null;
  let customer: CheckoutView["customer"] = null;
  if (intent.customer_id) {
    const cards = await ctx.db
      .selectFrom("payment_methods")
      .select(["id", "card"])
      .where("merchant_id", "=", intent.merchant_id)
      .where("customer_id", "=", intent.customer_id)
      .where("livemode", "=", intent.livemode)
      .where("attached_at", "is not", null)
      .orderBy("attached_at", "desc")
      .limit(10)
      .execute();
    customer = {
      id: intent.customer_id,
      saved_cards: cards.map((c) => ({
        id: c.id,
        brand: c.card.brand,
        last4: c.card.last4,
        exp_month: c.card.exp_month,
        exp_year: c.card.exp_year,
      })),
      has_passkey: await deps.passkeys.hasPasskey(intent.merchant_id, intent.customer_id),
    };
  }
  const walletConfig = methods.some((m) => m.flow === "wallet")
    ? await deps.wallets.describe({
        merchantId: intent.merchant_id,
        livemode: intent.livemode,
        keyKind: "publishable",
        keyId: "client_secret",
      })
    : undefined;
  const google = walletConfig?.google_pay as {
    configured: boolean;
    recipient_id?: string;
    public_keys?: string[];
  };
  const apple = walletConfig?.apple_pay as {
    configured: boolean;
    merchant_identifier?: string;
    display_name?: string;
  };
  const wallets: CheckoutView["wallets"] = {
    google_pay:
      google?.configured && google.recipient_id && google.public_keys?.[0]
        ? {
            environment: intent.livemode ? "PRODUCTION" : "TEST",
            merchant_id: google.recipient_id.replace(/^merchant:/, ""),
            merchant_name: merchant.name,
            public_key: google.public_keys[0],
          }
        : null,
    apple_pay:
      apple?.configured && apple.merchant_identifier
        ? {
            merchant_identifier: apple.merchant_identifier,
            display_name: apple.display_name ?? merchant.name,
          }
        : null,
  };
  return {
    intent: {
      id: intent.id,
      status: shopperStatus(intent.status),
      amount: Number(intent.amount),
      currency: intent.currency,
      next_action: (intent.next_action as CheckoutView["intent"]["next_action"]) ?? null,
      last_payment_error: error
        ? {
            code: error.code ?? "card_declined",
            decline_code: error.decline_code ?? null,
            message: shopperErrorMessage(locale, error, methodType),
          }
        : null,
      cancellation_reason: intent.cancellation_reason,
      payment_method_type: methodType,
    },
    session: session
      ? {
          id: session.id,
          status: sessionState(session, intent.status, ctx.clock.now()).status,
          success_url: session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id),
          cancel_url: session.cancel_url,
          expires_at: Math.floor(session.expires_at.getTime() / 1000),
          line_items: session.line_items.map((i) => ({
            name: i.name,
            quantity: i.quantity,
            amount: Number(i.amount),
          })),
        }
      : null,
    merchant: { name: merchant.name },
    livemode: intent.livemode,
    locale,
    // A wallet the merchant has not set up is not offered.
    methods: methods.filter(
      (m) => m.flow !== "wallet" || wallets[m.type as "google_pay" | "apple_pay"] !== null,
    ),
    device,
    country,
    customer,
    display_currencies: session?.display_currencies ?? [],
    wallets,
  };
}

/** The browser's PublicKeyCredential as JSON; @simplewebauthn/server checks every field inside. */
const webauthnResponse = z.looseObject({
  id: z.string().min(1).max(1400),
  rawId: z.string().min(1).max(1400),
  type: z.literal("public-key"),
  response: z.looseObject({}),
});

/** At most this many attempts (declines included) per payment from the page. */
const MAX_PAGE_ATTEMPTS = 10;

/** The card errors a shopper can fix, in their language (the API's own messages are English). */
const CARD_PARAM_MESSAGES: Record<string, MessageKey> = {
  "payment_method_data[card][number]": "card.invalid_number",
  "payment_method_data[card][exp_month]": "card.invalid_expiry",
  "payment_method_data[card][exp_year]": "card.invalid_expiry",
  "payment_method_data[card][cvc]": "card.invalid_cvc",
  cvc: "card.invalid_cvc",
};

const acceptLanguageOf = (input: HandlerInput<unknown, unknown, unknown>) => {
  const value = input.headers["accept-language"];
  return typeof value === "string" ? value : undefined;
};

const intentParams = z.strictObject({ id: z.string().regex(/^pi_[0-9A-Za-z]+$/, "must be a pi_ id") });
const localeQuery = z.strictObject({ locale: z.enum(CHECKOUT_LOCALES).optional() });

const pageConfirmBody = z.strictObject({
  payment_method_data: paymentMethodDataSchema.optional(),
  /** A saved card of the intent's customer, with its CVC when no passkey confirmed it. */
  payment_method: z
    .string()
    .regex(/^pm_[0-9A-Za-z]+$/, "must be a pm_ id")
    .optional(),
  cvc: z
    .string()
    .regex(/^[0-9]{3,4}$/, "must be 3 or 4 digits")
    .optional(),
  /** Instead of the CVC: the customer's passkey assertion over a challenge from authentication-options. */
  passkey: z
    .strictObject({ challenge_id: z.string().regex(/^pkch_[0-9A-Za-z]+$/), response: webauthnResponse })
    .optional(),
  save_card: z.boolean().optional(),
  locale: z.enum(CHECKOUT_LOCALES).optional(),
});

const passkeyRegistrationBody = z.strictObject({
  challenge_id: z.string().regex(/^pkch_[0-9A-Za-z]+$/, "must be a pkch_ id"),
  response: webauthnResponse,
});

function shopperOf(input: HandlerInput<unknown, unknown, unknown>, locale?: string): ShopperContext {
  const header = (name: string) => {
    const value = input.headers[name];
    return typeof value === "string" ? value : undefined;
  };
  return {
    userAgent: header("user-agent"),
    acceptLanguage: header("accept-language"),
    countryHeader: header("cf-ipcountry"),
    requestedLocale: locale,
  };
}

async function sessionOf(ctx: AppContext, intent: PaymentIntentRow) {
  return ctx.db
    .selectFrom("checkout_sessions")
    .selectAll()
    .where("payment_intent_id", "=", intent.id)
    .where("merchant_id", "=", intent.merchant_id)
    .executeTakeFirst();
}

/**
 * The API the checkout page calls (hosted or embedded). Authenticated by the intent's client secret in
 * the `Payrail-Client-Secret` header (never in a URL, so never in a log); confirms take an
 * Idempotency-Key, one per attempt, so a double click or a retried request charges once.
 */
export function checkoutPageApiRoutes(deps: PageApiDeps) {
  const { ctx } = deps;
  const relyingParty = () => {
    const rp = passkeyRelyingParty(ctx.config, ctx.publicUrl());
    return { id: rp.id, name: rp.name, origin: rp.origins };
  };
  const customerOf = async (auth: AuthContext, id: string, purpose: "register" | "authenticate") => {
    const intent = await deps.payments.get(auth, id);
    if (!intent.customer_id)
      throw new ApiError(400, {
        type: "invalid_request_error",
        code: "customer_required",
        message: "Passkeys are for signed-in customers: this payment has no customer.",
      });
    if (purpose === "register" && intent.status !== "succeeded" && intent.status !== "requires_capture")
      throw new ApiError(400, {
        type: "invalid_request_error",
        code: "payment_intent_unexpected_state",
        message: "A passkey is offered after a successful payment.",
      });
    return { intent, customerId: intent.customer_id };
  };
  const authenticate = async (request: HandlerInput<unknown, unknown, unknown>["request"]) => {
    const secret = request.headers[CLIENT_SECRET_HEADER];
    const { id } = request.params as { id: string };
    return (await intentForSecret(ctx, id, typeof secret === "string" ? secret : undefined)).auth;
  };
  return [
    defineRoute({
      method: "GET",
      url: "/pay/api/intents/:id",
      summary: "The checkout page's view of a payment: status, methods in order, the next step",
      tags: ["Checkout page"],
      auth: "none",
      authenticate,
      params: intentParams,
      query: localeQuery,
      async handler(input) {
        const intent = await deps.payments.get(input.auth, input.params.id);
        const session = await sessionOf(ctx, intent);
        return { body: await buildView(deps, intent, session, shopperOf(input, input.query.locale)) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/pay/api/intents/:id/confirm",
      summary: "Pay: confirm the intent with the shopper's method (Idempotency-Key required)",
      tags: ["Checkout page"],
      auth: "none",
      authenticate,
      params: intentParams,
      body: pageConfirmBody,
      async handler(input) {
        if (!input.idempotencyKey)
          throw new ApiError(400, {
            type: "invalid_request_error",
            code: "idempotency_key_required",
            message: "The checkout page sends one Idempotency-Key per payment attempt.",
          });
        const intent = await deps.payments.get(input.auth, input.params.id);
        const session = await sessionOf(ctx, intent);
        if (session && sessionState(session, intent.status, ctx.clock.now()).status === "expired")
          throw new ApiError(400, {
            type: "invalid_request_error",
            code: "checkout_session_expired",
            message: "This checkout page has expired. Return to the shop to start again.",
          });
        const body = input.body;
        if (!body.payment_method_data && !body.payment_method)
          throw new ApiError(400, {
            type: "invalid_request_error",
            code: "parameter_missing",
            message: "Choose a payment method.",
            param: "payment_method_data",
          });
        if (body.payment_method) {
          const saved = intent.customer_id
            ? await ctx.db
                .selectFrom("payment_methods")
                .select("id")
                .where("id", "=", body.payment_method)
                .where("merchant_id", "=", intent.merchant_id)
                .where("customer_id", "=", intent.customer_id)
                .where("attached_at", "is not", null)
                .executeTakeFirst()
            : undefined;
          if (!saved)
            throw new ApiError(400, {
              type: "invalid_request_error",
              code: "resource_missing",
              message: "This card is not one of the customer's saved cards.",
              param: "payment_method",
            });
          if (body.passkey)
            await deps.passkeys.verifyAuthentication({
              merchantId: intent.merchant_id,
              customerId: intent.customer_id as string,
              challengeId: body.passkey.challenge_id,
              response: body.passkey.response as never,
              rp: relyingParty(),
            });
          else if (!body.cvc)
            throw new ApiError(400, {
              type: "invalid_request_error",
              code: "parameter_missing",
              message:
                "Enter the card's security code (CVC), or confirm with your passkey, to pay with a saved card.",
              param: "cvc",
            });
        }
        if (body.save_card && !intent.customer_id)
          throw new ApiError(400, {
            type: "invalid_request_error",
            code: "parameter_invalid",
            message: "Only a signed-in customer can save a card.",
            param: "save_card",
          });
        // Card testing: a page may try a handful of cards on one payment, not hundreds.
        const attempts = await ctx.db
          .selectFrom("payment_attempts")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .where("payment_intent_id", "=", intent.id)
          .executeTakeFirstOrThrow();
        if (Number(attempts.n) >= MAX_PAGE_ATTEMPTS)
          throw new ApiError(429, {
            type: "invalid_request_error",
            code: "too_many_attempts",
            message: translate(pickLocale(body.locale, acceptLanguageOf(input)), "error.rate_limited"),
          });
        const info = requestInfo(input);
        try {
          await deps.payments.confirm(
            input.auth,
            input.params.id,
            {
              ...(body.payment_method_data ? { payment_method_data: body.payment_method_data } : {}),
              ...(body.payment_method ? { payment_method: body.payment_method } : {}),
              ...(body.payment_method && body.cvc
                ? { payment_method_options: { card: { cvc: body.cvc } } }
                : {}),
              ...(body.save_card ? { setup_future_usage: "on_session" as const } : {}),
            },
            info,
          );
        } catch (error) {
          // A decline is recorded on the intent: the view carries it, worded for the shopper.
          if (error instanceof ApiError && error.status === 402) {
            // fall through to the view
          } else if (
            error instanceof ApiError &&
            error.status === 400 &&
            CARD_PARAM_MESSAGES[error.body.param ?? ""]
          ) {
            const locale = pickLocale(body.locale, acceptLanguageOf(input));
            throw new ApiError(400, {
              ...error.body,
              message: translate(locale, CARD_PARAM_MESSAGES[error.body.param ?? ""] as MessageKey),
            });
          } else throw error;
        }
        const after = await deps.payments.get(input.auth, input.params.id);
        return { body: await buildView(deps, after, session, shopperOf(input, body.locale)) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/pay/api/intents/:id/display_quote",
      summary: "The total in another currency the merchant allows, at a locked FX quote (display only)",
      tags: ["Checkout page"],
      auth: "none",
      authenticate,
      params: intentParams,
      body: z.strictObject({
        currency: z.string().regex(/^[a-z]{3}$/, "must be a lower-case ISO 4217 code"),
      }),
      async handler(input) {
        const intent = await deps.payments.get(input.auth, input.params.id);
        const session = await sessionOf(ctx, intent);
        if (!session?.display_currencies?.includes(input.body.currency))
          throw new ApiError(400, {
            type: "invalid_request_error",
            code: "parameter_invalid",
            message: "The shop does not show prices in this currency.",
            param: "currency",
          });
        const quote = await deps.fx.createQuote(input.auth, {
          from_currency: intent.currency,
          to_currency: input.body.currency,
          lock_duration: "hour",
          amount: Number(intent.amount),
        });
        const body: DisplayQuote = {
          quote: quote.id,
          currency: quote.to_currency,
          amount: Number(quote.converted_amount),
          rate: quote.rate,
          expires_at: quote.expires_at,
        };
        return { body };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/pay/api/intents/:id/apple_pay/session",
      summary: "Apple Pay merchant validation for the page's payment sheet",
      tags: ["Checkout page"],
      auth: "none",
      authenticate,
      params: intentParams,
      body: z.strictObject({ validation_url: z.url({ protocol: /^https$/ }).max(2048) }),
      async handler(input) {
        const domain = new URL(ctx.publicUrl()).hostname;
        return {
          body: await deps.wallets.appleSession(input.auth, {
            validation_url: input.body.validation_url,
            domain,
          }),
        };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/pay/api/intents/:id/passkeys/registration-options",
      summary: "After a successful payment: options to create a passkey for one-click payments next time",
      tags: ["Checkout page"],
      auth: "none",
      authenticate,
      params: intentParams,
      body: z.strictObject({}),
      async handler(input) {
        const { customerId } = await customerOf(input.auth, input.params.id, "register");
        const customer = await ctx.db
          .selectFrom("customers")
          .select(["email", "name"])
          .where("id", "=", customerId)
          .where("merchant_id", "=", input.auth.merchantId)
          .executeTakeFirstOrThrow();
        const rp = relyingParty();
        const { challengeId, options } = await deps.passkeys.registrationOptions({
          merchantId: input.auth.merchantId,
          livemode: input.auth.livemode,
          customerId,
          userName: customer.email ?? customerId,
          userDisplayName: customer.name ?? customer.email ?? "",
          rp: { id: rp.id, name: rp.name },
        });
        return { body: { challenge_id: challengeId, options } };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/pay/api/intents/:id/passkeys/registrations",
      summary: "Save the passkey the shopper just created",
      tags: ["Checkout page"],
      auth: "none",
      authenticate,
      params: intentParams,
      body: passkeyRegistrationBody,
      async handler(input) {
        const { customerId } = await customerOf(input.auth, input.params.id, "register");
        const { passkeyId } = await deps.passkeys.verifyRegistration({
          merchantId: input.auth.merchantId,
          livemode: input.auth.livemode,
          customerId,
          challengeId: input.body.challenge_id,
          response: input.body.response as never,
          rp: relyingParty(),
        });
        return { body: { object: "passkey", id: passkeyId, registered: true } };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/pay/api/intents/:id/passkeys/authentication-options",
      summary: "Options to confirm a saved-card payment with the customer's passkey",
      tags: ["Checkout page"],
      auth: "none",
      authenticate,
      params: intentParams,
      body: z.strictObject({}),
      async handler(input) {
        const { customerId } = await customerOf(input.auth, input.params.id, "authenticate");
        const { challengeId, options } = await deps.passkeys.authenticationOptions({
          merchantId: input.auth.merchantId,
          customerId,
          rpId: relyingParty().id,
        });
        return { body: { challenge_id: challengeId, options } };
      },
    }),
  ];
}
