import { invalidRequest, notFound } from "../../core/errors.ts";
import { mergeMetadata } from "../../customers/service.ts";
import { json, type Metadata, type WebhookEndpointRow } from "../../db/schema.ts";
import { recordEvents } from "../../events/service.ts";
import type { EventCause } from "../../events/types.ts";
import type { AppContext, AuthContext } from "../../http/context.ts";
import { type PageParams, paginate } from "../../http/pagination.ts";
import { endpointDisabledEvent, presentAttempt, presentDelivery, presentEndpoint } from "./present.ts";
import {
  attemptsOf,
  countEndpoints,
  deleteEndpoint,
  endpointsOf,
  findEndpoint,
  findEvent,
  insertDeliveries,
  insertEndpoint,
  lockMerchant,
  subscribes,
  updateEndpoint,
} from "./repo.ts";
import { sealSecret } from "./secret-box.ts";
import { generateWebhookSecret } from "./signature.ts";
import { checkWebhookUrl, type Resolver } from "./url-policy.ts";

/** Each event fans out to every subscribed endpoint, so their number per merchant and mode is bounded. */
export const MAX_ENDPOINTS = 16;

export const DISABLED_BY_REQUEST = "disabled_by_request";

export interface EndpointInput {
  url?: string | undefined;
  enabled_events?: string[] | undefined;
  description?: string | null | undefined;
  metadata?: Metadata | undefined;
  disabled?: boolean | undefined;
}

const unique = (values: string[]) => [...new Set(values)];

