import type { IdGenerator } from "../core/ids.ts";
import { allocate, minBigint } from "../core/money.ts";
import type { Db } from "../db/index.ts";
import type { PaymentIntentRow } from "../db/schema.ts";
import { TransferCode, type TransferInput } from "../ledger/index.ts";
import { accountsOf, type PaymentAccounts } from "./accounts-of-payment.ts";
import { insertBalanceTransactions, type NewBalanceTransaction } from "./balance-transactions.ts";
import { type Books, linked } from "./books.ts";
import { type ComputedFee, computeFees, feeDetails, totalFees } from "./fees.ts";
import { maturesOn } from "./holders.ts";
import { splitOverParts, surchargeShare, toSettlement, toSettlementAtReference } from "./payment-shape.ts";

/**
 * Ledger entries of a payment's life, written inside the transaction that changes the payment:
 *
 * - authorization (manual capture): a pending transfer provider clearing → merchant pending holds the
 *   amount; a void or expiry voids it, a capture posts it (a partial capture posts part and opens a new hold
 *   for what stays capturable);
 * - capture: the funds land in the holder's pending balance, converted to the settlement currency through
 *   the FX position accounts (the margin booked to FX gain/loss), fees are taken (provider fee back to the
 *   provider's clearing account, platform fee to fee revenue), and seller parts move to connected accounts;
 *   one balance transaction per holder says when its part matures.
 */
