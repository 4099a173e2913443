import { ApiError } from "../core/errors.ts";
import type { IdGenerator } from "../core/ids.ts";
import type { Db } from "../db/index.ts";
import type { RefundRow } from "../db/schema.ts";
import { TransferCode, type TransferInput } from "../ledger/index.ts";
import type { PaymentAccounts } from "./accounts-of-payment.ts";
import { insertBalanceTransactions, type NewBalanceTransaction } from "./balance-transactions.ts";
import { type Books, holderKey, linked } from "./books.ts";
import { type Draw, drawEntries, drawFromHolder, lockHolder, payersOf, restoreDraws } from "./payers.ts";
import { toSettlement } from "./payment-shape.ts";

/** What a pending refund holds, kept on the refund row so its outcome can post or void exactly these. */
export interface RefundHold {
  id: string;
  holder: string;
  bt: string | null;
  bucket: Draw["bucket"];
  /** ISO time the drawn balance transaction matures, for drawn maturing funds. */
  availableOn?: string | null;
  amount: string;
}

function insufficient(draws: Draw[]): ApiError {
  const holders = [...new Set(draws.map((d) => d.holder.holder || "the merchant"))].join(", ");
  return new ApiError(402, {
    type: "invalid_request_error",
    code: "balance_insufficient",
    message: `The available balance of ${holders} does not cover this refund. Add funds or wait for pending funds to become available, then retry.`,
  });
}

/**
 * A refund reserves the funds when it is created (pending transfers from the payers into refunds payable,
 * checked against their balances), posts them when the provider confirms, and voids them if it fails, so
 * the funds return to the balances they came from.
 */
export function createRefundPostings(deps: { books: Books; ids: IdGenerator }) {
  const { books, ids } = deps;

  return {
    /**
     * `alreadyRefunded` is what earlier refunds of the payment took (succeeded or pending), in the presentment
     * currency. A converted refund is the difference of the conversions of the running totals, so the parts of
     * a payment refunded in several goes add up to its conversion exactly (each rounded part would not).
     */
    async reserve(
      tx: Db,
      pa: PaymentAccounts,
      refund: RefundRow,
      now: Date,
      alreadyRefunded: bigint,
    ): Promise<RefundHold[]> {
      const settled =
        toSettlement(pa.shape, alreadyRefunded + refund.amount) - toSettlement(pa.shape, alreadyRefunded);
      const draws: Draw[] = [];
      for (const share of payersOf(pa, settled)) {
        draws.push(...(await drawFromHolder(tx, pa, share, refund.payment_intent_id)));
      }
      const holds: RefundHold[] = draws.map((d, i) => ({
        id: `${refund.id}.hold.${i}`,
        holder: holderKey(d.holder),
        bt: d.bt,
        bucket: d.bucket,
        availableOn: d.availableOn?.toISOString() ?? null,
        amount: d.amount.toString(),
      }));
      const transfers: TransferInput[] = draws.map((d, i) => ({
        id: `${refund.id}.hold.${i}`,
        debitAccountId: d.account,
        creditAccountId: pa.refundsPayable,
        amount: d.amount,
        code: TransferCode.refund,
        flags: { pending: true },
        userData: refund.id,
      }));
      const refused = await books.tryPost(tx, linked(transfers));
      if (refused) throw insufficient(draws);
      await insertBalanceTransactions(
        tx,
        drawEntries(draws, now).map(
          (e): NewBalanceTransaction => ({
            id: ids.next("txn"),
            holder: e.holder,
            type: "refund",
            sourceId: refund.id,
            amount: -e.amount,
            currency: pa.shape.settlement,
            description: `Refund of ${refund.payment_intent_id}`,
            bucket: e.bucket,
            availableOn: e.availableOn,
            createdAt: now,
          }),
        ),
      );
      return holds;
    },

    /** The provider paid the refund: the held funds leave through the provider's clearing account. */
    async succeeded(tx: Db, pa: PaymentAccounts, refund: RefundRow, holds: readonly RefundHold[]) {
      const settled = holds.reduce((s, h) => s + BigInt(h.amount), 0n);
      const transfers: TransferInput[] = holds.map((h) => ({
        id: `${h.id}.post`,
        pendingId: h.id,
        flags: { postPendingTransfer: true },
      }));
      if (pa.fxPosition) {
        transfers.push(
          {
            id: `${refund.id}.fx`,
            debitAccountId: pa.refundsPayable,
            creditAccountId: pa.fxPosition.settlement,
            amount: settled,
            code: TransferCode.fx_conversion,
            userData: refund.id,
          },
          {
            id: `${refund.id}.paid`,
            debitAccountId: pa.fxPosition.presentment,
            creditAccountId: pa.providerClearing.presentment,
            amount: refund.amount,
            code: TransferCode.refund,
            userData: refund.id,
          },
        );
      } else {
        transfers.push({
          id: `${refund.id}.paid`,
          debitAccountId: pa.refundsPayable,
          creditAccountId: pa.providerClearing.presentment,
          amount: settled,
          code: TransferCode.refund,
          userData: refund.id,
        });
      }
      await books.post(tx, linked(transfers));
    },

    /** The refund failed: the holds are voided and the funds are back where they were. */
    async failed(tx: Db, pa: PaymentAccounts, refund: RefundRow, holds: readonly RefundHold[], now: Date) {
      const holderOfKey = (key: string) => {
        const part = pa.shape.parts.find((p) => holderKey(p.holder) === key);
        if (!part) throw new Error(`refund ${refund.id}: holder ${key} is not part of the payment`);
        return part.holder;
      };
      const returned = holds.map((h) => ({
        holder: holderOfKey(h.holder),
        availableOn: h.availableOn ? new Date(h.availableOn) : null,
        amount: BigInt(h.amount),
      }));
      // Same lock order as every draw and the settlement job: holder, balance transactions, then the ledger.
      for (const key of new Set(holds.map((h) => h.holder))) await lockHolder(tx, holderOfKey(key));
      await restoreDraws(
        tx,
        holds.map((h) => ({ bt: h.bt, amount: BigInt(h.amount) })),
      );
      await books.post(
        tx,
        linked(
          holds.map((h) => ({ id: `${h.id}.void`, pendingId: h.id, flags: { voidPendingTransfer: true } })),
        ),
      );
      await insertBalanceTransactions(
        tx,
        drawEntries(returned, now).map(
          (e): NewBalanceTransaction => ({
            id: ids.next("txn"),
            holder: e.holder,
            type: "refund_failure",
            sourceId: refund.id,
            amount: e.amount,
            currency: pa.shape.settlement,
            description: `Failed refund of ${refund.payment_intent_id}`,
            bucket: e.bucket,
            availableOn: e.availableOn,
            createdAt: now,
          }),
        ),
      );
    },
  };
}

export type RefundPostings = ReturnType<typeof createRefundPostings>;
