import { chooseConnectorAccount, toConnectorAccount } from "../connectors/accounts.ts";
import type { DeclineCode, StoredCredential } from "../connectors/contract.ts";
import { ApiError, invalidRequest, missingParam, notFound } from "../core/errors.ts";
import { randomToken } from "../core/ids.ts";
import { findCurrency, maxMinorAmount } from "../core/money.ts";
import { mergeMetadata } from "../customers/service.ts";
import { isUniqueViolation } from "../db/errors.ts";
import type { Db } from "../db/index.ts";
import {
  type ConnectorAccountRow,
  json,
  type Metadata,
  type PaymentIntentRow,
  type PaymentIntentStatus,
  type PaymentMethodRow,
  type PaymentMethodUsage,
  type StoredLocalMethod,
  type StoredPaymentMethod,
} from "../db/schema.ts";
import { findCreatedByIdempotencyKey } from "../events/service.ts";
import type { EventCause } from "../events/types.ts";
import type { AuthContext } from "../http/context.ts";
import { applyCreatedRange, type PageParams, paginate } from "../http/pagination.ts";
import type { SplitInput } from "../settlement/payment-terms.ts";
import type { WalletCard, WalletPaymentData } from "../wallet-payments/service.ts";
import { applyAuthorizationStatus, buildEvents, callContextOf, type PaymentsDeps } from "./apply.ts";
import type { CardInput } from "./card.ts";
import { localizeDecline, pickLocale } from "./decline-messages.ts";
import {
  isLocalMethodType,
  isStoredLocalMethod,
  type LocalMethodData,
  localPaymentRequest,
  shopperOf,
  storedLocalMethod,
} from "./local-methods.ts";
import { asPaymentStatus, authorizeReference } from "./outcomes.ts";
import { presentIntent } from "./present.ts";
import { casUpdateIntent, findIntent, insertIntent, scopedIntents } from "./repo.ts";
import { assertAction } from "./state-machine.ts";

export type PaymentMethodData =
  | { type: "card"; card: CardInput; billing_details?: Record<string, unknown> | undefined }
  | (WalletPaymentData & { billing_details?: Record<string, unknown> | undefined })
  | LocalMethodData;

/** How a vaulted card is used: chosen on the intent, checked against how the card was saved. */
export interface PaymentMethodUse {
  payment_method?: string | undefined;
  payment_method_data?: PaymentMethodData | undefined;
  payment_method_options?: { card?: { cvc?: string | undefined } | undefined } | undefined;
  setup_future_usage?: PaymentMethodUsage | undefined;
  off_session?: boolean | undefined;
}

export interface CreateIntentInput extends PaymentMethodUse {
  amount: number;
  currency: string;
  capture_method?: "automatic" | "manual" | undefined;
  confirm?: boolean | undefined;
  payment_method_types?: string[] | undefined;
  customer?: string | undefined;
  merchant_reference?: string | undefined;
  description?: string | undefined;
  metadata?: Metadata | undefined;
  return_url?: string | undefined;
  connector_account?: string | undefined;
  application_fee_amount?: number | undefined;
  transfer_data?: { destination: string } | undefined;
  splits?: SplitInput[] | undefined;
  fx_quote?: string | undefined;
}

export interface UpdateIntentInput {
  amount?: number | undefined;
  currency?: string | undefined;
  capture_method?: "automatic" | "manual" | undefined;
  customer?: string | null | undefined;
  merchant_reference?: string | null | undefined;
  description?: string | null | undefined;
  metadata?: Metadata | undefined;
  return_url?: string | null | undefined;
}

export interface ConfirmIntentInput extends PaymentMethodUse {
  return_url?: string | undefined;
  connector_account?: string | undefined;
}

interface PreparedMethod {
  /** A vaulted card; absent for a wallet token, which is never stored. */
  row?: PaymentMethodRow | undefined;
  wallet?: WalletCard | undefined;
  /** Google Pay PAYMENT_GATEWAY mode: a token only the processor can read. */
  walletToken?: { wallet: "google_pay"; token: string } | undefined;
  stored: StoredPaymentMethod;
  /** Given in this request: used for the authorization it makes, then forgotten. */
  cvc?: string | undefined;
  /** A non-card method (Alipay, WeChat Pay, PayPal, iDEAL, GrabPay, crypto): no card at all. */
  local?: StoredLocalMethod | undefined;
}

