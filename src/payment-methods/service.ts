/**
 * Payment methods: cards tokenized into the vault. The card number is sealed before it reaches a table;
 * a CVC that has to wait for its authorization is sealed with a short expiry and destroyed when used.
 * `reveal` is the only way back to the number, and only a connector call uses it.
 */

import { unixSeconds } from "../core/clock.ts";
import { ApiError, invalidRequest, notFound } from "../core/errors.ts";
import { randomToken } from "../core/ids.ts";
import type { Db } from "../db/index.ts";
import { type CardSummary, json, type Metadata, type PaymentMethodRow } from "../db/schema.ts";
import { recordEvents } from "../events/service.ts";
import type { EventCause } from "../events/types.ts";
import type { AppContext, AuthContext } from "../http/context.ts";
import { type PageParams, paginate } from "../http/pagination.ts";
import { type CardInput, cardFingerprint, validateCard } from "../payments/card.ts";
import { writeAudit } from "./audit.ts";
import { cardFacts } from "./card-facts.ts";
import type { VaultCipher } from "./cipher.ts";

export interface CreatePaymentMethodInput {
  type: "card";
  card: CardInput;
  billing_details?: Record<string, unknown> | undefined;
  metadata?: Metadata | undefined;
}

/** The card as a connector receives it: decrypted for one call, never stored. */
export interface RevealedCard {
  number: string;
  exp_month: number;
  exp_year: number;
  cvc?: string | undefined;
}

export interface PaymentMethodDeps {
  ctx: AppContext;
  cipher: VaultCipher;
}

const CVC_AAD_SUFFIX = ":cvc";

export function presentPaymentMethod(row: PaymentMethodRow) {
  return {
    id: row.id,
    object: "payment_method",
    type: row.type,
    card: { ...row.card, wallet: null },
    billing_details: row.billing_details ?? {
      name: null,
      email: null,
      phone: null,
      address: null,
    },
    customer: row.customer_id,
    allow_redisplay: row.customer_id ? "always" : "unspecified",
    usage: row.usage,
    created: unixSeconds(row.created_at),
    livemode: row.livemode,
    metadata: row.metadata,
  };
}

