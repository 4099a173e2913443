import { unixSeconds } from "../core/clock.ts";
import { invalidRequest, notFound } from "../core/errors.ts";
import { toJsonAmount } from "../core/money.ts";
import { type CheckoutLineItem, type CheckoutSessionRow, json, type Metadata } from "../db/schema.ts";
import type { AppContext, AuthContext } from "../http/context.ts";
import { type PageParams, paginate } from "../http/pagination.ts";
import type { CaptureCancelService } from "../payments/capture-cancel.ts";
import type { PaymentService, RequestInfo } from "../payments/service.ts";
import { markSessionExpired } from "./outcomes.ts";
import type { CHECKOUT_LOCALES, CheckoutMethodType } from "./view-types.ts";

/** A hosted page stays payable this long unless the merchant says otherwise (Stripe's default too). */
export const DEFAULT_SESSION_TTL_S = 24 * 3600;

export interface CreateSessionInput {
  amount?: number | undefined;
  line_items?: Array<{ name: string; quantity: number; unit_amount: number }> | undefined;
  currency: string;
  customer?: string | undefined;
  merchant_reference?: string | undefined;
  success_url: string;
  cancel_url?: string | undefined;
  payment_method_types?: CheckoutMethodType[] | undefined;
  method_order?: CheckoutMethodType[] | undefined;
  locale?: "auto" | (typeof CHECKOUT_LOCALES)[number] | undefined;
  shopper_country?: string | undefined;
  display_currencies?: string[] | undefined;
  capture_method?: "automatic" | "manual" | undefined;
  expires_in?: number | undefined;
  metadata?: Metadata | undefined;
}

/** What the intent's state means for the session: Stripe's `status` and `payment_status`. */
export function sessionState(
  row: CheckoutSessionRow,
  intentStatus: string,
  now: Date,
): { status: "open" | "complete" | "expired"; payment_status: "unpaid" | "processing" | "paid" } {
  const paid = intentStatus === "succeeded" || intentStatus === "requires_capture";
  const payment_status = paid ? "paid" : intentStatus === "processing" ? "processing" : "unpaid";
  if (paid) return { status: "complete", payment_status };
  if (row.expired_at || (row.expires_at <= now && intentStatus !== "processing"))
    return { status: "expired", payment_status };
  if (intentStatus === "canceled") return { status: "expired", payment_status };
  return { status: "open", payment_status };
}

export function sessionUrl(ctx: Pick<AppContext, "publicUrl">, id: string): string {
  return `${ctx.publicUrl()}/pay/${id}`;
}

/** `{CHECKOUT_SESSION_ID}` in the success URL becomes the session's id, as with Stripe Checkout. */
export function successUrlOf(row: CheckoutSessionRow): string {
  return row.success_url.replaceAll("{CHECKOUT_SESSION_ID}", row.id);
}

export function presentSession(ctx: AppContext, row: CheckoutSessionRow, intentStatus: string) {
  const state = sessionState(row, intentStatus, ctx.clock.now());
  return {
    id: row.id,
    object: "checkout.session",
    url: state.status === "open" ? sessionUrl(ctx, row.id) : null,
    status: state.status,
    payment_status: state.payment_status,
    payment_intent: row.payment_intent_id,
    amount_total: toJsonAmount(row.amount_total),
    currency: row.currency,
    line_items: row.line_items.map((item) => ({
      name: item.name,
      quantity: item.quantity,
      unit_amount: Number(item.unit_amount),
      amount: Number(item.amount),
    })),
    customer: row.customer_id,
    merchant_reference: row.merchant_reference,
    success_url: row.success_url,
    cancel_url: row.cancel_url,
    payment_method_order: row.method_order,
    locale: row.locale,
    shopper_country: row.shopper_country,
    display_currencies: row.display_currencies ?? [],
    created: unixSeconds(row.created_at),
    expires_at: unixSeconds(row.expires_at),
    livemode: row.livemode,
    metadata: row.metadata,
  };
}

function lineItemsOf(input: CreateSessionInput): { items: CheckoutLineItem[]; total: bigint } {
  if (input.line_items && input.amount !== undefined)
    throw invalidRequest("Pass either amount or line_items, not both.", "amount");
  if (!input.line_items) {
    if (input.amount === undefined) throw invalidRequest("Pass amount or line_items.", "line_items");
    return { items: [], total: BigInt(input.amount) };
  }
  let total = 0n;
  const items = input.line_items.map((item) => {
    const amount = BigInt(item.unit_amount) * BigInt(item.quantity);
    total += amount;
    return {
      name: item.name,
      quantity: item.quantity,
      unit_amount: String(item.unit_amount),
      amount: String(amount),
    };
  });
  if (total > BigInt(Number.MAX_SAFE_INTEGER) || total <= 0n)
    throw invalidRequest("The line items' total must be a positive amount.", "line_items");
  return { items, total };
}

