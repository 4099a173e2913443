import { z } from "zod";
import { invalidRequest } from "../core/errors.ts";
import type { AppContext } from "../http/context.ts";
import { listBody, pageQuery } from "../http/pagination.ts";
import { defineRoute } from "../http/route.ts";
import { amountSchema, currencySchema, idOf, metadataSchema } from "../http/schemas.ts";
import { requestInfo } from "../payments/routes.ts";
import type { CheckoutAssets } from "./assets.ts";
import { normalizeOrigin } from "./security-headers.ts";
import type { CheckoutSessionService } from "./sessions.ts";
import { embedOriginsOf, saveEmbedOrigins } from "./settings.ts";
import { CHECKOUT_LOCALES, CHECKOUT_METHOD_TYPES } from "./view-types.ts";

// Placeholders like {CHECKOUT_SESSION_ID} are not valid URL characters until encoded: check a filled copy.
const redirectUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value.replaceAll("{CHECKOUT_SESSION_ID}", "cs_x"));
      return url.protocol === "https:" || url.protocol === "http:";
    } catch {
      return false;
    }
  }, "must be an http(s) URL");

const createSessionBody = z.strictObject({
  amount: amountSchema.optional(),
  line_items: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(200),
        quantity: z.number().int().min(1).max(10_000),
        unit_amount: amountSchema,
      }),
    )
    .min(1)
    .max(100)
    .optional(),
  currency: currencySchema,
  customer: idOf("cus").optional(),
  merchant_reference: z.string().min(1).max(128).optional(),
  success_url: redirectUrl,
  cancel_url: redirectUrl.optional(),
  payment_method_types: z
    .array(z.enum(CHECKOUT_METHOD_TYPES))
    .min(1)
    .max(CHECKOUT_METHOD_TYPES.length)
    .optional(),
  payment_method_order: z
    .array(z.enum(CHECKOUT_METHOD_TYPES))
    .min(1)
    .max(CHECKOUT_METHOD_TYPES.length)
    .optional(),
  locale: z.enum(["auto", ...CHECKOUT_LOCALES]).optional(),
  shopper_country: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as NL")
    .optional(),
  /** Currencies the shopper may see the total in, at a locked FX quote (the charge stays in `currency`). */
  display_currencies: z.array(currencySchema).max(10).optional(),
  capture_method: z.enum(["automatic", "manual"]).optional(),
  expires_in: z
    .number()
    .int()
    .min(1800)
    .max(7 * 24 * 3600)
    .optional(),
  metadata: metadataSchema.optional(),
});

const sessionParams = z.strictObject({ id: z.string().regex(/^cs_[0-9A-Za-z]+$/, "must be a cs_ id") });

export function checkoutRoutes(ctx: AppContext, sessions: CheckoutSessionService, assets: CheckoutAssets) {
  return [
    defineRoute({
      method: "POST",
      url: "/v1/checkout/sessions",
      summary: "Create a checkout session: a hosted payment page for an amount or line items",
      tags: ["Checkout"],
      body: createSessionBody,
      async handler(input) {
        const { payment_method_order, ...body } = input.body;
        if (payment_method_order && new Set(payment_method_order).size !== payment_method_order.length)
          throw invalidRequest("payment_method_order lists a method twice.", "payment_method_order");
        return {
          body: await sessions.create(
            input.auth,
            { ...body, method_order: payment_method_order },
            requestInfo(input),
          ),
        };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/checkout/sessions",
      summary: "List checkout sessions, newest first",
      tags: ["Checkout"],
      query: z.strictObject({ ...pageQuery }),
      async handler({ auth, query }) {
        const { rows, has_more } = await sessions.list(auth, query);
        return { body: listBody("/v1/checkout/sessions", rows, has_more) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/checkout/sessions/:id",
      summary: "Retrieve a checkout session",
      tags: ["Checkout"],
      params: sessionParams,
      async handler({ auth, params }) {
        return { body: await sessions.present(auth, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/checkout/sessions/:id/expire",
      summary: "Expire an open checkout session now (its payment intent is canceled)",
      tags: ["Checkout"],
      params: sessionParams,
      body: z.strictObject({}),
      async handler(input) {
        return { body: await sessions.expire(input.auth, input.params.id, requestInfo(input)) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/checkout/settings",
      summary: "The checkout settings: origins allowed to embed the payment form",
      tags: ["Checkout"],
      async handler({ auth }) {
        return {
          body: { object: "checkout.settings", embed_origins: await embedOriginsOf(ctx.db, auth.merchantId) },
        };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/checkout/settings",
      summary: "Set the origins (https://shop.example) allowed to embed the payment form",
      tags: ["Checkout"],
      body: z.strictObject({ embed_origins: z.array(z.string().max(300)).max(50) }),
      async handler({ auth, body }) {
        const origins: string[] = [];
        body.embed_origins.forEach((value, index) => {
          const origin = normalizeOrigin(value);
          if (!origin)
            throw invalidRequest(
              `'${value}' is not an origin: give scheme, host and port only, e.g. https://shop.example.`,
              `embed_origins[${index}]`,
            );
          if (auth.livemode && !origin.startsWith("https:"))
            throw invalidRequest("Live mode embeds only on https pages.", `embed_origins[${index}]`);
          if (!origins.includes(origin)) origins.push(origin);
        });
        const saved = await saveEmbedOrigins(ctx.db, auth.merchantId, origins, ctx.clock.now());
        return { body: { object: "checkout.settings", embed_origins: saved } };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/checkout/scripts",
      summary: "The inventory of every script the payment pages load, with integrity hashes (PCI DSS 6.4.3)",
      tags: ["Checkout"],
      async handler() {
        return {
          body: { object: "list", url: "/v1/checkout/scripts", data: assets.inventory, has_more: false },
        };
      },
    }),
  ];
}