export function createPaymentMethodService(deps: PaymentMethodDeps) {
  const { ctx, cipher } = deps;
  let fingerprintKey: string | undefined;

  async function getFingerprintKey(): Promise<string> {
    if (fingerprintKey) return fingerprintKey;
    if (ctx.config.PAYRAIL_FINGERPRINT_KEY) {
      fingerprintKey = ctx.config.PAYRAIL_FINGERPRINT_KEY;
      return fingerprintKey;
    }
    await ctx.db
      .insertInto("platform_settings")
      .values({ key: "card_fingerprint_key", value: randomToken(ctx.random, 32) })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const row = await ctx.db
      .selectFrom("platform_settings")
      .select("value")
      .where("key", "=", "card_fingerprint_key")
      .executeTakeFirstOrThrow();
    fingerprintKey = row.value;
    return fingerprintKey;
  }

  function scoped(db: Db, auth: AuthContext) {
    return db
      .selectFrom("payment_methods")
      .selectAll("payment_methods")
      .where("payment_methods.merchant_id", "=", auth.merchantId)
      .where("payment_methods.livemode", "=", auth.livemode);
  }

  async function get(auth: AuthContext, id: string, param = "id"): Promise<PaymentMethodRow> {
    const row = await scoped(ctx.db, auth).where("id", "=", id).executeTakeFirst();
    if (!row) throw notFound("payment_method", id, param);
    return row;
  }

  async function checkCustomer(auth: AuthContext, id: string): Promise<void> {
    const found = await ctx.db
      .selectFrom("customers")
      .select("id")
      .where("id", "=", id)
      .where("merchant_id", "=", auth.merchantId)
      .where("livemode", "=", auth.livemode)
      .where("deleted", "=", false)
      .executeTakeFirst();
    if (!found) throw notFound("customer", id, "customer");
  }

  /** Seals a CVC for at most PAYRAIL_CVC_TTL, for an authorization that comes in a later request. */
  async function holdCvc(db: Db, auth: AuthContext, paymentMethodId: string, cvc: string): Promise<void> {
    const aad = { merchantId: auth.merchantId, recordId: paymentMethodId + CVC_AAD_SUFFIX };
    const sealed = await cipher.seal(Buffer.from(cvc, "utf8"), aad);
    const expiresAt = new Date(ctx.clock.now().getTime() + ctx.config.PAYRAIL_CVC_TTL);
    await db
      .insertInto("vault_cvcs")
      .values({
        payment_method_id: paymentMethodId,
        merchant_id: auth.merchantId,
        sealed: sealed.sealed,
        key_version: sealed.keyVersion,
        expires_at: expiresAt,
      })
      .onConflict((oc) =>
        oc
          .column("payment_method_id")
          .doUpdateSet({ sealed: sealed.sealed, key_version: sealed.keyVersion, expires_at: expiresAt }),
      )
      .execute();
  }

  /** Takes the waiting CVC out of the vault: it is deleted whether or not it is still fresh. */
  async function takeCvc(row: PaymentMethodRow): Promise<string | undefined> {
    const taken = await ctx.db
      .deleteFrom("vault_cvcs")
      .where("payment_method_id", "=", row.id)
      .where("merchant_id", "=", row.merchant_id)
      .returning(["sealed", "expires_at"])
      .executeTakeFirst();
    if (!taken || taken.expires_at.getTime() <= ctx.clock.now().getTime()) return undefined;
    const plain = await cipher.open(taken.sealed, {
      merchantId: row.merchant_id,
      recordId: row.id + CVC_AAD_SUFFIX,
    });
    const cvc = plain.toString("utf8");
    plain.fill(0);
    return cvc;
  }

  /**
   * Tokenizes a card: validates it, seals the number, keeps what may be shown. With `holdCvcForLater`
   * the CVC waits sealed for the first authorization; otherwise the caller keeps it in memory.
   */
  async function create(
    auth: AuthContext,
    input: CreatePaymentMethodInput,
    options: { param?: string; holdCvcForLater: boolean },
  ): Promise<PaymentMethodRow> {
    const param = options.param ?? "card";
    const digits = validateCard(input.card, ctx.clock, param);
    const id = ctx.ids.next("pm");
    const facts = cardFacts(digits);
    const card: CardSummary = {
      brand: facts.brand,
      last4: digits.slice(-4),
      exp_month: input.card.exp_month,
      exp_year: input.card.exp_year,
      fingerprint: cardFingerprint(await getFingerprintKey(), auth.merchantId, digits),
      funding: facts.funding,
      country: facts.country,
    };
    const sealed = await cipher.seal(Buffer.from(digits, "utf8"), {
      merchantId: auth.merchantId,
      recordId: id,
    });
    const now = ctx.clock.now();
    const row = await ctx.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto("payment_methods")
        .values({
          id,
          merchant_id: auth.merchantId,
          livemode: auth.livemode,
          type: "card",
          card: json(card),
          billing_details: input.billing_details ? json(input.billing_details) : null,
          customer_id: null,
          usage: null,
          network_transaction_id: null,
          sealed_pan: sealed.sealed,
          key_version: sealed.keyVersion,
          metadata: json(input.metadata ?? {}),
          created_at: now,
          attached_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      if (options.holdCvcForLater && input.card.cvc) await holdCvc(tx, auth, id, input.card.cvc);
      return inserted;
    });
    return row;
  }

  async function attach(
    auth: AuthContext,
    id: string,
    customer: string,
    cause: EventCause | undefined,
    usage: "on_session" | "off_session" | null = null,
  ): Promise<PaymentMethodRow> {
    await checkCustomer(auth, customer);
    const current = await get(auth, id);
    if (current.customer_id && current.customer_id !== customer) {
      throw new ApiError(400, {
        type: "invalid_request_error",
        code: "payment_method_already_attached",
        message: `The payment method ${id} is attached to another customer. Detach it first.`,
        param: "customer",
      });
    }
    const now = ctx.clock.now();
    return ctx.db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable("payment_methods")
        .set({
          customer_id: customer,
          attached_at: current.attached_at ?? now,
          ...(usage ? { usage } : {}),
        })
        .where("id", "=", id)
        .where("merchant_id", "=", auth.merchantId)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (!current.customer_id) {
        await recordEvents(ctx, tx, [
          {
            merchantId: auth.merchantId,
            livemode: auth.livemode,
            type: "payment_method.attached",
            object: presentPaymentMethod(row),
            cause,
          },
        ]);
      }
      return row;
    });
  }

  return {
    get,
    create,
    holdCvc: (auth: AuthContext, paymentMethodId: string, cvc: string) =>
      holdCvc(ctx.db, auth, paymentMethodId, cvc),
    attach,

    async detach(auth: AuthContext, id: string, cause?: EventCause): Promise<PaymentMethodRow> {
      const current = await get(auth, id);
      if (!current.customer_id) {
        throw invalidRequest(`The payment method ${id} is not attached to a customer.`, "id");
      }
      return ctx.db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable("payment_methods")
          .set({ customer_id: null, usage: null, network_transaction_id: null, attached_at: null })
          .where("id", "=", id)
          .where("merchant_id", "=", auth.merchantId)
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordEvents(ctx, tx, [
          {
            merchantId: auth.merchantId,
            livemode: auth.livemode,
            type: "payment_method.detached",
            object: presentPaymentMethod(row),
            cause,
          },
        ]);
        return row;
      });
    },

    async listForCustomer(auth: AuthContext, customer: string, page: PageParams) {
      await checkCustomer(auth, customer);
      return paginate(scoped(ctx.db, auth).where("customer_id", "=", customer), "payment_methods", page);
    },

    /**
     * Decrypts the card for one connector call. Counted and audited; the waiting CVC (if any) is
     * destroyed by this call whatever happens next.
     */
    async reveal(
      row: PaymentMethodRow,
      purpose: { paymentIntentId: string; connector: string; cvc?: string | undefined },
    ): Promise<RevealedCard> {
      const waiting = await takeCvc(row);
      const plain = await cipher.open(row.sealed_pan, { merchantId: row.merchant_id, recordId: row.id });
      const number = plain.toString("utf8");
      plain.fill(0);
      ctx.metrics.vaultDecryptions.inc({ purpose: "authorize", connector: purpose.connector });
      await writeAudit(ctx, {
        merchantId: row.merchant_id,
        livemode: row.livemode,
        actor: `connector:${purpose.connector}`,
        action: "vault.card_decrypted",
        objectId: row.id,
        detail: { payment_intent: purpose.paymentIntentId },
      });
      const cvc = purpose.cvc ?? waiting;
      return {
        number,
        exp_month: row.card.exp_month,
        exp_year: row.card.exp_year,
        ...(cvc ? { cvc } : {}),
      };
    },

    /** After a successful payment with `setup_future_usage`: the card is kept for the customer. */
    async rememberForCustomer(
      intent: { merchant_id: string; livemode: boolean; customer_id: string | null },
      paymentMethodId: string,
      usage: "on_session" | "off_session",
      networkTransactionId: string | undefined,
    ): Promise<void> {
      if (!intent.customer_id) return;
      const auth: AuthContext = {
        merchantId: intent.merchant_id,
        livemode: intent.livemode,
        keyKind: "secret",
        keyId: "system",
      };
      await attach(auth, paymentMethodId, intent.customer_id, undefined, usage);
      if (networkTransactionId) {
        await ctx.db
          .updateTable("payment_methods")
          .set({ network_transaction_id: networkTransactionId })
          .where("id", "=", paymentMethodId)
          .where("merchant_id", "=", intent.merchant_id)
          .where("network_transaction_id", "is", null)
          .execute();
      }
    },

    /** Deletes CVCs whose time ran out before any authorization used them. */
    async purgeExpiredCvcs(limit = 500): Promise<number> {
      const rows = await ctx.db
        .deleteFrom("vault_cvcs")
        .where(
          "payment_method_id",
          "in",
          ctx.db
            .selectFrom("vault_cvcs")
            .select("payment_method_id")
            .where("expires_at", "<=", ctx.clock.now())
            .limit(limit),
        )
        .returning("payment_method_id")
        .execute();
      return rows.length;
    },
  };
}

export type PaymentMethodService = ReturnType<typeof createPaymentMethodService>;
