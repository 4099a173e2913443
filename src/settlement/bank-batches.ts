import { sql } from "kysely";
import type { AppContext } from "../http/context.ts";
import type { BankAdapter } from "./bank/adapter.ts";
import { BankRejectedFileError, BankUnavailableError } from "./bank/errors.ts";
import { buildPain001 } from "./bank/pain001.ts";
import { describeBankReason, parsePain002 } from "./bank/pain002.ts";
import type { PayoutLedger } from "./payouts.ts";
import { moneyTables, type PayoutRow } from "./schema.ts";

const BATCH_LIMIT = 500;

/**
 * Payouts travel to the bank in ISO 20022 credit transfer files: pending payouts are gathered into a batch
 * (one file per mode and currency), the file is submitted (retried while the bank is unreachable), and the
 * bank's status reports settle each payout as paid or failed. Every step claims its rows with locks, so
 * several workers can run it at once.
 */
export function createBankBatches(deps: {
  ctx: AppContext;
  payouts: PayoutLedger;
  bank: () => BankAdapter;
  /** Names the bank (its URL): each bank's report cursor is its own. */
  bankKey: string;
}) {
  const { ctx, payouts } = deps;
  const CURSOR = `bank:${deps.bankKey}`.slice(0, 255);
  const { config } = ctx;

  async function batchPending(): Promise<number> {
    const groups = await moneyTables(ctx.db)
      .selectFrom("payouts")
      .select(["livemode", "currency"])
      .distinct()
      .where("status", "=", "pending")
      .where("batch_id", "is", null)
      .execute();
    let batched = 0;
    for (const group of groups) {
      batched += await ctx.db.transaction().execute(async (tx) => {
        const { rows } = await sql<PayoutRow>`
          select * from payouts where status = 'pending' and batch_id is null
            and livemode = ${group.livemode} and currency = ${group.currency}
          order by created_at, id limit ${BATCH_LIMIT} for update skip locked`.execute(tx);
        if (rows.length === 0) return 0;
        const now = ctx.clock.now();
        const id = ctx.ids.next("pb");
        const xml = buildPain001({
          messageId: id,
          createdAt: now,
          initiatingParty: { name: config.PAYRAIL_PAYOUT_DEBTOR_NAME },
          debtor: {
            name: config.PAYRAIL_PAYOUT_DEBTOR_NAME,
            iban: config.PAYRAIL_PAYOUT_DEBTOR_IBAN,
            bic: config.PAYRAIL_PAYOUT_DEBTOR_BIC,
          },
          requestedExecutionDate: now.toISOString().slice(0, 10),
          payments: rows.map((p) => ({
            endToEndId: p.id,
            amount: p.amount,
            currency: p.currency,
            creditor: {
              name: p.bank_account.account_holder_name,
              iban: p.bank_account.iban,
              bic: p.bank_account.bic,
            },
            remittanceInformation: p.description ?? `Payrail payout ${p.id}`,
          })),
        });
        await moneyTables(tx)
          .insertInto("payout_batches")
          .values({
            id,
            livemode: group.livemode,
            currency: group.currency,
            file_name: `${id}.xml`,
            xml,
            bank_batch_id: null,
            status: "created",
            last_error: null,
            created_at: now,
            submitted_at: null,
          })
          .execute();
        await moneyTables(tx)
          .updateTable("payouts")
          .set({ batch_id: id, updated_at: now })
          .where(
            "id",
            "in",
            rows.map((r) => r.id),
          )
          .execute();
        return rows.length;
      });
    }
    return batched;
  }

  async function submitBatches(): Promise<number> {
    const now = ctx.clock.now();
    const { rows: claimed } = await sql<{ id: string; file_name: string; xml: string }>`
      update payout_batches set attempts = attempts + 1
      where id in (select id from payout_batches where status = 'created'
                   order by created_at limit 5 for update skip locked)
      returning id, file_name, xml`.execute(ctx.db);
    for (const batch of claimed) {
      try {
        const { bankBatchId } = await deps
          .bank()
          .submitCreditTransfers({ fileName: batch.file_name, xml: batch.xml });
        await ctx.db.transaction().execute(async (tx) => {
          await moneyTables(tx)
            .updateTable("payout_batches")
            .set({ status: "submitted", bank_batch_id: bankBatchId, submitted_at: now, last_error: null })
            .where("id", "=", batch.id)
            .execute();
          const moved = await moneyTables(tx)
            .updateTable("payouts")
            .set({ status: "in_transit", updated_at: now })
            .where("batch_id", "=", batch.id)
            .where("status", "=", "pending")
            .returningAll()
            .execute();
          for (const row of moved) await payouts.event(tx, row, "payout.updated");
        });
      } catch (error) {
        if (error instanceof BankRejectedFileError) {
          await ctx.db.transaction().execute(async (tx) => {
            await moneyTables(tx)
              .updateTable("payout_batches")
              .set({ status: "rejected", last_error: error.message })
              .where("id", "=", batch.id)
              .execute();
            const rows = await moneyTables(tx)
              .selectFrom("payouts")
              .selectAll()
              .where("batch_id", "=", batch.id)
              .where("status", "=", "pending")
              .forUpdate()
              .execute();
            for (const row of rows) {
              await payouts.returned(tx, row, {
                status: "failed",
                code: error.reasonCode ?? "file_rejected",
                message: `The bank rejected the payout file: ${error.message}`,
              });
            }
          });
        } else {
          const message = error instanceof BankUnavailableError ? error.message : String(error);
          ctx.logger.warn({ batch: batch.id, err: error }, "payout file not delivered; will retry");
          await moneyTables(ctx.db)
            .updateTable("payout_batches")
            .set({ last_error: message })
            .where("id", "=", batch.id)
            .execute();
        }
      }
    }
    return claimed.length;
  }

  async function applyReports(): Promise<number> {
    const cursor = await moneyTables(ctx.db)
      .selectFrom("bank_report_cursor")
      .select("last_report_id")
      .where("id", "=", CURSOR)
      .executeTakeFirst();
    let reports: Awaited<ReturnType<BankAdapter["fetchStatusReports"]>>;
    try {
      reports = await deps.bank().fetchStatusReports(cursor?.last_report_id ?? undefined);
    } catch (error) {
      ctx.logger.warn({ err: error }, "bank status reports unavailable; will retry");
      return 0;
    }
    let applied = 0;
    for (const report of reports) {
      const parsed = parsePain002(report.xml);
      await ctx.db.transaction().execute(async (tx) => {
        // The cursor row serializes workers; a report applied twice changes nothing (payouts move only from
        // pending or in transit).
        await moneyTables(tx)
          .insertInto("bank_report_cursor")
          .values({ id: CURSOR, last_report_id: null })
          .onConflict((oc) => oc.doNothing())
          .execute();
        await moneyTables(tx)
          .selectFrom("bank_report_cursor")
          .select("last_report_id")
          .where("id", "=", CURSOR)
          .forUpdate()
          .executeTakeFirstOrThrow();
        for (const t of parsed.transactions) {
          if (t.status === "pending") continue;
          const payout = await moneyTables(tx)
            .selectFrom("payouts")
            .selectAll()
            .where("id", "=", t.endToEndId)
            .where("status", "in", ["pending", "in_transit"])
            .forUpdate()
            .executeTakeFirst();
          if (!payout) continue;
          if (t.status === "paid") await payouts.paid(tx, payout);
          else {
            await payouts.returned(tx, payout, {
              status: "failed",
              code: t.reasonCode,
              message:
                t.reasonText ?? (t.reasonCode ? describeBankReason(t.reasonCode) : "rejected by the bank"),
            });
          }
          applied++;
        }
        await moneyTables(tx)
          .updateTable("bank_report_cursor")
          .set({ last_report_id: report.reportId })
          .where("id", "=", CURSOR)
          .execute();
      });
    }
    return applied;
  }

  return { batchPending, submitBatches, applyReports };
}

export type BankBatches = ReturnType<typeof createBankBatches>;
