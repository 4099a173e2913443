import { z } from "zod";
import { EVENT_TYPES } from "../../events/types.ts";
import type { AppContext } from "../../http/context.ts";
import { listBody, pageQuery } from "../../http/pagination.ts";
import { defineRoute } from "../../http/route.ts";
import { metadataSchema } from "../../http/schemas.ts";
import { createWebhookEndpointService } from "./service.ts";
import type { Resolver } from "./url-policy.ts";

const KNOWN_TYPES = new Set<string>(EVENT_TYPES);

const enabledEvents = z
  .array(z.string())
  .min(1)
  .max(KNOWN_TYPES.size + 1)
  .superRefine((values, issue) => {
    const unknown = values.find((value) => value !== "*" && !KNOWN_TYPES.has(value));
    if (unknown !== undefined) {
      issue.addIssue({
        code: "custom",
        message: `'${unknown.slice(0, 100)}' is not a known event type (use a type from the events reference, or "*" for all)`,
      });
    }
  });

// The URL is checked by the service (url-policy.ts), which answers with code url_invalid.
const url = z.string();
const description = z.string().max(5000).nullable().optional();

const createBody = z.strictObject({
  url,
  enabled_events: enabledEvents,
  description,
  metadata: metadataSchema.optional(),
});

const updateBody = z.strictObject({
  url: url.optional(),
  enabled_events: enabledEvents.optional(),
  description,
  metadata: metadataSchema.optional(),
  disabled: z.boolean().optional(),
});

const rollBody = z.strictObject({
  expires_in: z
    .number()
    .int()
    .refine(
      (value) => value === 0,
      "the previous secret stops working at once (no overlap period), so only 0 is accepted",
    )
    .optional(),
});

const resendBody = z.strictObject({
  webhook_endpoint: z
    .string()
    .regex(/^we_[0-9A-Za-z]+$/, "must be a we_ id")
    .optional(),
});

const endpointParams = z.strictObject({ id: z.string().regex(/^we_[0-9A-Za-z]+$/) });
const eventParams = z.strictObject({ id: z.string().regex(/^evt_[0-9A-Za-z]+$/) });
const listQuery = z.strictObject(pageQuery);
const tags = ["Webhook endpoints"];

export function webhookEndpointRoutes(ctx: AppContext, deps: { resolve?: Resolver } = {}) {
  const service = createWebhookEndpointService(ctx, deps);
  const cause = (input: { requestId: string; idempotencyKey: string | undefined }) => ({
    requestId: input.requestId,
    idempotencyKey: input.idempotencyKey ?? null,
  });
  return [
    defineRoute({
      method: "POST",
      url: "/v1/webhook_endpoints",
      summary: "Create a webhook endpoint (the response carries its signing secret, shown only here)",
      tags,
      body: createBody,
      async handler({ auth, body }) {
        return { body: await service.create(auth, body) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/webhook_endpoints",
      summary: "List webhook endpoints, newest first",
      tags,
      query: listQuery,
      async handler({ auth, query }) {
        const { rows, has_more } = await service.list(auth, query);
        return { body: listBody("/v1/webhook_endpoints", rows, has_more) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/webhook_endpoints/:id",
      summary: "Retrieve a webhook endpoint",
      tags,
      params: endpointParams,
      async handler({ auth, params }) {
        return { body: await service.retrieve(auth, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/webhook_endpoints/:id",
      summary: "Update a webhook endpoint; `disabled` turns it off or back on",
      tags,
      params: endpointParams,
      body: updateBody,
      async handler(input) {
        return { body: await service.update(input.auth, input.params.id, input.body, cause(input)) };
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/v1/webhook_endpoints/:id",
      summary: "Delete a webhook endpoint with its deliveries and attempts",
      tags,
      params: endpointParams,
      async handler({ auth, params }) {
        return { body: await service.remove(auth, params.id) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/webhook_endpoints/:id/roll_secret",
      summary: "Replace the signing secret; the new one is shown once and the old one stops at once",
      tags,
      params: endpointParams,
      body: rollBody,
      async handler({ auth, params }) {
        return { body: await service.rollSecret(auth, params.id) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/webhook_endpoints/:id/attempts",
      summary: "List delivery attempts to a webhook endpoint, newest first",
      tags,
      params: endpointParams,
      query: listQuery,
      async handler({ auth, params, query }) {
        const { rows, has_more } = await service.endpointAttempts(auth, params.id, query);
        return { body: listBody(`/v1/webhook_endpoints/${params.id}/attempts`, rows, has_more) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/events/:id/webhook_attempts",
      summary: "List delivery attempts of an event, newest first",
      tags,
      params: eventParams,
      query: listQuery,
      async handler({ auth, params, query }) {
        const { rows, has_more } = await service.eventAttempts(auth, params.id, query);
        return { body: listBody(`/v1/events/${params.id}/webhook_attempts`, rows, has_more) };
      },
    }),
    defineRoute({
      method: "POST",
      url: "/v1/events/:id/resend",
      summary: "Send an event again, to one endpoint or to every enabled endpoint subscribed to it",
      tags,
      params: eventParams,
      body: resendBody,
      async handler({ auth, params, body }) {
        const data = await service.resend(auth, params.id, body.webhook_endpoint);
        return { body: { object: "list", url: `/v1/events/${params.id}/resend`, data, has_more: false } };
      },
    }),
  ];
}
