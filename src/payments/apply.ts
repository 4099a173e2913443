import type { ConnectorAccountCache } from "../connectors/account-cache.ts";
import type { AccountSecrets } from "../connectors/account-secrets.ts";
import { toConnectorAccount } from "../connectors/accounts.ts";
import type { CallContext, PaymentStatus } from "../connectors/contract.ts";
import type { ConnectorRegistry } from "../connectors/registry.ts";
import type { ConnectorAccountRow, PaymentIntentRow } from "../db/schema.ts";
import type { EventRowInput } from "../events/service.ts";
import type { EventCause } from "../events/types.ts";
import type { AppContext } from "../http/context.ts";
import type { PaymentMethodService } from "../payment-methods/service.ts";
import type { Money } from "../settlement/money.ts";
import type { WalletService } from "../wallet-payments/service.ts";
import { toNextAction } from "./next-action.ts";
import { authorizeReference, planAuthorizationOutcome, planOlderAttempt } from "./outcomes.ts";
import { presentIntent } from "./present.ts";
import { casUpdateIntent, findIntentById, projectIntent } from "./repo.ts";

export interface PaymentsDeps {
  ctx: AppContext;
  connectors: ConnectorRegistry;
  accounts: ConnectorAccountCache;
  money: Money;
  paymentMethods: PaymentMethodService;
  accountSecrets: AccountSecrets;
  wallets: WalletService;
}

/** How many syncs may find a payment still unknown before it is flagged for review. */
export const REVIEW_AFTER_SYNCS = 8;

export function buildEvents(
  ctx: AppContext,
  row: PaymentIntentRow,
  types: readonly string[],
  cause?: EventCause,
): EventRowInput[] {
  const object = presentIntent(row);
  const createdAt = ctx.clock.now();
  return types.map((type) => ({
    id: ctx.ids.next("evt"),
    createdAt,
    event: { merchantId: row.merchant_id, livemode: row.livemode, type: type as never, object, cause },
  }));
}

export async function callContextFor(deps: PaymentsDeps, accountId: string): Promise<CallContext> {
  const row = await deps.accounts.get(accountId);
  if (!row) throw new Error(`connector account ${accountId} vanished`);
  return callContextOf(deps, row);
}

export function callContextOf(deps: PaymentsDeps, row: ConnectorAccountRow): CallContext {
  return {
    account: toConnectorAccount(row),
    notificationUrl: `${deps.ctx.publicUrl()}/v1/hooks/${row.connector}/${row.id}`,
    timeoutMs: deps.ctx.config.PAYRAIL_CONNECTOR_TIMEOUT,
    async saveConfig(patch) {
      await deps.accountSecrets.savePatch(deps.ctx.db, row.id, patch, deps.ctx.clock.now());
      deps.accounts.clear();
    },
  };
}

/**
 * Applies what a provider says about an intent's latest authorization. Safe to call any number of times
 * and from anywhere (confirm, sync job, webhook, 3-D Secure return): a compare-and-set means only the
 * first caller to see a given state moves it, and a stale or repeated status changes nothing.
 */