export function createWebhookEndpointService(ctx: AppContext, deps: { resolve?: Resolver } = {}) {
  const checkUrl = async (url: string, livemode: boolean) =>
    (await checkWebhookUrl(url, { livemode, resolve: deps.resolve })).href;

  async function get(auth: AuthContext, id: string): Promise<WebhookEndpointRow> {
    const row = await findEndpoint(ctx.db, auth, id);
    if (!row) throw notFound("webhook_endpoint", id);
    return row;
  }

  return {
    async create(
      auth: AuthContext,
      input: Omit<EndpointInput, "disabled"> & { url: string; enabled_events: string[] },
    ) {
      // Resolve the host before the transaction: no row lock waits on DNS.
      const url = await checkUrl(input.url, auth.livemode);
      const now = ctx.clock.now();
      const id = ctx.ids.next("we");
      const secret = generateWebhookSecret(ctx.random);
      const sealed = await sealSecret(ctx, auth.merchantId, id, secret);
      const row = await ctx.db.transaction().execute(async (tx) => {
        await lockMerchant(tx, auth.merchantId);
        if ((await countEndpoints(tx, auth)) >= MAX_ENDPOINTS) {
          throw invalidRequest(
            `You can have at most ${MAX_ENDPOINTS} webhook endpoints in ${auth.livemode ? "live" : "test"} mode; delete one first.`,
            undefined,
            "webhook_endpoint_limit_reached",
          );
        }
        return insertEndpoint(tx, {
          id,
          merchant_id: auth.merchantId,
          livemode: auth.livemode,
          url,
          description: input.description ?? null,
          enabled_events: json(unique(input.enabled_events)),
          ...sealed,
          status: "enabled",
          disabled_reason: null,
          metadata: json(input.metadata ?? {}),
          created_at: now,
          updated_at: now,
        });
      });
      return presentEndpoint(row, { secret });
    },

    async retrieve(auth: AuthContext, id: string) {
      return presentEndpoint(await get(auth, id));
    },

    async list(auth: AuthContext, page: PageParams) {
      const { rows, has_more } = await paginate(endpointsOf(ctx.db, auth), "webhook_endpoints", page);
      return { rows: rows.map((row) => presentEndpoint(row)), has_more };
    },

    async update(auth: AuthContext, id: string, input: EndpointInput, cause: EventCause) {
      const url = input.url === undefined ? undefined : await checkUrl(input.url, auth.livemode);
      const row = await ctx.db.transaction().execute(async (tx) => {
        const current = await findEndpoint(tx, auth, id, { forUpdate: true });
        if (!current) throw notFound("webhook_endpoint", id);
        const status =
          input.disabled === undefined ? current.status : input.disabled ? "disabled" : "enabled";
        const updated = await updateEndpoint(tx, auth, id, {
          ...(url !== undefined ? { url } : {}),
          ...(input.enabled_events ? { enabled_events: json(unique(input.enabled_events)) } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.metadata ? { metadata: json(mergeMetadata(current.metadata, input.metadata)) } : {}),
          ...(status !== current.status
            ? { status, disabled_reason: status === "disabled" ? DISABLED_BY_REQUEST : null }
            : {}),
          updated_at: ctx.clock.now(),
        });
        if (!updated) throw notFound("webhook_endpoint", id);
        if (current.status === "enabled" && updated.status === "disabled") {
          await recordEvents(ctx, tx, [endpointDisabledEvent(updated, cause)]);
        }
        return updated;
      });
      return presentEndpoint(row);
    },

    async remove(auth: AuthContext, id: string) {
      if (!(await deleteEndpoint(ctx.db, auth, id))) throw notFound("webhook_endpoint", id);
      return { id, object: "webhook_endpoint" as const, deleted: true as const };
    },

    /** A new secret, effective at once: the old one stops signing immediately (no overlap period). */
    async rollSecret(auth: AuthContext, id: string) {
      const secret = generateWebhookSecret(ctx.random);
      const row = await updateEndpoint(ctx.db, auth, id, {
        ...(await sealSecret(ctx, auth.merchantId, id, secret)),
        updated_at: ctx.clock.now(),
      });
      if (!row) throw notFound("webhook_endpoint", id);
      return presentEndpoint(row, { secret });
    },

    async endpointAttempts(auth: AuthContext, id: string, page: PageParams) {
      await get(auth, id);
      const query = attemptsOf(ctx.db, auth.merchantId).where("endpoint_id", "=", id);
      const { rows, has_more } = await paginate(query, "webhook_attempts", page);
      return { rows: rows.map((row) => presentAttempt(row, auth.livemode)), has_more };
    },

    async eventAttempts(auth: AuthContext, eventId: string, page: PageParams) {
      if (!(await findEvent(ctx.db, auth, eventId))) throw notFound("event", eventId);
      const query = attemptsOf(ctx.db, auth.merchantId).where("event_id", "=", eventId);
      const { rows, has_more } = await paginate(query, "webhook_attempts", page);
      return { rows: rows.map((row) => presentAttempt(row, auth.livemode)), has_more };
    },

    /**
     * New pending deliveries of an event: to the named endpoint (which must be enabled, whatever it
     * subscribes to), or to every enabled endpoint that subscribes to the event's type.
     */
    async resend(auth: AuthContext, eventId: string, endpointId: string | undefined) {
      const now = ctx.clock.now();
      const rows = await ctx.db.transaction().execute(async (tx) => {
        const event = await findEvent(tx, auth, eventId);
        if (!event) throw notFound("event", eventId);
        let targets: WebhookEndpointRow[];
        if (endpointId) {
          const endpoint = await findEndpoint(tx, auth, endpointId);
          if (!endpoint) throw notFound("webhook_endpoint", endpointId, "webhook_endpoint");
          if (endpoint.status !== "enabled") {
            throw invalidRequest(
              `The webhook endpoint ${endpointId} is disabled; enable it before resending to it.`,
              "webhook_endpoint",
              "webhook_endpoint_disabled",
            );
          }
          targets = [endpoint];
        } else {
          const enabled = await endpointsOf(tx, auth).where("status", "=", "enabled").execute();
          targets = enabled.filter((endpoint) => subscribes(endpoint.enabled_events, event.type));
        }
        return insertDeliveries(
          tx,
          targets.map((endpoint) => ({
            id: ctx.ids.next("wd"),
            merchant_id: auth.merchantId,
            endpoint_id: endpoint.id,
            event_id: event.id,
            status: "pending" as const,
            next_attempt_at: now,
            created_at: now,
            updated_at: now,
          })),
        );
      });
      if (rows.length > 0) ctx.wakeWorker();
      return rows.map((row) => presentDelivery(row, auth.livemode));
    },
  };
}

export type WebhookEndpointService = ReturnType<typeof createWebhookEndpointService>;
