import { z } from "zod";
import { defineRoute } from "../http/route.ts";
import { amountSchema, currencySchema } from "../http/schemas.ts";
import { LOCK_DURATIONS } from "./schema.ts";
import type { FxService } from "./service.ts";

const quoteId = z.string().regex(/^fxq_[0-9A-Za-z]{8,40}$/, "must be an fxq_ id");

const createQuoteBody = z
  .strictObject({
    from_currency: currencySchema,
    to_currency: currencySchema,
    lock_duration: z.enum(LOCK_DURATIONS).default("none"),
    amount: amountSchema.optional(),
  })
  .refine((body) => body.from_currency !== body.to_currency, {
    message: "must differ from from_currency",
    path: ["to_currency"],
  });

/** Documentation only: the shape of an fx_quote. */
const fxQuoteSchema = z.object({
  id: z.string(),
  object: z.literal("fx_quote"),
  created: z.number().int(),
  livemode: z.boolean(),
  from_currency: z.string(),
  to_currency: z.string(),
  rate: z.string().describe("Customer rate: units of to_currency for one unit of from_currency"),
  reference_rate: z.string().describe("ECB reference cross rate"),
  rate_date: z.string().describe("Date of the ECB reference rates, YYYY-MM-DD"),
  fee: z.object({
    spread_bps: z.number().int(),
    amount: z.number().int().optional().describe("Minor units of to_currency kept as FX margin"),
  }),
  lock_duration: z.enum(LOCK_DURATIONS),
  expires_at: z.number().int().nullable(),
  amount: z.number().int().optional(),
  converted_amount: z.number().int().optional(),
});

export function fxRoutes(fx: FxService) {
  return [
    defineRoute({
      method: "POST",
      url: "/v1/fx_quotes",
      summary: "Quote a currency conversion at the ECB reference rate less the platform's spread",
      tags: ["FX"],
      body: createQuoteBody,
      response: fxQuoteSchema,
      async handler({ auth, body }) {
        return { body: await fx.createQuote(auth, body) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/fx_quotes/:id",
      summary: "Retrieve an FX quote",
      tags: ["FX"],
      params: z.strictObject({ id: quoteId }),
      response: fxQuoteSchema,
      async handler({ auth, params }) {
        return { body: await fx.getQuote(auth, params.id) };
      },
    }),
  ];
}