export async function applyAuthorizationStatus(
  deps: PaymentsDeps,
  intent: PaymentIntentRow,
  reference: string,
  status: PaymentStatus,
  options: { fromConfirm: boolean; cause?: EventCause },
): Promise<PaymentIntentRow> {
  const { ctx } = deps;
  // Drawn once, outside the compare-and-set loop: a QR code's image takes a few milliseconds.
  const nextAction =
    status.status === "requires_action" && intent.status !== "requires_action"
      ? await toNextAction(status.action, status.expiresAt ?? intent.action_expires_at, intent.return_url)
      : undefined;
  let current: PaymentIntentRow | undefined = intent;
  for (let round = 0; round < 4 && current; round++) {
    const now = ctx.clock.now();
    const latest = authorizeReference(current.id, current.authorize_attempts) === reference;
    // An older attempt the provider reports authorized is money nobody expects: flag it.
    const plan = !latest
      ? planOlderAttempt(current, status, now)
      : planAuthorizationOutcome(current, status, {
          now,
          captureWindowMs: captureWindowFor(deps, current),
          syncDelaysMs: ctx.config.PAYRAIL_SYNC_SCHEDULE,
          fromConfirm: options.fromConfirm,
          reviewAfterSyncs: REVIEW_AFTER_SYNCS,
          connectorTimeoutMs: ctx.config.PAYRAIL_CONNECTOR_TIMEOUT,
          nextAction,
        });
    if (!plan) return current;
    const books = moneyMoves(current, plan.status);
    if (books === "hold") {
      Object.assign(plan.changes, {
        ledger_hold: deps.money.payments.holdId(current.id, current.ledger_holds + 1),
        ledger_holds: current.ledger_holds + 1,
      });
    }
    const projected = projectIntent(current, plan.changes);
    const write = (db: typeof ctx.db) =>
      casUpdateIntent(
        db,
        current!.id,
        current!.merchant_id,
        { status: current!.status, authorizeAttempts: current!.authorize_attempts },
        plan.changes,
        {
          attemptChange: { reference, set: { ...plan.attempt, updated_at: now } },
          events: buildEvents(ctx, projected, plan.events, options.cause),
        },
      );
    let updated: PaymentIntentRow | undefined;
    if (books === "none") {
      updated = await write(ctx.db);
    } else {
      // The ledger entries commit with the state change or not at all.
      const pa = await deps.money.prepare(current);
      const before = current;
      updated = await ctx.db.transaction().execute(async (tx) => {
        const row = await write(tx);
        if (!row) return undefined;
        if (books === "hold") await deps.money.payments.openHold(tx, before, pa, row.amount_capturable);
        else await deps.money.payments.capture(tx, before, pa, row.amount_received, reference, 0n, now);
        return row;
      });
    }
    if (updated) {
      if (plan.status !== current.status)
        ctx.metrics.payments.inc({ status: plan.status, connector: current.connector ?? "none" });
      if (books !== "none" || (plan.status === "succeeded" && plan.status !== current.status)) {
        await rememberSavedCard(deps, updated, status);
      }
      if (plan.events.length > 0) ctx.wakeWorker();
      return updated;
    }
    current = await findIntentById(ctx.db, current.id);
  }
  return current ?? intent;
}

/** A payment that set up future usage keeps its card for the customer once the money is authorized. */
async function rememberSavedCard(deps: PaymentsDeps, intent: PaymentIntentRow, status: PaymentStatus) {
  if (!intent.setup_future_usage || !intent.payment_method_id || !intent.customer_id) return;
  if (intent.status !== "requires_capture" && intent.status !== "succeeded") return;
  try {
    await deps.paymentMethods.rememberForCustomer(
      intent,
      intent.payment_method_id,
      intent.setup_future_usage,
      status.status === "authorized" ? status.networkTransactionId : undefined,
    );
  } catch (error) {
    // The payment stands; only the saving failed. It is logged for the merchant to retry by attaching.
    deps.ctx.logger.error(
      { err: error, payment_intent: intent.id },
      "could not save the card to the customer",
    );
  }
}

/** What an authorization outcome does to the books: open a hold (manual capture) or book the capture. */
function moneyMoves(current: PaymentIntentRow, to: PaymentIntentRow["status"]): "none" | "hold" | "capture" {
  if (to === current.status) return "none";
  if (to === "requires_capture") return "hold";
  if (to === "succeeded" && current.amount_received === 0n) return "capture";
  return "none";
}

function captureWindowFor(deps: PaymentsDeps, intent: PaymentIntentRow): number {
  const connector = intent.connector ? deps.connectors.get(intent.connector) : undefined;
  return Math.min(
    connector?.capabilities.captureWindowMs ?? Number.POSITIVE_INFINITY,
    deps.ctx.config.PAYRAIL_CAPTURE_WINDOW,
  );
}
