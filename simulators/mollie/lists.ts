/** Mollie's list shape: `{ count, _embedded: { <name>: [...] }, _links: { self, previous, next, documentation } }`. */
import type { Context, Outcome } from "./context.ts";
import { mollieError } from "./errors.ts";
import { api, type Link } from "./links.ts";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 250;

export function listPage<T extends { id: string }>(
  ctx: Context,
  options: {
    path: string;
    name: string;
    /** Newest first. */
    items: T[];
    query: URLSearchParams;
    serialize: (item: T) => object;
    documentation: Link;
  },
): Outcome {
  const { query, items, path } = options;
  const rawLimit = query.get("limit");
  const limit = rawLimit === null ? DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return { status: 400, body: mollieError(400, `The limit must be between 1 and ${MAX_LIMIT}.`, "limit") };
  }
  const from = query.get("from");
  let start = 0;
  if (from !== null) {
    start = items.findIndex((item) => item.id === from);
    if (start < 0)
      return { status: 400, body: mollieError(400, `The "from" id ${from} does not exist.`, "from") };
  }
  const slice = items.slice(start, start + limit);
  const next = items[start + limit];
  const previousStart = Math.max(0, start - limit);
  const previous = start > 0 ? items[previousStart] : undefined;
  const href = (fromId: string | null) =>
    `${ctx.baseUrl()}${path}?${fromId === null ? "" : `from=${encodeURIComponent(fromId)}&`}limit=${limit}`;
  return {
    status: 200,
    body: {
      count: slice.length,
      _embedded: { [options.name]: slice.map(options.serialize) },
      _links: {
        self: api(href(from)),
        previous: previous ? api(href(previous.id)) : null,
        next: next ? api(href(next.id)) : null,
        documentation: options.documentation,
      },
    },
  };
}
