import { z } from "zod";
import { ApiError } from "../core/errors.ts";
import { defineRoute } from "../http/route.ts";
import { intentParams, pageAuthenticator, sessionOf } from "./page-auth.ts";
import { pageDomain } from "./passkey-rp.ts";
import type { PageApiDeps } from "./view.ts";
import type { DisplayQuote } from "./view-types.ts";

/** The page's helpers around the payment: the total in another currency, Apple Pay's merchant validation. */
export function pageDisplayAndWalletRoutes(deps: PageApiDeps) {
  const { ctx } = deps;
  const authenticate = pageAuthenticator(ctx);
  return [
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
        const domain = ctx.config.PAYRAIL_APPLE_PAY_DOMAIN ?? pageDomain(ctx.publicUrl());
        return {
          body: await deps.wallets.appleSession(input.auth, {
            validation_url: input.body.validation_url,
            domain,
          }),
        };
      },
    }),
  ];
}
