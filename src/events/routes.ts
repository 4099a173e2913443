import { z } from "zod";
import { notFound } from "../core/errors.ts";
import type { AppContext } from "../http/context.ts";
import { applyCreatedRange, createdRangeQuery, listBody, pageQuery, paginate } from "../http/pagination.ts";
import { defineRoute } from "../http/route.ts";
import { presentEvent } from "./service.ts";
import { EVENT_TYPES } from "./types.ts";

const idParams = z.strictObject({ id: z.string().regex(/^evt_[0-9A-Za-z]+$/) });

export function eventRoutes(ctx: AppContext) {
  return [
    defineRoute({
      method: "GET",
      url: "/v1/events",
      summary: "List events, newest first",
      tags: ["Events"],
      query: z.strictObject({
        ...pageQuery,
        ...createdRangeQuery,
        type: z.string().max(100).optional(),
      }),
      async handler({ query, auth }) {
        let qb = ctx.db
          .selectFrom("events")
          .selectAll()
          .where("merchant_id", "=", auth.merchantId)
          .where("livemode", "=", auth.livemode);
        if (query.type) {
          qb = query.type.endsWith(".*")
            ? qb.where("type", "like", `${query.type.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
            : qb.where("type", "=", query.type);
        }
        qb = applyCreatedRange(qb, "events.created_at", query);
        const { rows, has_more } = await paginate(qb, "events", query);
        return { body: listBody("/v1/events", rows.map(presentEvent), has_more) };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/v1/events/:id",
      summary: "Retrieve an event",
      tags: ["Events"],
      params: idParams,
      async handler({ params, auth }) {
        const row = await ctx.db
          .selectFrom("events")
          .selectAll()
          .where("id", "=", params.id)
          .where("merchant_id", "=", auth.merchantId)
          .where("livemode", "=", auth.livemode)
          .executeTakeFirst();
        if (!row) throw notFound("event", params.id);
        return { body: presentEvent(row) };
      },
    }),
  ];
}

export { EVENT_TYPES };
