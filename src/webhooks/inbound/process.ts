import { sql } from "kysely";
import { toConnectorAccount } from "../../connectors/accounts.ts";
import type { ConnectorAccountRow, InboundWebhookRow } from "../../db/schema.ts";
import type { Job } from "../../jobs/runtime.ts";
import { applyAuthorizationStatus, type PaymentsDeps } from "../../payments/apply.ts";
import type { CaptureCancelService } from "../../payments/capture-cancel.ts";
import { findAttemptByReference, findIntentById } from "../../payments/repo.ts";
import { syncIntent } from "../../payments/sync.ts";
import type { RefundService } from "../../refunds/service.ts";

const BATCH = 100;
const PARALLEL = 8;
const MAX_ATTEMPTS = 10;
const LEASE_MS = 60_000;

/**
 * Processes stored, verified provider notifications. Verification is replayed on the stored raw bytes
 * with the time they arrived, so a retry hours later reaches the same verdict.
 */
export function processInboundWebhooksJob(
  deps: PaymentsDeps,
  refunds: RefundService,
  captureCancel: CaptureCancelService,
): Job {
  const { ctx, connectors } = deps;

  async function handle(row: InboundWebhookRow): Promise<string | null> {
    const account = row.connector_account_id ? await deps.accounts.get(row.connector_account_id) : undefined;
    const connector = connectors.get(row.connector);
    if (!account || !connector) return "connector_account_missing";
    const verified = await connector.verifyWebhook(
      toConnectorAccount(account),
      { rawBody: Buffer.from(row.raw_body), headers: row.headers },
      row.received_at,
    );
    if (!verified.ok) return `verification_failed:${verified.reason}`;
    const event = verified.event;
    if (event.kind === "unknown") return null;
    if (event.kind === "payment_lookup") return lookUp(account, event.connectorReference);
    if (event.kind === "refund") {
      const refund = await ctx.db
        .selectFrom("refunds")
        .select("id")
        .where("id", "=", event.reference)
        .where("merchant_id", "=", account.merchant_id)
        .executeTakeFirst();
      if (!refund) return "unknown_reference";
      await refunds.applyRefundStatus(refund.id, event.status);
      return null;
    }
    const attempt = await findAttemptByReference(ctx.db, event.reference);
    if (!attempt || attempt.merchant_id !== account.merchant_id) return "unknown_reference";
    const intent = await findIntentById(ctx.db, attempt.payment_intent_id);
    if (!intent) return "unknown_reference";
    // A notification moves only the operation it names: a late AUTHORISED after a capture changes
    // nothing, and a capture or void confirmed asynchronously settles that attempt.
    if (attempt.operation === "authorize") {
      await applyAuthorizationStatus(deps, intent, event.reference, event.status, { fromConfirm: false });
    } else if (attempt.operation === "capture" || attempt.operation === "void") {
      await captureCancel.applyModificationStatus(attempt, event.status);
    }
    return null;
  }

  /**
   * A notification that only names the provider's payment: its body is never trusted, the provider is
   * asked (the payment, and any refund of it still pending, since Mollie notifies refunds the same way).
   */
  async function lookUp(account: ConnectorAccountRow, connectorReference: string): Promise<string | null> {
    const intent = await ctx.db
      .selectFrom("payment_intents")
      .selectAll()
      .where("connector_account_id", "=", account.id)
      .where("connector_transaction_id", "=", connectorReference)
      .where("merchant_id", "=", account.merchant_id)
      .executeTakeFirst();
    if (!intent) return "unknown_reference";
    // A canceled intent is only looked at (money that arrived anyway is flagged for review), never completed.
    await syncIntent(deps, intent);
    const pendingRefunds = await ctx.db
      .selectFrom("refunds")
      .selectAll()
      .where("payment_intent_id", "=", intent.id)
      .where("merchant_id", "=", account.merchant_id)
      .where("status", "=", "pending")
      .execute();
    for (const refund of pendingRefunds) await refunds.submit(refund);
    return null;
  }

  return {
    name: "process-inbound-webhooks",
    async run() {
      const now = ctx.clock.now();
      const claimed = await sql<InboundWebhookRow>`
        update inbound_webhooks set next_attempt_at = ${new Date(now.getTime() + LEASE_MS)}::timestamptz, attempts = attempts + 1
        where id in (
          select id from inbound_webhooks where status = 'pending' and next_attempt_at <= ${now}
          order by next_attempt_at limit ${BATCH} for update skip locked)
        returning *`.execute(ctx.db);
      const done: Array<{ id: string; note: string | null }> = [];
      const handleOne = async (row: InboundWebhookRow) => {
        try {
          done.push({ id: row.id, note: await handle(row) });
        } catch (error) {
          ctx.logger.error({ err: error, inbound_webhook: row.id }, "inbound webhook processing failed");
          const giveUp = row.attempts >= MAX_ATTEMPTS;
          await ctx.db
            .updateTable("inbound_webhooks")
            .set({
              status: giveUp ? "failed" : "pending",
              failure: (error as Error).message.slice(0, 500),
              next_attempt_at: new Date(now.getTime() + 2 ** Math.min(row.attempts, 12) * 1000),
            })
            .where("id", "=", row.id)
            .execute();
        }
      };
      // Notifications of different payments are independent; a few at a time keeps the batch short.
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(PARALLEL, claimed.rows.length) }, async () => {
          while (next < claimed.rows.length) await handleOne(claimed.rows[next++] as InboundWebhookRow);
        }),
      );
      if (done.length > 0) {
        // One statement (one commit) marks the whole batch processed.
        await sql`
          update inbound_webhooks set status = 'processed', failure = u.note, processed_at = ${ctx.clock.now()}::timestamptz
          from unnest(${done.map((d) => d.id)}::text[], ${done.map((d) => d.note)}::text[]) as u(id, note)
          where inbound_webhooks.id = u.id`.execute(ctx.db);
      }
      return claimed.rows.length;
    },
  };
}
