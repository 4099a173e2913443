import { createEcbRateSource } from "../fx/rate-source.ts";
import { fxRoutes } from "../fx/routes.ts";
import { createFxService } from "../fx/service.ts";
import type { AppContext } from "../http/context.ts";
import type { Job } from "../jobs/runtime.ts";
import { createAccountsService } from "./accounts-service.ts";
import { createBalanceService } from "./balance-service.ts";
import { createHttpBankAdapter } from "./bank/adapter.ts";
import { createBankBatches } from "./bank-batches.ts";
import { createMoney } from "./money.ts";
import { createPayoutService } from "./payout-service.ts";
import { createPayoutLedger } from "./payouts.ts";
import { settlementRoutes } from "./routes.ts";
import { createSettlement, settlementJob } from "./settlement-job.ts";
import { createTransferService } from "./transfer-service.ts";

/**
 * The money side of one process: ledger postings for the payment flows, FX, balances, connected accounts,
 * transfers, payouts and the settlement job. `bankUrl` and `ratesLocation` come from configuration, or from
 * the simulators of this process.
 */
export function createMoneyServices(ctx: AppContext, options: { bankUrl: string; ratesLocation: string }) {
  const rates = createEcbRateSource({
    location: options.ratesLocation,
    clock: ctx.clock,
    logger: ctx.logger,
  });
  const fx = createFxService({ ctx, rates, spreadBps: ctx.config.PAYRAIL_FX_SPREAD_BPS });
  const money = createMoney(ctx, { fx });
  const bank = createHttpBankAdapter({ baseUrl: options.bankUrl, apiKey: ctx.config.PAYRAIL_BANK_API_KEY });
  const payoutLedger = createPayoutLedger({ ctx, books: money.books });
  const settlement = createSettlement({ ctx, books: money.books, payouts: payoutLedger });
  const bankBatches = createBankBatches({
    ctx,
    payouts: payoutLedger,
    bank: () => bank,
    bankKey: options.bankUrl,
  });
  const accounts = createAccountsService(ctx);
  const balance = createBalanceService(ctx, money.ledger);
  const payouts = createPayoutService(ctx, payoutLedger);
  const transfers = createTransferService(ctx, money.books);

  return {
    money,
    fx,
    settlement,
    bankBatches,
    payoutLedger,
    routes: () => [...settlementRoutes({ accounts, balance, payouts, transfers }), ...fxRoutes(fx)],
    jobs: (): Job[] => [
      settlementJob(ctx, settlement, bankBatches, { everyMs: ctx.config.PAYRAIL_SETTLEMENT_EVERY }),
      {
        name: "ledger-expiry",
        run: async () =>
          (await ctx.db.transaction().execute((tx) => money.ledger.expirePendingTransfers(tx))).length,
      },
    ],
  };
}

export type MoneyServices = ReturnType<typeof createMoneyServices>;
