/**
 * `expand[]`: replaces an id in an answer with the object it names, along dotted paths such as
 * `latest_charge.balance_transaction`; on lists the paths start with `data.`.
 */
import type { SimContext } from "./context.ts";
import type { Account } from "./store.ts";
import {
  balanceTransactionWire,
  chargeWire,
  paymentIntentWire,
  paymentMethodWire,
  refundWire,
} from "./wire.ts";

type Json = Record<string, unknown>;
export type ObjectKind = "payment_intent" | "charge" | "refund" | "payment_method" | "balance_transaction";

const EXPANDABLE: Readonly<Record<string, Readonly<Record<string, ObjectKind>>>> = {
  payment_intent: { latest_charge: "charge", payment_method: "payment_method" },
  charge: { balance_transaction: "balance_transaction", payment_intent: "payment_intent" },
  refund: {
    balance_transaction: "balance_transaction",
    charge: "charge",
    failure_balance_transaction: "balance_transaction",
    payment_intent: "payment_intent",
  },
  payment_method: {},
  balance_transaction: {},
};

function fetch(ctx: SimContext, account: Account, kind: ObjectKind, id: string): Json | undefined {
  switch (kind) {
    case "payment_intent": {
      const found = account.intents.get(id);
      return found && paymentIntentWire(found);
    }
    case "charge": {
      const found = account.charges.get(id);
      return found && chargeWire(found, account);
    }
    case "refund": {
      const found = account.refunds.get(id);
      return found && refundWire(found, account);
    }
    case "payment_method": {
      const found = account.paymentMethods.get(id);
      return found && paymentMethodWire(found);
    }
    case "balance_transaction": {
      const found = account.balanceTransactions.get(id);
      return found && balanceTransactionWire(found, ctx.now);
    }
  }
}

/** Returns the first path that cannot be expanded from `root` ("list:<kind>" for lists), or null. */
export function unexpandablePath(root: string, paths: string[]): string | null {
  for (const path of paths) {
    let segments = path.split(".");
    let kind: string | undefined = root;
    if (root.startsWith("list:")) {
      if (segments[0] !== "data") return path;
      segments = segments.slice(1);
      kind = root.slice(5);
    }
    if (segments.length === 0 || segments.length > 4) return path;
    for (const segment of segments) {
      kind = kind ? EXPANDABLE[kind]?.[segment] : undefined;
      if (!kind) return path;
    }
  }
  return null;
}

function expandOne(ctx: SimContext, account: Account, object: Json, segments: string[]): void {
  const [field, ...rest] = segments;
  if (!field) return;
  const kind = EXPANDABLE[String(object.object)]?.[field];
  const value = object[field];
  if (!kind) return;
  let expanded: Json | undefined;
  if (typeof value === "string") {
    expanded = fetch(ctx, account, kind, value);
    if (expanded) object[field] = expanded;
  } else if (typeof value === "object" && value !== null) {
    expanded = value as Json;
  }
  if (expanded && rest.length > 0) expandOne(ctx, account, expanded, rest);
}

export function applyExpand(ctx: SimContext, account: Account, body: Json, paths: string[]): void {
  for (const path of paths) {
    const segments = path.split(".");
    if (body.object === "list" && segments[0] === "data" && Array.isArray(body.data)) {
      for (const item of body.data as Json[]) expandOne(ctx, account, item, segments.slice(1));
    } else {
      expandOne(ctx, account, body, segments);
    }
  }
}
