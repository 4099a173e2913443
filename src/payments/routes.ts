import { z } from "zod";
import { ApiError } from "../core/errors.ts";
import type { AuthContext } from "../http/context.ts";
import { createdRangeQuery, listBody, pageQuery } from "../http/pagination.ts";
import { defineRoute, type HandlerInput } from "../http/route.ts";
import { amountSchema, currencySchema, idOf, metadataSchema } from "../http/schemas.ts";
import { CANCELLATION_REASONS, type CaptureCancelService } from "./capture-cancel.ts";
import { billingDetailsSchema, cardInputSchema } from "./card.ts";
import { localMethodDataSchemas, paymentMethodTypesSchema } from "./local-methods.ts";
import { presentIntent } from "./present.ts";
import type { PaymentService, RequestInfo } from "./service.ts";
import { STATUSES } from "./state-machine.ts";

const urlSchema = z.url({ protocol: /^https?$/ }).max(2048);

const base64 = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9+/=]+$/, "must be base64")
    .max(max);
const hex = (max: number) =>
  z
    .string()
    .regex(/^[0-9a-fA-F]+$/, "must be hex")
    .max(max);

/** The `paymentData` object of an Apple Pay payment token, as Apple Pay JS hands it to the page. */
const applePayPaymentDataSchema = z.strictObject({
  version: z.enum(["EC_v1", "RSA_v1"]),
  data: base64(20_000),
  signature: base64(20_000),
  header: z.strictObject({
    ephemeralPublicKey: base64(1_000).optional(),
    wrappedKey: base64(2_000).optional(),
    publicKeyHash: base64(100),
    transactionId: hex(200),
    applicationData: hex(200).optional(),
  }),
});

export const paymentMethodDataSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("card"),
    card: cardInputSchema,
    billing_details: billingDetailsSchema.optional(),
  }),
  z.strictObject({
    type: z.literal("apple_pay"),
    apple_pay: z.strictObject({ payment_data: applePayPaymentDataSchema }),
    billing_details: billingDetailsSchema.optional(),
  }),
  z.strictObject({
    type: z.literal("google_pay"),
    // tokenizationData.token from the Google Pay API: a JSON string (PaymentMethodToken, ECv2).
    // mode "gateway": the token was encrypted for the processor (Stripe, Adyen) and is forwarded to it.
    google_pay: z.strictObject({
      token: z.string().min(2).max(20_000),
      mode: z.enum(["direct", "gateway"]).optional(),
    }),
    billing_details: billingDetailsSchema.optional(),
  }),
  ...localMethodDataSchemas,
]);

/** How an intent uses a vaulted card; the same fields on create and confirm. */
const paymentMethodUseFields = {
  payment_method: z
    .string()
    .regex(/^pm_[0-9A-Za-z]+$/, "must be a pm_ id")
    .optional(),
  payment_method_options: z
    .strictObject({
      card: z
        .strictObject({
          cvc: z
            .string()
            .regex(/^[0-9]{3,4}$/, "must be 3 or 4 digits")
            .optional(),
        })
        .optional(),
    })
    .optional(),
  setup_future_usage: z.enum(["on_session", "off_session"]).optional(),
  off_session: z.boolean().optional(),
};

const merchantReferenceSchema = z.string().min(1).max(128);

const createBody = z.strictObject({
  amount: amountSchema,
  currency: currencySchema,
  capture_method: z.enum(["automatic", "manual"]).optional(),
  confirm: z.boolean().optional(),
  payment_method_types: paymentMethodTypesSchema.optional(),
  payment_method_data: paymentMethodDataSchema.optional(),
  ...paymentMethodUseFields,
  customer: idOf("cus").optional(),
  merchant_reference: merchantReferenceSchema.optional(),
  description: z.string().max(1000).optional(),
  metadata: metadataSchema.optional(),
  return_url: urlSchema.optional(),
  connector_account: idOf("mca").optional(),
  application_fee_amount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  transfer_data: z.strictObject({ destination: idOf("acct") }).optional(),
  splits: z
    .array(
      z.strictObject({
        destination: idOf("acct"),
        amount: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
        percent: z.number().gt(0).max(100).optional(),
      }),
    )
    .min(1)
    .max(50)
    .optional(),
  fx_quote: z
    .string()
    .regex(/^fxq_[0-9A-Za-z]{8,40}$/, "must be an fxq_ id")
    .optional(),
});

const updateBody = z.strictObject({
  amount: amountSchema.optional(),
  currency: currencySchema.optional(),
  capture_method: z.enum(["automatic", "manual"]).optional(),
  customer: idOf("cus").nullable().optional(),
  merchant_reference: merchantReferenceSchema.nullable().optional(),
  description: z.string().max(1000).nullable().optional(),
  metadata: metadataSchema.optional(),
  return_url: urlSchema.nullable().optional(),
});

