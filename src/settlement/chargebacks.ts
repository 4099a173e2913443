import { ApiError, notFound } from "../core/errors.ts";
import { minBigint } from "../core/money.ts";
import { isContention } from "../db/errors.ts";
import type { AppContext } from "../http/context.ts";
import { TransferCode, type TransferInput } from "../ledger/index.ts";
import { accountsOf, paymentAccounts } from "./accounts-of-payment.ts";
import { insertBalanceTransactions, type NewBalanceTransaction } from "./balance-transactions.ts";
import { type Books, type Holder, holderKey, linked } from "./books.ts";
import type { FeeRules } from "./fees.ts";
import { drawFromHolder, drawMaturing, payersOf } from "./payers.ts";
import { toSettlement } from "./payment-shape.ts";
import { moneyTables } from "./schema.ts";

/**
 * Chargebacks as the card networks do them: the funds are withdrawn from the provider's clearing account
 * whether or not the merchant has them. The payers (by the refund policy) give them back from the payment's
 * own maturing funds, their available balance, then their reserve; what none of it covers is carried by the
 * platform's operating account and recorded as the chargeback's shortfall. A won dispute reinstates the
 * funds the same way back. The dispute capability builds its API on these two functions.
 */
export function createChargebacks(deps: { ctx: AppContext; books: Books; fees: FeeRules }) {
  const { ctx, books, fees } = deps;

  async function balancesOf(holder: Holder, currency: string) {
    const accounts = await books.holderAccounts(holder, currency);
    const b = await books.balances(ctx.db, accounts);
    return { accounts, available: b.available - b.availableHeld, reserve: b.reserve };
  }

  return {
    /**
     * `id` (optional, `dp_…`) makes a repeated notification of the same chargeback a no-op: the existing
     * chargeback is returned.
     */
    async withdraw(input: {
      paymentIntentId: string;
      amount: bigint;
      fee?: bigint;
      reason?: string;
      id?: string;
    }) {
      if (input.id) {
        const existing = await moneyTables(ctx.db)
          .selectFrom("chargebacks")
          .selectAll()
          .where("id", "=", input.id)
          .executeTakeFirst();
        if (existing) return { ...existing, legs: [] };
      }
      const intent = await ctx.db
        .selectFrom("payment_intents")
        .selectAll()
        .where("id", "=", input.paymentIntentId)
        .executeTakeFirst();
      if (!intent) throw notFound("payment_intent", input.paymentIntentId);
      const earlier = await moneyTables(ctx.db)
        .selectFrom("chargebacks")
        .select((eb) => eb.fn.coalesce(eb.fn.sum<bigint>("amount"), eb.val(0n)).as("total"))
        .where("payment_intent_id", "=", intent.id)
        .where("status", "=", "withdrawn")
        .executeTakeFirstOrThrow();
      if (input.amount <= 0n || input.amount + BigInt(earlier.total) > intent.amount_received) {
        throw new ApiError(400, {
          type: "invalid_request_error",
          code: "amount_too_large",
          message: `A chargeback takes between 1 and the ${intent.amount_received} captured.`,
        });
      }
      const now = ctx.clock.now();
      const pa = await paymentAccounts(ctx.db, books, fees, intent, now);
      const fee = input.fee ?? 0n;
      const id = input.id ?? ctx.ids.next("dp");
      const settled = toSettlement(pa.shape, input.amount);
      const shares = payersOf(pa, settled).map((s) =>
        holderKey(s.holder) === holderKey(pa.shape.merchant) ? { ...s, amount: s.amount + fee } : s,
      );
      if (!shares.some((s) => holderKey(s.holder) === holderKey(pa.shape.merchant)) && fee > 0n) {
        shares.push({ holder: pa.shape.merchant, amount: fee });
      }
      // Balances read before the transaction decide how far available and reserve go; the ledger checks them
      // again when applying, and a concurrent spend makes this attempt fail and the next one re-plan.
      for (let attempt = 0; ; attempt++) {
        const plans: Array<{ share: (typeof shares)[number] } & Awaited<ReturnType<typeof balancesOf>>> = [];
        for (const share of shares)
          plans.push({ share, ...(await balancesOf(share.holder, pa.shape.settlement)) });
        try {
          return await ctx.db.transaction().execute(async (tx) => {
            const transfers: TransferInput[] = [];
            const tag = `${id}.${attempt}`;
            if (pa.fxPosition) {
              transfers.push(
                {
                  id: `${tag}.network`,
                  debitAccountId: pa.fxPosition.presentment,
                  creditAccountId: pa.providerClearing.presentment,
                  amount: input.amount,
                  code: TransferCode.chargeback,
                  userData: id,
                },
                {
                  id: `${tag}.fx`,
                  debitAccountId: pa.chargebacks,
                  creditAccountId: pa.fxPosition.settlement,
                  amount: settled,
                  code: TransferCode.fx_conversion,
                  userData: id,
                },
              );
            } else {
              transfers.push({
                id: `${tag}.network`,
                debitAccountId: pa.chargebacks,
                creditAccountId: pa.providerClearing.presentment,
                amount: input.amount,
                code: TransferCode.chargeback,
                userData: id,
              });
            }
            let shortfall = 0n;
            const bts: NewBalanceTransaction[] = [];
            let n = 0;
            for (const plan of plans) {
              const own = await drawFromHolder(
                tx,
                pa,
                { ...plan.share, amount: plan.share.amount },
                intent.id,
              );
              const fromPending = own.filter((d) => d.bucket === "pending");
              let rest = plan.share.amount - fromPending.reduce((s, d) => s + d.amount, 0n);
              const legs: Array<{ account: string; amount: bigint }> = fromPending.map((d) => ({
                account: d.account,
                amount: d.amount,
              }));
              for (const [account, balance] of [
                [plan.accounts.available, plan.available],
                [plan.accounts.reserve, plan.reserve],
              ] as const) {
                const take = rest < balance ? rest : balance > 0n ? balance : 0n;
                if (take > 0n) legs.push({ account, amount: take });
                if (take > 0n && account === plan.accounts.reserve) {
                  // The reserve's maturing entries give up what the chargeback takes, oldest first.
                  if (!(await drawMaturing(tx, plan.share.holder, pa.shape.settlement, "reserve", take))) {
                    throw new RetryChargeback();
                  }
                }
                rest -= take;
              }
              if (rest > 0n) {
                legs.push({ account: pa.operating, amount: rest });
                shortfall += rest;
              }
              const isSelf = holderKey(plan.share.holder) === holderKey(pa.shape.merchant);
              const holderFee = isSelf ? fee : 0n;
              const covered = plan.share.amount - (rest > 0n ? rest : 0n);
              const feePaid = minBigint(holderFee, covered);
              for (const leg of legs) {
                transfers.push({
                  id: `${tag}.leg.${n++}`,
                  debitAccountId: leg.account,
                  creditAccountId: pa.chargebacks,
                  amount: leg.amount,
                  code: TransferCode.chargeback,
                  userData: id,
                });
              }
              if (holderFee > 0n) {
                // The fee was drawn with the share; it goes on to fee revenue instead of the network.
                transfers.push({
                  id: `${tag}.fee`,
                  debitAccountId: pa.chargebacks,
                  creditAccountId: pa.feeRevenue,
                  amount: holderFee,
                  code: TransferCode.chargeback_fee,
                  userData: id,
                });
              }
              bts.push({
                id: ctx.ids.next("txn"),
                holder: plan.share.holder,
                type: "chargeback",
                sourceId: id,
                // What the holder's balances gave; a shortfall the platform carried is not in it.
                amount: -(covered - feePaid),
                fee: feePaid,
                feeDetails:
                  feePaid > 0n
                    ? [
                        {
                          type: "platform_fee",
                          amount: feePaid.toString(),
                          currency: pa.shape.settlement,
                          description: "Chargeback fee",
                        },
                      ]
                    : [],
                currency: pa.shape.settlement,
                description:
                  rest > 0n
                    ? `Chargeback on ${intent.id} (${rest} not covered by the balance, carried by the platform)`
                    : `Chargeback on ${intent.id}`,
                bucket: "available",
                availableOn: now,
                createdAt: now,
              });
            }
            const refused = await books.tryPost(tx, linked(transfers));
            if (refused) throw new RetryChargeback();
            await insertBalanceTransactions(tx, bts);
            const row = await moneyTables(tx)
              .insertInto("chargebacks")
              .values({
                id,
                merchant_id: intent.merchant_id,
                livemode: intent.livemode,
                payment_intent_id: intent.id,
                amount: input.amount,
                fee,
                currency: intent.currency,
                status: "withdrawn",
                reason: input.reason ?? null,
                shortfall,
                created_at: now,
                updated_at: now,
              })
              .returningAll()
              .executeTakeFirstOrThrow();
            return { ...row, legs: transfers.filter((t) => t.id.includes(".leg.")) };
          });
        } catch (error) {
          if ((error instanceof RetryChargeback || isContention(error)) && attempt < 5) continue;
          throw error;
        }
      }
    },

    /**
     * The merchant won: the network returns the funds. Each leg of the withdrawal goes back to the account it
     * came from (pending funds return as available, they matured in the meantime or will be paid with them).
     */
    async reinstate(chargebackId: string) {
      const now = ctx.clock.now();
      const cb = await moneyTables(ctx.db)
        .selectFrom("chargebacks")
        .selectAll()
        .where("id", "=", chargebackId)
        .executeTakeFirst();
      if (!cb) throw notFound("dispute", chargebackId);
      const intent = await ctx.db
        .selectFrom("payment_intents")
        .selectAll()
        .where("id", "=", cb.payment_intent_id)
        .executeTakeFirstOrThrow();
      const pa = await paymentAccounts(ctx.db, books, fees, intent, now);
      return ctx.db.transaction().execute(async (tx) => {
        const locked = await moneyTables(tx)
          .updateTable("chargebacks")
          .set({ status: "reinstated", updated_at: now })
          .where("id", "=", chargebackId)
          .where("status", "=", "withdrawn")
          .returningAll()
          .executeTakeFirst();
        if (!locked) return cb;
        const legs = (
          await moneyTables(tx)
            .selectFrom("ledger_transfers")
            .select(["id", "debit_account_id", "amount"])
            .where("user_data", "=", chargebackId)
            .where("id", "like", `${chargebackId}.%.leg.%`)
            .execute()
        ).sort((a, b) => legNumber(a.id) - legNumber(b.id));
        const settled = toSettlement(pa.shape, cb.amount);
        const transfers: TransferInput[] = [];
        const bts: NewBalanceTransaction[] = [];
        const holderOfAccount = new Map<string, Holder>();
        for (const [key, entry] of pa.holders) {
          const part = pa.shape.parts.find((p) => holderKey(p.holder) === key);
          if (!part) continue;
          for (const account of Object.values(entry.accounts)) holderOfAccount.set(account, part.holder);
        }
        const returned = new Map<string, { holder: Holder; amount: bigint }>();
        // The fee is not returned: legs give back at most the chargeback amount, in the order they were taken.
        let toReturn = settled;
        legs.forEach((leg, i) => {
          const amount = minBigint(leg.amount, toReturn);
          toReturn -= amount;
          if (amount === 0n) return;
          const holder = holderOfAccount.get(leg.debit_account_id);
          // Funds return to available: a reserve or pending leg has done its job by now.
          const credit = holder ? accountsOf(pa, holder).accounts.available : leg.debit_account_id;
          transfers.push({
            id: `${chargebackId}.reinstate.${i}`,
            debitAccountId: pa.chargebacks,
            creditAccountId: credit,
            amount,
            code: TransferCode.chargeback_reversal,
            userData: chargebackId,
          });
          if (holder) {
            const e = returned.get(holderKey(holder)) ?? { holder, amount: 0n };
            e.amount += amount;
            returned.set(holderKey(holder), e);
          }
        });
        const network: TransferInput[] = pa.fxPosition
          ? [
              {
                id: `${chargebackId}.reinstate.network`,
                debitAccountId: pa.providerClearing.presentment,
                creditAccountId: pa.fxPosition.presentment,
                amount: cb.amount,
                code: TransferCode.chargeback_reversal,
                userData: chargebackId,
              },
              {
                id: `${chargebackId}.reinstate.fx`,
                debitAccountId: pa.fxPosition.settlement,
                creditAccountId: pa.chargebacks,
                amount: settled,
                code: TransferCode.fx_conversion,
                userData: chargebackId,
              },
            ]
          : [
              {
                id: `${chargebackId}.reinstate.network`,
                debitAccountId: pa.providerClearing.presentment,
                creditAccountId: pa.chargebacks,
                amount: cb.amount,
                code: TransferCode.chargeback_reversal,
                userData: chargebackId,
              },
            ];
        for (const e of returned.values()) {
          bts.push({
            id: ctx.ids.next("txn"),
            holder: e.holder,
            type: "chargeback_reversal",
            sourceId: chargebackId,
            amount: e.amount,
            currency: pa.shape.settlement,
            description: `Chargeback on ${intent.id} reversed`,
            bucket: "available",
            availableOn: now,
            createdAt: now,
          });
        }
        await books.post(tx, linked([...network, ...transfers]));
        await insertBalanceTransactions(tx, bts);
        return locked;
      });
    },
  };
}

class RetryChargeback extends Error {}

const legNumber = (id: string) => Number(id.slice(id.lastIndexOf(".") + 1));

export type Chargebacks = ReturnType<typeof createChargebacks>;
