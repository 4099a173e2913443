import { z } from "zod";
import { listBody, pageQuery } from "../http/pagination.ts";
import { defineRoute } from "../http/route.ts";
import { emailSchema, metadataSchema } from "../http/schemas.ts";
import { type CustomerService, presentCustomer } from "./service.ts";

const addressSchema = z.strictObject({
  line1: z.string().max(200).nullable().optional(),
  line2: z.string().max(200).nullable().optional(),
  city: z.string().max(100).nullable().optional(),
  state: z.string().max(100).nullable().optional(),
  postal_code: z.string().max(20).nullable().optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code")
    .nullable()
    .optional(),
});

const customerBody = z.strictObject({
  email: emailSchema.nullable().optional(),
  name: z.string().max(256).nullable().optional(),
  phone: z.string().max(32).nullable().optional(),
  description: z.string().max(1000).nullable().optional(),
  address: addressSchema.nullable().optional(),
  metadata: metadataSchema.optional(),
});

const idParams = z.strictObject({ id: z.string().regex(/^cus_[0-9A-Za-z]+$/) });

export function customerRoutes(customers: CustomerService) {
  const cause = (input: { requestId: string; idempotencyKey: string | undefined }) => ({
    requestId: input.requestId,
    idempotencyKey: input.idempotencyKey ?? null,
  });
  return [
    defineRoute({
      method: "POST",
      url: "/v1/customers",
      summary: "Create a customer",
      tags: ["Customers"],
      body: customerBody,
      async handler(input) {
        return { body: await customers.create(input.auth, input.body as never, cause(input)) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/customers/:id",
      summary: "Retrieve a customer",
      tags: ["Customers"],
      params: idParams,
      async handler({ params, auth }) {
        return { body: presentCustomer(await customers.get(auth, params.id)) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/customers/:id",
      summary: "Update a customer",
      tags: ["Customers"],
      params: idParams,
      body: customerBody,
      async handler(input) {
        return {
          body: await customers.update(input.auth, input.params.id, input.body as never, cause(input)),
        };
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/v1/customers/:id",
      summary: "Delete a customer (personal data is erased)",
      tags: ["Customers"],
      params: idParams,
      async handler(input) {
        return { body: await customers.remove(input.auth, input.params.id, cause(input)) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/customers",
      summary: "List customers, newest first",
      tags: ["Customers"],
      query: z.strictObject({ ...pageQuery, email: z.string().max(512).optional() }),
      async handler({ query, auth }) {
        const { rows, has_more } = await customers.list(auth, query, { email: query.email });
        return { body: listBody("/v1/customers", rows, has_more) };
      },
    }),
  ];
}