const confirmBody = z.strictObject({
  payment_method_data: paymentMethodDataSchema.optional(),
  ...paymentMethodUseFields,
  return_url: urlSchema.optional(),
  connector_account: idOf("mca").optional(),
  client_secret: z.string().max(200).optional(),
});

const captureBody = z.strictObject({
  amount_to_capture: amountSchema.optional(),
  final_capture: z.boolean().optional(),
});

const cancelBody = z.strictObject({ cancellation_reason: z.enum(CANCELLATION_REASONS).optional() });

const idParams = z.strictObject({ id: z.string().regex(/^pi_[0-9A-Za-z]+$/) });

/** What a request tells the services about itself: its id and key (event causes) and language. */
export function requestInfo(input: HandlerInput<unknown, unknown, unknown>): RequestInfo {
  const lang = input.headers["accept-language"];
  return {
    cause: { requestId: input.requestId, idempotencyKey: input.idempotencyKey ?? null },
    recovered: input.idempotencyRecovered,
    acceptLanguage: typeof lang === "string" ? lang : undefined,
  };
}

/** A publishable key may act on one intent only, and only with that intent's client secret. */
function checkClientSecret(
  auth: AuthContext,
  intentId: string,
  clientSecret: string | undefined,
  param = "client_secret",
) {
  if (auth.keyKind === "secret") return;
  if (!clientSecret?.startsWith(`${intentId}_secret_`)) {
    throw new ApiError(403, {
      type: "permission_error",
      code: "client_secret_required",
      message: "A publishable key needs this PaymentIntent's client_secret.",
      param,
    });
  }
}

export function paymentIntentRoutes(payments: PaymentService, captureCancel: CaptureCancelService) {
  return [
    defineRoute({
      method: "POST",
      url: "/v1/payment_intents",
      summary: "Create a payment intent (and confirm it at once with confirm=true)",
      tags: ["Payment intents"],
      body: createBody,
      async handler(input) {
        return { body: await payments.create(input.auth, input.body, requestInfo(input)) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/payment_intents",
      summary: "List payment intents, newest first",
      tags: ["Payment intents"],
      query: z.strictObject({
        ...pageQuery,
        ...createdRangeQuery,
        status: z.enum(STATUSES as [string, ...string[]]).optional(),
        customer: idOf("cus").optional(),
        merchant_reference: merchantReferenceSchema.optional(),
      }),
      async handler({ query, auth }) {
        const { rows, has_more } = await payments.list(auth, query, query as never);
        return { body: listBody("/v1/payment_intents", rows, has_more) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/payment_intents/:id",
      summary: "Retrieve a payment intent",
      tags: ["Payment intents"],
      auth: "secret_or_publishable",
      params: idParams,
      query: z.strictObject({ client_secret: z.string().max(200).optional() }),
      async handler({ params, query, auth }) {
        checkClientSecret(auth, params.id, query.client_secret);
        const row = await payments.get(auth, params.id);
        if (auth.keyKind === "publishable" && row.client_secret !== query.client_secret)
          checkClientSecret(auth, params.id, undefined);
        return { body: presentIntent(row) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/payment_intents/:id",
      summary: "Update a payment intent that is not yet confirmed",
      tags: ["Payment intents"],
      params: idParams,
      body: updateBody,
      async handler(input) {
        return { body: await payments.update(input.auth, input.params.id, input.body) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/payment_intents/:id/confirm",
      summary: "Confirm a payment intent with the shopper's payment method",
      tags: ["Payment intents"],
      auth: "secret_or_publishable",
      params: idParams,
      body: confirmBody,
      async handler(input) {
        checkClientSecret(input.auth, input.params.id, input.body.client_secret);
        if (input.auth.keyKind === "publishable") {
          const row = await payments.get(input.auth, input.params.id);
          if (row.client_secret !== input.body.client_secret)
            checkClientSecret(input.auth, input.params.id, undefined);
        }
        if (input.auth.keyKind === "publishable" && input.body.off_session) {
          throw new ApiError(403, {
            type: "invalid_request_error",
            code: "secret_key_required",
            message: "Merchant-initiated (off_session) payments need a secret API key.",
            param: "off_session",
          });
        }
        const { client_secret: _secret, ...body } = input.body;
        return { body: await payments.confirm(input.auth, input.params.id, body, requestInfo(input)) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/payment_intents/:id/capture",
      summary: "Capture an authorized payment intent, fully or in part",
      tags: ["Payment intents"],
      params: idParams,
      body: captureBody,
      async handler(input) {
        return {
          body: await captureCancel.capture(input.auth, input.params.id, input.body, requestInfo(input)),
        };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/payment_intents/:id/cancel",
      summary: "Cancel a payment intent (voids an authorization)",
      tags: ["Payment intents"],
      params: idParams,
      body: cancelBody,
      async handler(input) {
        return {
          body: await captureCancel.cancel(input.auth, input.params.id, input.body, requestInfo(input)),
        };
      },
    }),
  ];
}
