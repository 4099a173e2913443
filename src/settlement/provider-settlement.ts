import { ApiError } from "../core/errors.ts";
import { isKnownCurrency } from "../core/money.ts";
import type { AppContext } from "../http/context.ts";
import { TransferCode } from "../ledger/index.ts";
import type { Books } from "./books.ts";

export interface ProviderSettlementInput {
  /** The connector account (`mca_…`) whose provider paid. */
  connectorAccountId: string;
  livemode: boolean;
  currency: string;
  /** What arrived at the bank, minor units. */
  amount: bigint;
  /** The provider's or the bank statement's reference: the same reference twice is booked once. */
  reference: string;
}

/**
 * A provider's settlement arriving at the platform's bank account: the provider no longer owes it (provider
 * clearing is credited) and the bank holds it (bank clearing is debited). Reconciliation calls this for each
 * settlement line it matches on a bank statement; the reference makes a re-imported statement harmless.
 */
export function createProviderSettlements(deps: { ctx: AppContext; books: Books }) {
  const { ctx, books } = deps;
  return {
    async record(input: ProviderSettlementInput) {
      if (input.amount <= 0n)
        throw new ApiError(400, {
          type: "invalid_request_error",
          code: "amount_invalid",
          message: "A settlement amount is positive.",
        });
      if (!isKnownCurrency(input.currency))
        throw new ApiError(400, {
          type: "invalid_request_error",
          code: "currency_invalid",
          message: `Unknown currency ${input.currency}.`,
        });
      const clearing = await books.platform(
        "provider_clearing",
        input.livemode,
        input.currency,
        input.connectorAccountId,
      );
      const bank = await books.platform("bank_clearing", input.livemode, input.currency);
      const id = `settlement.${input.connectorAccountId}.${input.reference}`.slice(0, 255);
      await ctx.db.transaction().execute((tx) =>
        books.post(tx, [
          {
            id,
            debitAccountId: bank,
            creditAccountId: clearing,
            amount: input.amount,
            code: TransferCode.settlement,
            userData: input.reference,
          },
        ]),
      );
      return { id };
    },
  };
}