function methodTypeOf(method: PreparedMethod): string {
  return method.local?.type ?? "card";
}

/** The method type a request asks for, known before the method itself is prepared. */
function requestedMethodType(input: PaymentMethodUse): string {
  const type = input.payment_method_data?.type;
  return type && isLocalMethodType(type) ? type : "card";
}

function unknownWalletCard(wallet: "google_pay") {
  return {
    brand: "unknown",
    last4: "",
    exp_month: 0,
    exp_year: 0,
    fingerprint: "",
    funding: "unknown",
    country: null,
    wallet: { type: wallet, tokenization: "gateway" },
  };
}

function storedOf(row: PaymentMethodRow): StoredPaymentMethod {
  return { type: "card", card: row.card, billing_details: row.billing_details ?? null };
}

export interface RequestInfo {
  cause: EventCause;
  acceptLanguage?: string | undefined;
  /** The request retries an Idempotency-Key whose first run died mid-request. */
  recovered?: boolean | undefined;
}

export interface ListIntentFilters {
  status?: PaymentIntentStatus | undefined;
  customer?: string | undefined;
  merchant_reference?: string | undefined;
  "created[gt]"?: number | undefined;
  "created[gte]"?: number | undefined;
  "created[lt]"?: number | undefined;
  "created[lte]"?: number | undefined;
}

