import { type SelectQueryBuilder, sql } from "kysely";
import { z } from "zod";
import { invalidRequest } from "../core/errors.ts";

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(10),
  starting_after: z.string().max(64).optional(),
  ending_before: z.string().max(64).optional(),
};

/** `created[gte]=…` style filters, as unix seconds. */
export const createdRangeQuery = {
  "created[gt]": z.coerce.number().int().nonnegative().optional(),
  "created[gte]": z.coerce.number().int().nonnegative().optional(),
  "created[lt]": z.coerce.number().int().nonnegative().optional(),
  "created[lte]": z.coerce.number().int().nonnegative().optional(),
};

export interface PageParams {
  limit: number;
  starting_after?: string | undefined;
  ending_before?: string | undefined;
}

export interface Page<T> {
  object: "list";
  url: string;
  data: T[];
  has_more: boolean;
}

type CreatedRange = Partial<Record<keyof typeof createdRangeQuery, number | undefined>>;

export function applyCreatedRange<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  column: string,
  range: CreatedRange,
): SelectQueryBuilder<DB, TB, O> {
  const ops: Array<[keyof CreatedRange, string]> = [
    ["created[gt]", ">"],
    ["created[gte]", ">="],
    ["created[lt]", "<"],
    ["created[lte]", "<="],
  ];
  let out = qb;
  for (const [key, op] of ops) {
    const value = range[key];
    if (value !== undefined) out = out.where(sql.ref(column), op as ">", new Date(value * 1000) as never);
  }
  return out;
}

/**
 * Newest first, keyset pagination on (created_at, id). The cursor object is looked up through the same
 * merchant-scoped query, so another merchant's id is simply "not found".
 */
export async function paginate<DB, TB extends keyof DB, O extends { id: string; created_at: Date }>(
  qb: SelectQueryBuilder<DB, TB, O>,
  table: string,
  page: PageParams,
): Promise<{ rows: O[]; has_more: boolean }> {
  if (page.starting_after && page.ending_before) {
    throw invalidRequest("Use only one of starting_after or ending_before.", "ending_before");
  }
  const createdCol = sql.ref(`${table}.created_at`);
  const idCol = sql.ref(`${table}.id`);
  const cursorId = page.starting_after ?? page.ending_before;
  let query = qb;
  if (cursorId) {
    const cursor = (await qb
      .clearSelect()
      .select([sql<Date>`${createdCol}`.as("created_at"), sql<string>`${idCol}`.as("id")] as never)
      .where(idCol as never, "=", cursorId as never)
      .executeTakeFirst()) as { created_at: Date; id: string } | undefined;
    if (!cursor) {
      throw invalidRequest(
        `No such object: '${cursorId}'`,
        page.starting_after ? "starting_after" : "ending_before",
        "resource_missing",
      );
    }
    const cmp = page.starting_after ? sql.raw("<") : sql.raw(">");
    query = query.where(
      sql<boolean>`(${createdCol}, ${idCol}) ${cmp} (${cursor.created_at}, ${cursor.id})` as never,
    );
  }
  const direction = page.ending_before ? "asc" : "desc";
  const rows = (await query
    .orderBy(createdCol as never, direction)
    .orderBy(idCol as never, direction)
    .limit(page.limit + 1)
    .execute()) as O[];
  const has_more = rows.length > page.limit;
  const pageRows = rows.slice(0, page.limit);
  if (direction === "asc") pageRows.reverse();
  return { rows: pageRows, has_more };
}

export function listBody<T>(url: string, data: T[], has_more: boolean): Page<T> {
  return { object: "list", url, data, has_more };
}