export function createPaymentPostings(deps: { books: Books; ids: IdGenerator }) {
  const { books, ids } = deps;

  /** The account a hold or a capture credits in the presentment currency. */
  function captureTarget(pa: PaymentAccounts): string {
    return pa.fxPosition ? pa.fxPosition.presentment : accountsOf(pa, pa.shape.merchant).accounts.pending;
  }

  function holdTransfer(pa: PaymentAccounts, id: string, amount: bigint, intentId: string): TransferInput {
    return {
      id,
      debitAccountId: pa.providerClearing.presentment,
      creditAccountId: captureTarget(pa),
      amount,
      code: TransferCode.authorization,
      flags: { pending: true },
      userData: intentId,
    };
  }

  function feesFor(intent: PaymentIntentRow, pa: PaymentAccounts, base: bigint): ComputedFee[] {
    return computeFees(
      pa.feeRules,
      {
        merchantId: intent.merchant_id,
        livemode: intent.livemode,
        connector: intent.connector,
        paymentMethod: intent.payment_method_type,
        currency: pa.shape.presentment,
      },
      base,
    );
  }

  /** The fees of a running total less those already charged on the previous total, kind by kind. */
  function feesSince(earlier: ComputedFee[], now: ComputedFee[]): ComputedFee[] {
    return now
      .map((f) => ({ ...f, amount: f.amount - (earlier.find((e) => e.kind === f.kind)?.amount ?? 0n) }))
      .filter((f) => f.amount > 0n);
  }

  return {
    holdId: (intentId: string, n: number) => `${intentId}.hold.${n}`,

    /** Opens the authorization hold; returns the intent columns to set with it. */
    async openHold(tx: Db, intent: PaymentIntentRow, pa: PaymentAccounts, amount: bigint) {
      const n = intent.ledger_holds + 1;
      const id = `${intent.id}.hold.${n}`;
      await books.post(tx, [holdTransfer(pa, id, amount, intent.id)]);
      return { ledger_hold: id, ledger_holds: n };
    },

    async voidHold(tx: Db, intent: PaymentIntentRow) {
      if (!intent.ledger_hold) return { ledger_hold: null };
      await books.post(tx, [
        {
          id: `${intent.ledger_hold}.void`,
          pendingId: intent.ledger_hold,
          flags: { voidPendingTransfer: true },
        },
      ]);
      return { ledger_hold: null };
    },

    /**
     * Books a capture of `captured` (presentment currency). `key` names the capture (its attempt reference) and
     * makes every transfer id idempotent. `remaining` is what stays capturable afterwards (a new hold), 0 when
     * the capture is final. Returns the intent columns to set.
     */
    async capture(
      tx: Db,
      intent: PaymentIntentRow,
      pa: PaymentAccounts,
      captured: bigint,
      key: string,
      remaining: bigint,
      now: Date,
    ) {
      const { shape } = pa;
      const self = accountsOf(pa, shape.merchant);
      const transfers: TransferInput[] = [];
      const hold = intent.ledger_hold;
      if (hold) {
        transfers.push({
          id: `${key}.post`,
          pendingId: hold,
          amount: captured,
          flags: { postPendingTransfer: true },
        });
      } else {
        transfers.push({
          id: `${key}.capture`,
          debitAccountId: pa.providerClearing.presentment,
          creditAccountId: captureTarget(pa),
          amount: captured,
          code: TransferCode.payment_capture,
          userData: intent.id,
        });
      }
      // Running totals: what this capture adds to the payment's conversion and fees, so that the parts of a
      // payment captured in several goes add up to the whole (one fixed fee, one rounding).
      const before = intent.amount_received;
      const after = before + captured;
      const settled = toSettlement(shape, after) - toSettlement(shape, before);
      if (pa.fxPosition && pa.fxGainLoss) {
        transfers.push({
          id: `${key}.fx`,
          debitAccountId: pa.fxPosition.settlement,
          creditAccountId: self.accounts.pending,
          amount: settled,
          code: TransferCode.fx_conversion,
          userData: intent.id,
        });
        const gain = toSettlementAtReference(shape, after) - toSettlementAtReference(shape, before) - settled;
        if (gain !== 0n) {
          transfers.push({
            id: `${key}.fxgain`,
            debitAccountId: gain > 0n ? pa.fxPosition.settlement : pa.fxGainLoss,
            creditAccountId: gain > 0n ? pa.fxGainLoss : pa.fxPosition.settlement,
            amount: gain > 0n ? gain : -gain,
            code: TransferCode.fx_gain_loss,
            userData: intent.id,
          });
        }
      }
      const parts = splitOverParts(shape, settled);
      // Fees are what the processor charges on the currency the shopper pays, converted like the payment.
      const feeBase = (total: bigint) => total - surchargeShare(shape, total);
      const computed = feesSince(feesFor(intent, pa, feeBase(before)), feesFor(intent, pa, feeBase(after)))
        .map((f) => ({ ...f, amount: toSettlement(shape, f.amount) }))
        .filter((f) => f.amount > 0n);
      // Converted one by one, fees could round past the converted capture by a unit: they never take more.
      let room = settled;
      for (const f of computed) {
        f.amount = minBigint(f.amount, room);
        room -= f.amount;
      }
      const fee = totalFees(computed);
      const selfPart = parts[0] as bigint;
      const selfFee = minBigint(fee, selfPart);
      const sellerParts = parts.slice(1);
      const sellerFees =
        fee > selfFee && sellerParts.some((p) => p > 0n)
          ? allocate(fee - selfFee, sellerParts)
          : sellerParts.map(() => 0n);
      computed.forEach((f, i) => {
        transfers.push({
          id: `${key}.fee.${i}`,
          debitAccountId: self.accounts.pending,
          creditAccountId: f.kind === "provider_fee" ? pa.providerClearing.settlement : pa.feeRevenue,
          amount: f.amount,
          code: f.kind === "provider_fee" ? TransferCode.provider_fee : TransferCode.payment_fee,
          userData: intent.id,
        });
      });
      const availableOn = (delay: number) => maturesOn(now, delay);
      const bts: NewBalanceTransaction[] = [
        {
          id: ids.next("txn"),
          holder: shape.merchant,
          type: "payment",
          sourceId: intent.id,
          amount: settled,
          fee,
          feeDetails: feeDetails(computed, shape.settlement),
          currency: shape.settlement,
          description: intent.description,
          bucket: "pending",
          unreleased: selfPart - selfFee,
          availableOn: availableOn(self.settings.delay_days),
          createdAt: now,
        },
      ];
      shape.parts.slice(1).forEach((part, i) => {
        const amount = (sellerParts[i] as bigint) - (sellerFees[i] as bigint);
        if (amount <= 0n) return;
        const seller = accountsOf(pa, part.holder);
        transfers.push({
          id: `${key}.split.${i}`,
          debitAccountId: self.accounts.pending,
          creditAccountId: seller.accounts.pending,
          amount,
          code: TransferCode.split,
          userData: intent.id,
        });
        bts.push(
          {
            id: ids.next("txn"),
            holder: shape.merchant,
            type: "transfer",
            sourceId: intent.id,
            amount: -amount,
            currency: shape.settlement,
            description: `Part of ${intent.id} for ${part.holder.holder}`,
            bucket: "pending",
            availableOn: availableOn(self.settings.delay_days),
            createdAt: now,
          },
          {
            id: ids.next("txn"),
            holder: part.holder,
            type: "payment",
            sourceId: intent.id,
            amount,
            currency: shape.settlement,
            description: intent.description,
            bucket: "pending",
            unreleased: amount,
            availableOn: availableOn(seller.settings.delay_days),
            createdAt: now,
          },
        );
      });
      const changes: { ledger_hold: string | null; ledger_holds?: number } = { ledger_hold: null };
      if (remaining > 0n) {
        const n = intent.ledger_holds + 1;
        const id = `${intent.id}.hold.${n}`;
        transfers.push(holdTransfer(pa, id, remaining, intent.id));
        Object.assign(changes, { ledger_hold: id, ledger_holds: n });
      } else if (hold && !transfers.some((t) => t.pendingId === hold)) {
        changes.ledger_hold = null;
      }
      await books.post(tx, linked(transfers));
      await insertBalanceTransactions(tx, bts);
      return changes;
    },
  };
}

export type PaymentPostings = ReturnType<typeof createPaymentPostings>;
