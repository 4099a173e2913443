import { unixSeconds } from "../core/clock.ts";
import { notFound } from "../core/errors.ts";
import type { Db } from "../db/index.ts";
import { type CustomerRow, json, type Metadata } from "../db/schema.ts";
import { recordEvents } from "../events/service.ts";
import type { EventCause } from "../events/types.ts";
import type { AppContext, AuthContext } from "../http/context.ts";
import { type PageParams, paginate } from "../http/pagination.ts";

export interface CustomerInput {
  email?: string | null | undefined;
  name?: string | null | undefined;
  phone?: string | null | undefined;
  description?: string | null | undefined;
  address?: Record<string, string | null> | null | undefined;
  metadata?: Metadata | undefined;
}

export function presentCustomer(row: CustomerRow) {
  if (row.deleted) return { id: row.id, object: "customer", deleted: true };
  return {
    id: row.id,
    object: "customer",
    created: unixSeconds(row.created_at),
    livemode: row.livemode,
    email: row.email,
    name: row.name,
    phone: row.phone,
    description: row.description,
    address: row.address,
    metadata: row.metadata,
  };
}

export function createCustomerService(ctx: AppContext) {
  const scoped = (db: Db, auth: AuthContext) =>
    db
      .selectFrom("customers")
      .selectAll()
      .where("merchant_id", "=", auth.merchantId)
      .where("livemode", "=", auth.livemode);

  async function get(auth: AuthContext, id: string, db: Db = ctx.db): Promise<CustomerRow> {
    const row = await scoped(db, auth).where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("customer", id);
    return row;
  }

  return {
    get,
    async create(auth: AuthContext, input: CustomerInput, cause: EventCause) {
      const now = ctx.clock.now();
      return ctx.db.transaction().execute(async (tx) => {
        const row = await tx
          .insertInto("customers")
          .values({
            id: ctx.ids.next("cus"),
            merchant_id: auth.merchantId,
            livemode: auth.livemode,
            email: input.email ?? null,
            name: input.name ?? null,
            phone: input.phone ?? null,
            description: input.description ?? null,
            address: input.address ? json(input.address) : null,
            metadata: json(input.metadata ?? {}),
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const object = presentCustomer(row);
        await recordEvents(ctx, tx, [
          { merchantId: auth.merchantId, livemode: auth.livemode, type: "customer.created", object, cause },
        ]);
        return object;
      });
    },
    async update(auth: AuthContext, id: string, input: CustomerInput, cause: EventCause) {
      return ctx.db.transaction().execute(async (tx) => {
        const current = await scoped(tx, auth).where("id", "=", id).forUpdate().executeTakeFirst();
        if (!current || current.deleted) throw notFound("customer", id);
        const metadata =
          input.metadata === undefined ? current.metadata : mergeMetadata(current.metadata, input.metadata);
        const row = await tx
          .updateTable("customers")
          .set({
            ...(input.email !== undefined ? { email: input.email } : {}),
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.phone !== undefined ? { phone: input.phone } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
            ...(input.address !== undefined ? { address: input.address ? json(input.address) : null } : {}),
            metadata: json(metadata),
            updated_at: ctx.clock.now(),
          })
          .where("id", "=", id)
          .where("merchant_id", "=", auth.merchantId)
          .returningAll()
          .executeTakeFirstOrThrow();
        const object = presentCustomer(row);
        await recordEvents(ctx, tx, [
          { merchantId: auth.merchantId, livemode: auth.livemode, type: "customer.updated", object, cause },
        ]);
        return object;
      });
    },
    async remove(auth: AuthContext, id: string, cause: EventCause) {
      return ctx.db.transaction().execute(async (tx) => {
        const current = await scoped(tx, auth).where("id", "=", id).forUpdate().executeTakeFirst();
        if (!current || current.deleted) throw notFound("customer", id);
        // Personal data goes; the id stays so payments that reference it remain consistent.
        await tx
          .updateTable("customers")
          .set({
            deleted: true,
            email: null,
            name: null,
            phone: null,
            description: null,
            address: null,
            metadata: json({}),
            updated_at: ctx.clock.now(),
          })
          .where("id", "=", id)
          .where("merchant_id", "=", auth.merchantId)
          .execute();
        const object = { id, object: "customer", deleted: true };
        await recordEvents(ctx, tx, [
          {
            merchantId: auth.merchantId,
            livemode: auth.livemode,
            type: "customer.deleted",
            object: presentCustomer(current),
            cause,
          },
        ]);
        return object;
      });
    },
    async list(auth: AuthContext, page: PageParams, filters: { email?: string | undefined }) {
      let qb = scoped(ctx.db, auth).where("deleted", "=", false);
      if (filters.email) qb = qb.where("email", "=", filters.email);
      const { rows, has_more } = await paginate(qb, "customers", page);
      return { rows: rows.map(presentCustomer), has_more };
    },
  };
}

/** Stripe semantics: keys set to "" are removed, others are set; keys not named are kept. */
export function mergeMetadata(current: Metadata, update: Metadata): Metadata {
  const merged: Metadata = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === "") delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export type CustomerService = ReturnType<typeof createCustomerService>;