export function createPaymentService(deps: PaymentsDeps) {
  const { ctx, connectors } = deps;
  function checkAmount(amount: number, currencyCode: string, param = "amount"): bigint {
    const currency = findCurrency(currencyCode);
    if (!currency) throw invalidRequest(`Invalid currency: ${currencyCode}.`, "currency", "currency_invalid");
    const value = BigInt(amount);
    const max = maxMinorAmount(currency, ctx.config.PAYRAIL_MAX_AMOUNT);
    if (value > max) {
      throw invalidRequest(
        `Amount must be no more than ${max} (the smallest unit of ${currency.code.toUpperCase()}, which has ${currency.exponent} decimal places).`,
        param,
        "amount_too_large",
      );
    }
    return value;
  }

  async function checkCustomer(db: Db, auth: AuthContext, id: string | null | undefined): Promise<void> {
    if (!id) return;
    const found = await db
      .selectFrom("customers")
      .select("id")
      .where("id", "=", id)
      .where("merchant_id", "=", auth.merchantId)
      .where("livemode", "=", auth.livemode)
      .where("deleted", "=", false)
      .executeTakeFirst();
    if (!found) throw notFound("customer", id, "customer");
  }

  async function duplicateReference(auth: AuthContext, reference: string): Promise<never> {
    const existing = await scopedIntents(ctx.db, auth)
      .where("merchant_reference", "=", reference)
      .where("status", "<>", "canceled")
      .executeTakeFirst();
    throw new ApiError(409, {
      type: "invalid_request_error",
      code: "duplicate_merchant_reference",
      message: `An active PaymentIntent (${existing?.id ?? "unknown"}) already has merchant_reference '${reference}'. Cancel it first, or retrieve it instead of paying twice.`,
      param: "merchant_reference",
      payment_intent: existing ? presentIntent(existing) : null,
    });
  }

  /**
   * The card an intent pays with: tokenized now from `payment_method_data` (its CVC kept in memory
   * for a confirm in this request, sealed for a later one), or a vaulted `payment_method`. Checks that
   * a saved card is used as it was saved: a customer's card only by that customer's intents,
   * off-session only when it was saved for it.
   */
  async function preparePaymentMethod(
    auth: AuthContext,
    input: PaymentMethodUse,
    intent: {
      customer: string | null;
      confirming: boolean;
      amount: bigint;
      currency: string;
      acceptLanguage?: string | undefined;
    },
  ): Promise<PreparedMethod | undefined> {
    if (input.payment_method && input.payment_method_data) {
      throw invalidRequest(
        "Pass either payment_method (a saved or tokenized card) or payment_method_data (card details), not both.",
        "payment_method_data",
      );
    }
    if (input.setup_future_usage && !intent.customer) {
      throw invalidRequest(
        "setup_future_usage saves the card to a customer: pass customer as well.",
        "setup_future_usage",
      );
    }
    const cvc = input.payment_method_options?.card?.cvc;
    let row: PaymentMethodRow;
    const data = input.payment_method_data;
    if (data && isLocalMethodType(data.type)) {
      if (input.setup_future_usage || input.off_session) {
        throw invalidRequest(
          `A ${data.type} payment is approved by the shopper each time: it cannot be saved or used off-session.`,
          input.setup_future_usage ? "setup_future_usage" : "off_session",
        );
      }
      const local = storedLocalMethod(data as LocalMethodData, intent.acceptLanguage);
      return { local, stored: local };
    }
    if (data && data.type !== "card") {
      // A wallet token carries a one-time cryptogram: it is decrypted for this authorization only.
      if (!intent.confirming) {
        throw invalidRequest(
          "Wallet tokens are single-use: send them with confirm=true (or to /confirm).",
          "payment_method_data",
        );
      }
      if (input.setup_future_usage) {
        throw invalidRequest(
          "A wallet payment cannot be saved for later: its token is single-use.",
          "setup_future_usage",
        );
      }
      if (data.type === "google_pay" && data.google_pay.mode === "gateway") {
        // Encrypted for the processor, not for Payrail: forwarded as is, nothing is known of the card.
        return {
          walletToken: { wallet: "google_pay", token: data.google_pay.token },
          stored: {
            type: "card",
            card: unknownWalletCard("google_pay"),
            billing_details: data.billing_details ?? null,
          },
        };
      }
      const wallet = await deps.wallets.decrypt(
        auth,
        data as WalletPaymentData,
        intent,
        "payment_method_data",
      );
      return {
        wallet,
        stored: { type: "card", card: wallet.summary, billing_details: data.billing_details ?? null },
      };
    }
    if (data) {
      row = await deps.paymentMethods.create(auth, data, {
        param: "payment_method_data[card]",
        holdCvcForLater: !intent.confirming,
      });
      return { row, stored: storedOf(row), cvc: intent.confirming ? data.card.cvc : undefined };
    }
    if (!input.payment_method) {
      if (input.off_session) throw missingParam("payment_method");
      return undefined;
    }
    row = await deps.paymentMethods.get(auth, input.payment_method, "payment_method");
    if (row.customer_id && row.customer_id !== intent.customer) {
      throw invalidRequest(
        `The payment method ${row.id} is saved to another customer than this PaymentIntent's: only that customer's payments can use it.`,
        "payment_method",
      );
    }
    if (input.off_session && row.usage !== "off_session") {
      throw new ApiError(400, {
        type: "invalid_request_error",
        code: "payment_method_not_available_off_session",
        message:
          "This card was not saved for off-session payments: save it with setup_future_usage=off_session during a payment the customer makes.",
        param: "off_session",
      });
    }
    return { row, stored: storedOf(row), cvc };
  }

  function checkTypeAllowed(method: PreparedMethod, allowed: string[] | null) {
    const type = methodTypeOf(method);
    if (allowed && !allowed.includes(type)) {
      throw invalidRequest(
        `This PaymentIntent accepts ${allowed.join(", ")}, not ${type}.`,
        "payment_method_data[type]",
        "payment_method_type_not_allowed",
      );
    }
  }

  /**
   * Whether the chosen account can take this method for this intent: a non-card method only with
   * automatic capture (unless the provider authorizes, like PayPal) and for a shopper the account may
   * serve (crypto's country list); a gateway-mode wallet token only at a processor that decrypts it.
   */
  function checkMethodFits(
    method: PreparedMethod,
    account: ConnectorAccountRow,
    intent: { capture_method: string; payment_method_types: string[] | null },
  ) {
    checkTypeAllowed(method, intent.payment_method_types);
    const type = methodTypeOf(method);
    if (method.local) {
      const connector = connectors.get(account.connector);
      if (intent.capture_method === "manual" && !connector?.capabilities.manualCapture) {
        throw invalidRequest(
          `${type} payments are captured when the shopper pays: use capture_method=automatic.`,
          "capture_method",
        );
      }
      const refusal = connector?.refusesShopper?.(toConnectorAccount(account), shopperOf(method.local));
      if (refusal) {
        throw new ApiError(400, {
          type: "invalid_request_error",
          code: "payment_method_unavailable",
          message: `${refusal} (connector account ${account.id})`,
          param: "payment_method_data[billing_details][address][country]",
        });
      }
    }
    if (method.walletToken && !connectors.get(account.connector)?.authorizeWalletToken) {
      throw invalidRequest(
        `Google Pay gateway tokens are decrypted by the processor; ${account.connector} (${account.id}) cannot take them. Name a stripe or adyen connector_account, or use DIRECT mode.`,
        "connector_account",
      );
    }
  }

  function storedCredentialFor(
    intent: PaymentIntentRow,
    method: PaymentMethodRow,
  ): StoredCredential | undefined {
    if (intent.off_session) {
      return {
        sequence: "subsequent",
        initiator: "merchant",
        networkTransactionId: method.network_transaction_id ?? undefined,
      };
    }
    if (method.usage) return { sequence: "subsequent", initiator: "customer" };
    if (intent.setup_future_usage) return { sequence: "first", initiator: "customer" };
    return undefined;
  }

  /** Calls the provider for an intent already moved to `processing`, then applies the answer. */
  async function authorizeNow(
    intent: PaymentIntentRow,
    account: ConnectorAccountRow,
    method: PreparedMethod,
    info: RequestInfo,
  ): Promise<PaymentIntentRow> {
    const call = callContextOf(deps, account);
    const connector = connectors.require(call.account.connector);
    const reference = authorizeReference(intent.id, intent.authorize_attempts);
    const started = process.hrtime.bigint();
    let result: Awaited<ReturnType<typeof connector.authorize>>;
    try {
      if (method.local) {
        const startPayment = connector.startPayment?.bind(connector);
        if (!startPayment) throw new Error(`${connector.id} cannot start ${method.local.type} payments`);
        result = await startPayment(
          call,
          localPaymentRequest(intent, method.local, {
            reference,
            publicUrl: ctx.publicUrl(),
            expiresAt:
              intent.action_expires_at ??
              new Date(ctx.clock.now().getTime() + ctx.config.PAYRAIL_LOCAL_PAYMENT_TTL),
          }),
        );
      } else if (method.walletToken) {
        const authorizeWalletToken = connector.authorizeWalletToken?.bind(connector);
        if (!authorizeWalletToken) throw new Error(`${connector.id} cannot authorize wallet tokens`);
        result = await authorizeWalletToken(call, {
          reference,
          paymentIntentId: intent.id,
          amount: intent.amount,
          currency: intent.currency,
          capture: intent.capture_method === "automatic",
          returnUrl: `${ctx.publicUrl()}/pay/return/${intent.id}`,
          description: intent.description,
          walletToken: method.walletToken,
        });
      } else {
        // The card is decrypted for this call only.
        const card = method.wallet
          ? method.wallet.card
          : await deps.paymentMethods.reveal(method.row as PaymentMethodRow, {
              paymentIntentId: intent.id,
              connector: connector.id,
              cvc: method.cvc,
            });
        const storedCredential = method.row ? storedCredentialFor(intent, method.row) : undefined;
        result = await connector.authorize(call, {
          reference,
          paymentIntentId: intent.id,
          amount: intent.amount,
          currency: intent.currency,
          capture: intent.capture_method === "automatic",
          card,
          returnUrl: `${ctx.publicUrl()}/pay/return/${intent.id}`,
          description: intent.description,
          ...(storedCredential ? { storedCredential } : {}),
          ...(method.wallet?.networkToken ? { networkToken: method.wallet.networkToken } : {}),
        });
      }
    } catch (error) {
      // Unexpected is not failed: the sync job asks the provider until the outcome is known.
      ctx.logger.error(
        { err: error, payment_intent: intent.id, connector: connector.id },
        "authorize call failed unexpectedly",
      );
      result = { outcome: "pending", reason: "connector_error" };
    }
    ctx.metrics.connectorCalls.observe(
      { connector: connector.id, operation: "authorize", outcome: result.outcome },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
    return applyAuthorizationStatus(deps, intent, reference, asPaymentStatus(result, intent), {
      fromConfirm: true,
      cause: info.cause,
    });
  }

  /** A declined confirm answers 402 with the shopper-facing reason; anything else answers the intent. */
  function confirmOutcome(row: PaymentIntentRow, info: RequestInfo, attempt: number) {
    if (
      row.status === "requires_payment_method" &&
      row.last_payment_error &&
      row.authorize_attempts === attempt
    ) {
      const error = localizeDecline(row.last_payment_error, pickLocale(info.acceptLanguage));
      throw new ApiError(402, {
        type: "card_error",
        code: error.code,
        ...(error.decline_code ? { decline_code: error.decline_code as DeclineCode } : {}),
        message: error.message,
        payment_intent: presentIntent({ ...row, last_payment_error: error }),
      });
    }
    return presentIntent(row);
  }

  async function get(auth: AuthContext, id: string): Promise<PaymentIntentRow> {
    const row = await findIntent(ctx.db, auth, id);
    if (!row) throw notFound("payment_intent", id);
    return row;
  }

  return {
    get,

    async create(auth: AuthContext, input: CreateIntentInput, info: RequestInfo) {
      if (info.recovered && info.cause.idempotencyKey) {
        // The first run may have created (and even confirmed) the intent before it died: answer with
        // that one rather than charging the shopper a second time.
        const existing = await findCreatedByIdempotencyKey(
          ctx.db,
          auth,
          info.cause.idempotencyKey,
          "payment_intent.created",
        );
        if (existing) {
          const row = await get(auth, existing);
          return confirmOutcome(row, info, row.authorize_attempts);
        }
      }
      const base = checkAmount(input.amount, input.currency);
      if (input.confirm && !input.payment_method_data && !input.payment_method) {
        throw missingParam("payment_method");
      }
      if (input.off_session && !input.confirm) {
        throw invalidRequest(
          "off_session payments are confirmed at creation: pass confirm=true.",
          "off_session",
        );
      }
      await checkCustomer(ctx.db, auth, input.customer);
      const methodType = requestedMethodType(input);
      const account = input.confirm
        ? await chooseConnectorAccount(
            deps.accounts,
            connectors,
            auth,
            methodType,
            input.currency,
            input.connector_account,
          )
        : undefined;
      const now = ctx.clock.now();
      const id = ctx.ids.next("pi");
      const quote = input.fx_quote ? await deps.money.terms.findQuote(auth, input.fx_quote) : undefined;
      const terms = await deps.money.terms.resolve(ctx.db, auth, {
        amount: base,
        currency: input.currency,
        paymentMethodType: methodType,
        connector: account?.connector ?? null,
        application_fee_amount: input.application_fee_amount,
        transfer_data: input.transfer_data,
        splits: input.splits,
      });
      const amount = terms.amount === base ? base : checkAmount(Number(terms.amount), input.currency);
      // After the terms: a wallet token must have been made for the final amount (surcharge included).
      const method = await preparePaymentMethod(auth, input, {
        acceptLanguage: info.acceptLanguage,
        customer: input.customer ?? null,
        confirming: Boolean(input.confirm),
        amount,
        currency: input.currency,
      });
      const paymentMethodTypes = input.payment_method_types ?? null;
      if (method) checkTypeAllowed(method, paymentMethodTypes);
      if (method && account) {
        checkMethodFits(method, account, {
          capture_method: input.capture_method ?? "automatic",
          payment_method_types: paymentMethodTypes,
        });
      }
      const confirming = Boolean(input.confirm && method && account);
      const row: PaymentIntentRow = {
        id,
        merchant_id: auth.merchantId,
        livemode: auth.livemode,
        status: confirming ? "processing" : method ? "requires_confirmation" : "requires_payment_method",
        currency: input.currency,
        capture_method: input.capture_method ?? "automatic",
        amount_capturable: 0n,
        amount_received: 0n,
        amount_refunded: 0n,
        customer_id: input.customer ?? null,
        merchant_reference: input.merchant_reference ?? null,
        description: input.description ?? null,
        metadata: input.metadata ?? {},
        return_url: input.return_url ?? null,
        client_secret: `${id}_secret_${randomToken(ctx.random, 18)}`,
        payment_method_type: method ? methodTypeOf(method) : null,
        payment_method: method?.stored ?? null,
        connector: account?.connector ?? null,
        connector_account_id: account?.id ?? null,
        connector_transaction_id: null,
        authorize_attempts: confirming ? 1 : 0,
        last_payment_error: null,
        next_action: null,
        payment_method_types: paymentMethodTypes,
        action_expires_at:
          confirming && method?.local ? new Date(now.getTime() + ctx.config.PAYRAIL_LOCAL_PAYMENT_TTL) : null,
        cancellation_reason: null,
        canceled_at: null,
        capture_before: null,
        // Written before the provider call: if this process dies mid-call, the sync job picks it up.
        processing_since: confirming ? now : null,
        next_sync_at: confirming
          ? new Date(now.getTime() + (ctx.config.PAYRAIL_SYNC_SCHEDULE[0] ?? 10_000))
          : null,
        sync_attempts: 0,
        review_requested: false,
        ...terms,
        amount,
        splits: terms.splits === null ? null : JSON.parse(terms.splits),
        ledger_hold: null,
        ledger_holds: 0,
        payment_method_id: method?.row?.id ?? null,
        setup_future_usage: input.setup_future_usage ?? null,
        off_session: input.off_session ?? false,
        created_at: now,
        updated_at: now,
      };
      let inserted: PaymentIntentRow;
      const insert = (db: Db) =>
        insertIntent(
          db,
          {
            ...row,
            ...terms,
            metadata: json(row.metadata),
            payment_method: row.payment_method ? json(row.payment_method) : null,
            payment_method_types: paymentMethodTypes ? json(paymentMethodTypes) : null,
            last_payment_error: null,
            next_action: null,
          },
          confirming && account
            ? {
                id: ctx.ids.next("pa"),
                merchant_id: auth.merchantId,
                payment_intent_id: id,
                refund_id: null,
                operation: "authorize",
                reference: authorizeReference(id, 1),
                status: "pending",
                amount,
                connector_account_id: account.id,
                connector_reference: null,
                error: null,
                created_at: now,
                updated_at: now,
              }
            : null,
          buildEvents(ctx, row, ["payment_intent.created"], info.cause),
        );
      try {
        inserted = quote
          ? await ctx.db.transaction().execute(async (tx) => {
              await deps.money.terms.applyQuote(tx, auth, terms, quote, input.currency, id);
              Object.assign(row, {
                fx_quote_id: terms.fx_quote_id,
                settlement_currency: terms.settlement_currency,
                settlement_rate: terms.settlement_rate,
                settlement_reference_rate: terms.settlement_reference_rate,
              });
              return insert(tx);
            })
          : await insert(ctx.db);
      } catch (error) {
        if (input.merchant_reference && isUniqueViolation(error, "payment_intents_merchant_reference")) {
          return duplicateReference(auth, input.merchant_reference);
        }
        throw error;
      }
      ctx.wakeWorker();
      if (!confirming || !method) return presentIntent(inserted);
      const done = await authorizeNow(inserted, account as ConnectorAccountRow, method, info);
      return confirmOutcome(done, info, 1);
    },

    async update(auth: AuthContext, id: string, input: UpdateIntentInput) {
      const current = await get(auth, id);
      assertAction("update", current.status);
      const shaped =
        current.surcharge_amount > 0n ||
        current.application_fee_amount !== null ||
        current.splits !== null ||
        current.transfer_destination !== null ||
        current.fx_quote_id !== null;
      if (
        shaped &&
        ((input.amount !== undefined && BigInt(input.amount) !== current.amount) ||
          (input.currency !== undefined && input.currency !== current.currency))
      ) {
        throw invalidRequest(
          "The amount and currency of a PaymentIntent with a surcharge, application fee, splits or FX quote are fixed by them: cancel it and create a new one.",
          input.amount !== undefined ? "amount" : "currency",
        );
      }
      const currency = input.currency ?? current.currency;
      const amount =
        input.amount !== undefined || input.currency !== undefined
          ? checkAmount(input.amount ?? Number(current.amount), currency)
          : current.amount;
      await checkCustomer(ctx.db, auth, input.customer);
      const changes = {
        amount,
        currency,
        updated_at: ctx.clock.now(),
        ...(input.capture_method !== undefined ? { capture_method: input.capture_method } : {}),
        ...(input.customer !== undefined ? { customer_id: input.customer } : {}),
        ...(input.merchant_reference !== undefined ? { merchant_reference: input.merchant_reference } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.return_url !== undefined ? { return_url: input.return_url } : {}),
        ...(input.metadata !== undefined
          ? { metadata: json(mergeMetadata(current.metadata, input.metadata)) }
          : {}),
      };
      let updated: PaymentIntentRow | undefined;
      try {
        updated = await casUpdateIntent(
          ctx.db,
          id,
          auth.merchantId,
          { status: current.status, authorizeAttempts: current.authorize_attempts },
          changes,
        );
      } catch (error) {
        if (input.merchant_reference && isUniqueViolation(error, "payment_intents_merchant_reference")) {
          return duplicateReference(auth, input.merchant_reference);
        }
        throw error;
      }
      if (!updated) {
        const now = await get(auth, id);
        assertAction("update", now.status);
        throw new ApiError(409, {
          type: "invalid_request_error",
          code: "lock_timeout",
          message: "The PaymentIntent changed while it was being updated. Retry the request.",
        });
      }
      return presentIntent(updated);
    },

    async confirm(auth: AuthContext, id: string, input: ConfirmIntentInput, info: RequestInfo) {
      const current = await get(auth, id);
      assertAction("confirm", current.status);
      // A non-card method chosen at creation is confirmed as it was chosen, unless this request picks another.
      const keptLocal =
        !input.payment_method_data && !input.payment_method && isStoredLocalMethod(current.payment_method)
          ? current.payment_method
          : undefined;
      const use: PaymentMethodUse = {
        ...input,
        ...(keptLocal ? { payment_method_data: keptLocal as LocalMethodData } : {}),
        payment_method:
          input.payment_method ??
          (input.payment_method_data || keptLocal ? undefined : (current.payment_method_id ?? undefined)),
        setup_future_usage: input.setup_future_usage ?? current.setup_future_usage ?? undefined,
        off_session: input.off_session ?? current.off_session,
      };
      const method = await preparePaymentMethod(auth, use, {
        acceptLanguage: info.acceptLanguage,
        customer: current.customer_id,
        confirming: true,
        amount: current.amount,
        currency: current.currency,
      });
      if (!method) throw missingParam("payment_method");
      const account = await chooseConnectorAccount(
        deps.accounts,
        connectors,
        auth,
        methodTypeOf(method),
        current.currency,
        // A retry with the same kind of method goes through the same account; another kind chooses anew.
        input.connector_account ??
          (current.payment_method_type === methodTypeOf(method) ? current.connector_account_id : null),
      );
      checkMethodFits(method, account, current);
      const now = ctx.clock.now();
      const attempt = current.authorize_attempts + 1;
      const changes = {
        status: "processing" as const,
        authorize_attempts: attempt,
        payment_method_type: methodTypeOf(method),
        payment_method: json(method.stored),
        payment_method_id: method.row?.id ?? null,
        setup_future_usage: use.setup_future_usage ?? null,
        off_session: use.off_session ?? false,
        connector: account.connector,
        connector_account_id: account.id,
        last_payment_error: null,
        next_action: null,
        action_expires_at: method.local
          ? new Date(now.getTime() + ctx.config.PAYRAIL_LOCAL_PAYMENT_TTL)
          : null,
        sync_attempts: 0,
        processing_since: now,
        next_sync_at: new Date(now.getTime() + (ctx.config.PAYRAIL_SYNC_SCHEDULE[0] ?? 10_000)),
        updated_at: now,
        ...(input.return_url !== undefined ? { return_url: input.return_url } : {}),
      };
      const moved = await ctx.db.transaction().execute(async (tx) => {
        const row = await casUpdateIntent(
          tx,
          id,
          auth.merchantId,
          { status: current.status, authorizeAttempts: current.authorize_attempts },
          changes,
        );
        if (!row) return undefined;
        await tx
          .insertInto("payment_attempts")
          .values({
            id: ctx.ids.next("pa"),
            merchant_id: auth.merchantId,
            payment_intent_id: id,
            refund_id: null,
            operation: "authorize",
            reference: authorizeReference(id, attempt),
            status: "pending",
            amount: current.amount,
            connector_account_id: account.id,
            connector_reference: null,
            error: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        return row;
      });
      if (!moved) {
        // Someone else confirmed or canceled it between our read and our write.
        const latest = await get(auth, id);
        assertAction("confirm", latest.status);
        throw new ApiError(409, {
          type: "invalid_request_error",
          code: "lock_timeout",
          message: "The PaymentIntent changed while it was being confirmed. Retry the request.",
        });
      }
      const done = await authorizeNow(moved, account, method, info);
      return confirmOutcome(done, info, attempt);
    },

    async list(auth: AuthContext, page: PageParams, filters: ListIntentFilters) {
      let qb = scopedIntents(ctx.db, auth);
      if (filters.status) qb = qb.where("status", "=", filters.status);
      if (filters.customer) qb = qb.where("customer_id", "=", filters.customer);
      if (filters.merchant_reference) qb = qb.where("merchant_reference", "=", filters.merchant_reference);
      qb = applyCreatedRange(qb, "payment_intents.created_at", filters);
      const { rows, has_more } = await paginate(qb, "payment_intents", page);
      return { rows: rows.map(presentIntent), has_more };
    },
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
