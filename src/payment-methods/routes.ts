import { z } from "zod";
import { ApiError } from "../core/errors.ts";
import { listBody, pageQuery } from "../http/pagination.ts";
import { defineRoute } from "../http/route.ts";
import { idOf, metadataSchema } from "../http/schemas.ts";
import { billingDetailsSchema, cardInputSchema } from "../payments/card.ts";
import { type PaymentMethodService, presentPaymentMethod } from "./service.ts";

const createBody = z.strictObject({
  type: z.literal("card"),
  card: cardInputSchema,
  billing_details: billingDetailsSchema.optional(),
  metadata: metadataSchema.optional(),
  customer: idOf("cus").optional(),
});

const idParams = z.strictObject({ id: z.string().regex(/^pm_[0-9A-Za-z]+$/) });
const customerParams = z.strictObject({ id: z.string().regex(/^cus_[0-9A-Za-z]+$/) });

export function paymentMethodRoutes(methods: PaymentMethodService) {
  const cause = (input: { requestId: string; idempotencyKey: string | undefined }) => ({
    requestId: input.requestId,
    idempotencyKey: input.idempotencyKey ?? null,
  });
  return [
    defineRoute({
      method: "POST",
      url: "/v1/payment_methods",
      // Callable with the publishable key from a checkout page. The number is stored only encrypted; a
      // CVC waits, encrypted, for at most PAYRAIL_CVC_TTL until the first authorization, then is destroyed.
      summary: "Tokenize a card into the vault",
      tags: ["Payment methods"],
      auth: "secret_or_publishable",
      body: createBody,
      async handler(input) {
        const { customer, ...rest } = input.body;
        let row = await methods.create(input.auth, rest, { holdCvcForLater: true });
        // A publishable key may tokenize, but only a secret key can save a card to a customer.
        if (customer) {
          if (input.auth.keyKind !== "secret") {
            throw new ApiError(403, {
              type: "invalid_request_error",
              code: "secret_key_required",
              message: "Attaching a payment method to a customer needs a secret API key.",
              param: "customer",
            });
          }
          row = await methods.attach(input.auth, row.id, customer, cause(input));
        }
        return { body: presentPaymentMethod(row) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/payment_methods/:id",
      summary: "Retrieve a payment method",
      tags: ["Payment methods"],
      params: idParams,
      async handler({ params, auth }) {
        return { body: presentPaymentMethod(await methods.get(auth, params.id)) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/payment_methods/:id/attach",
      summary: "Save a payment method to a customer",
      tags: ["Payment methods"],
      params: idParams,
      body: z.strictObject({ customer: idOf("cus") }),
      async handler(input) {
        const row = await methods.attach(input.auth, input.params.id, input.body.customer, cause(input));
        return { body: presentPaymentMethod(row) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/payment_methods/:id/detach",
      summary: "Remove a saved payment method from its customer",
      tags: ["Payment methods"],
      params: idParams,
      body: z.strictObject({}),
      async handler(input) {
        return {
          body: presentPaymentMethod(await methods.detach(input.auth, input.params.id, cause(input))),
        };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/customers/:id/payment_methods",
      summary: "List a customer's saved payment methods",
      tags: ["Payment methods"],
      params: customerParams,
      query: z.strictObject({ ...pageQuery, type: z.literal("card").optional() }),
      async handler({ params, query, auth }) {
        const { rows, has_more } = await methods.listForCustomer(auth, params.id, query);
        return {
          body: listBody(
            `/v1/customers/${params.id}/payment_methods`,
            rows.map(presentPaymentMethod),
            has_more,
          ),
        };
      },
    }),
  ];
}