export interface CheckoutSessionService {
  create(
    auth: AuthContext,
    input: CreateSessionInput,
    info: RequestInfo,
  ): Promise<ReturnType<typeof presentSession>>;
  get(auth: AuthContext, id: string): Promise<{ row: CheckoutSessionRow; intentStatus: string }>;
  present(auth: AuthContext, id: string): Promise<ReturnType<typeof presentSession>>;
  list(
    auth: AuthContext,
    page: PageParams,
  ): Promise<{ rows: ReturnType<typeof presentSession>[]; has_more: boolean }>;
  expire(auth: AuthContext, id: string, info: RequestInfo): Promise<ReturnType<typeof presentSession>>;
  /** A session by id alone, for the hosted page (the id in the URL is the shopper's capability). */
  findForPage(id: string): Promise<CheckoutSessionRow | undefined>;
}

export function createCheckoutSessionService(deps: {
  ctx: AppContext;
  payments: PaymentService;
  captureCancel: CaptureCancelService;
}): CheckoutSessionService {
  const { ctx, payments } = deps;

  async function get(auth: AuthContext, id: string) {
    const found = await ctx.db
      .selectFrom("checkout_sessions as s")
      .innerJoin("payment_intents as p", "p.id", "s.payment_intent_id")
      .selectAll("s")
      .select("p.status as intent_status")
      .where("s.id", "=", id)
      .where("s.merchant_id", "=", auth.merchantId)
      .where("s.livemode", "=", auth.livemode)
      .executeTakeFirst();
    if (!found) throw notFound("checkout session", id);
    const { intent_status, ...row } = found;
    return { row: row as CheckoutSessionRow, intentStatus: intent_status as string };
  }

  return {
    async create(auth, input, info) {
      const { items, total } = lineItemsOf(input);
      input.display_currencies?.forEach((currency, index) => {
        if (currency === input.currency)
          throw invalidRequest(
            "A display currency must differ from the session's currency.",
            `display_currencies[${index}]`,
          );
      });
      const now = ctx.clock.now();
      const ttl = input.expires_in ?? DEFAULT_SESSION_TTL_S;
      const id = ctx.ids.next("cs");
      // The hosted page is where providers send the shopper back (3-D Secure, redirect methods).
      const intent = await payments.create(
        auth,
        {
          amount: Number(total),
          currency: input.currency,
          capture_method: input.capture_method,
          payment_method_types: input.payment_method_types,
          customer: input.customer,
          merchant_reference: input.merchant_reference,
          metadata: { ...(input.metadata ?? {}), checkout_session: id },
          return_url: sessionUrl(ctx, id),
        },
        info,
      );
      const row = await ctx.db
        .insertInto("checkout_sessions")
        .values({
          id,
          merchant_id: auth.merchantId,
          livemode: auth.livemode,
          payment_intent_id: intent.id,
          amount_total: total,
          currency: input.currency,
          line_items: json(items),
          customer_id: input.customer ?? null,
          merchant_reference: input.merchant_reference ?? null,
          success_url: input.success_url,
          cancel_url: input.cancel_url ?? null,
          method_order: input.method_order ? json(input.method_order) : null,
          locale: input.locale ?? "auto",
          shopper_country: input.shopper_country ?? null,
          display_currencies: input.display_currencies?.length ? json(input.display_currencies) : null,
          expires_at: new Date(now.getTime() + ttl * 1000),
          metadata: json(input.metadata ?? {}),
          created_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return presentSession(ctx, row, intent.status);
    },
    get,
    async present(auth, id) {
      const { row, intentStatus } = await get(auth, id);
      return presentSession(ctx, row, intentStatus);
    },
    async list(auth, page) {
      const query = ctx.db
        .selectFrom("checkout_sessions")
        .innerJoin("payment_intents", "payment_intents.id", "checkout_sessions.payment_intent_id")
        .selectAll("checkout_sessions")
        .select("payment_intents.status as intent_status")
        .where("checkout_sessions.merchant_id", "=", auth.merchantId)
        .where("checkout_sessions.livemode", "=", auth.livemode);
      const { rows, has_more } = await paginate(query, "checkout_sessions", page);
      return {
        rows: rows.map(({ intent_status, ...row }) =>
          presentSession(ctx, row as CheckoutSessionRow, intent_status as string),
        ),
        has_more,
      };
    },
    async expire(auth, id, info) {
      const { row, intentStatus } = await get(auth, id);
      const state = sessionState(row, intentStatus, ctx.clock.now());
      if (state.status === "complete")
        throw invalidRequest("This checkout session is complete: it was paid and cannot expire.", "id");
      if (state.payment_status === "processing")
        throw invalidRequest(
          "The shopper's payment is being confirmed with the provider; wait for its outcome.",
          "id",
        );
      // Closing the intent also closes any provider order the shopper could still pay (a QR code).
      if (intentStatus !== "canceled")
        await deps.captureCancel.cancel(
          auth,
          row.payment_intent_id,
          { cancellation_reason: "abandoned" },
          info,
        );
      const after = await get(auth, id);
      await markSessionExpired(ctx, after.row, after.intentStatus, info.cause);
      const final = await get(auth, id);
      return presentSession(ctx, final.row, final.intentStatus);
    },
    async findForPage(id) {
      return ctx.db.selectFrom("checkout_sessions").selectAll().where("id", "=", id).executeTakeFirst();
    },
  };
}
