import { z } from "zod";
import { createdRangeQuery, listBody, pageQuery } from "../http/pagination.ts";
import { defineRoute } from "../http/route.ts";
import { amountSchema, idOf, metadataSchema } from "../http/schemas.ts";
import { REFUND_REASONS, type RefundService } from "./service.ts";

export function refundRoutes(refunds: RefundService) {
  return [
    defineRoute({
      method: "POST",
      url: "/v1/refunds",
      summary: "Refund a captured payment, in full or in part",
      tags: ["Refunds"],
      body: z.strictObject({
        payment_intent: idOf("pi"),
        amount: amountSchema.optional(),
        reason: z.enum(REFUND_REASONS).optional(),
        metadata: metadataSchema.optional(),
      }),
      async handler({ auth, body, requestId, idempotencyKey, idempotencyRecovered }) {
        const cause = { requestId, idempotencyKey: idempotencyKey ?? null };
        return { body: await refunds.create(auth, body, cause, idempotencyRecovered) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/refunds/:id",
      summary: "Retrieve a refund",
      tags: ["Refunds"],
      params: z.strictObject({ id: z.string().regex(/^re_[0-9A-Za-z]+$/) }),
      async handler({ auth, params }) {
        return { body: await refunds.get(auth, params.id) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/refunds",
      summary: "List refunds, newest first",
      tags: ["Refunds"],
      query: z.strictObject({ ...pageQuery, ...createdRangeQuery, payment_intent: idOf("pi").optional() }),
      async handler({ auth, query }) {
        const { rows, has_more } = await refunds.list(auth, query, query);
        return { body: listBody("/v1/refunds", rows, has_more) };
      },
    }),
  ];
}
