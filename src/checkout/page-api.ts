import { z } from "zod";
import type { MessageKey } from "../../web/checkout/src/i18n/messages/en.ts";
import { ApiError } from "../core/errors.ts";
import { defineRoute, type HandlerInput } from "../http/route.ts";
import { paymentMethodDataSchema, requestInfo } from "../payments/routes.ts";
import { translate } from "./messages.ts";
import { intentParams, pageAuthenticator, sessionOf } from "./page-auth.ts";
import { pageDisplayAndWalletRoutes } from "./page-extras.ts";
import { pagePasskeyRoutes, passkeyRelyingPartyOf, webauthnResponse } from "./page-passkeys.ts";
import { sessionState } from "./sessions.ts";
import { buildView, type PageApiDeps, pickLocale, type ShopperContext } from "./view.ts";
import { CHECKOUT_LOCALES } from "./view-types.ts";

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

/**
 * The API the checkout page calls (hosted or embedded). Authenticated by the intent's client secret in
 * the `Payrail-Client-Secret` header (never in a URL, so never in a log); confirms take an
 * Idempotency-Key, one per attempt, so a double click or a retried request charges once.
 */
export function checkoutPageApiRoutes(deps: PageApiDeps) {
  const { ctx } = deps;
  const authenticate = pageAuthenticator(ctx);
  const relyingParty = () => passkeyRelyingPartyOf(ctx);
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
    ...pageDisplayAndWalletRoutes(deps),
    ...pagePasskeyRoutes(deps),
  ];
}
