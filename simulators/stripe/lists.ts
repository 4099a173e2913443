/** Stripe's list envelope and cursor pagination: newest first, `limit`, `starting_after`, `ending_before`. */
import { invalidParam, type Outcome, ok } from "./outcomes.ts";
import type { Params } from "./params.ts";

interface Listed {
  id: string;
  created: number;
}

function createdMatches(filter: unknown, created: number): boolean {
  if (filter === undefined || filter === "") return true;
  if (typeof filter === "number") return created === filter;
  const range = filter as { gt?: number; gte?: number; lt?: number; lte?: number };
  return (
    (range.gt === undefined || created > range.gt) &&
    (range.gte === undefined || created >= range.gte) &&
    (range.lt === undefined || created < range.lt) &&
    (range.lte === undefined || created <= range.lte)
  );
}

export function paginate<T extends Listed>(options: {
  items: Iterable<T>;
  params: Params;
  url: string;
  what: string;
  render: (item: T) => unknown;
  keep?: (item: T) => boolean;
}): Outcome {
  const { params } = options;
  const limit = typeof params.limit === "number" ? params.limit : 10;
  if (limit < 1) return invalidParam("This value must be greater than or equal to 1.", "limit");
  if (limit > 100) return invalidParam("This value must be less than or equal to 100.", "limit");
  const after = typeof params.starting_after === "string" ? params.starting_after : null;
  const before = typeof params.ending_before === "string" ? params.ending_before : null;
  if (after && before) {
    return invalidParam(
      "You may only specify one of these parameters: ending_before, starting_after.",
      "ending_before",
      "parameters_exclusive",
    );
  }
  const keep = options.keep ?? (() => true);
  const newestFirst = [...options.items]
    .filter((item) => keep(item) && createdMatches(params.created, item.created))
    .reverse();

  let page: T[];
  let hasMore: boolean;
  const cursor = after ?? before;
  if (cursor) {
    const index = newestFirst.findIndex((item) => item.id === cursor);
    if (index < 0) {
      return invalidParam(
        `No such ${options.what}: '${cursor}'`,
        after ? "starting_after" : "ending_before",
        "resource_missing",
      );
    }
    if (after) {
      page = newestFirst.slice(index + 1, index + 1 + limit);
      hasMore = index + 1 + limit < newestFirst.length;
    } else {
      page = newestFirst.slice(Math.max(0, index - limit), index);
      hasMore = index - limit > 0;
    }
  } else {
    page = newestFirst.slice(0, limit);
    hasMore = newestFirst.length > limit;
  }
  return ok({ object: "list", data: page.map(options.render), has_more: hasMore, url: options.url });
}
