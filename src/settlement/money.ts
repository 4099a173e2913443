import type { PaymentIntentRow } from "../db/schema.ts";
import type { FxService } from "../fx/service.ts";
import type { AppContext } from "../http/context.ts";
import { createLedger, type Ledger } from "../ledger/index.ts";
import { paymentAccounts } from "./accounts-of-payment.ts";
import { createBooks } from "./books.ts";
import { createChargebacks } from "./chargebacks.ts";
import { createFeeRules } from "./fees.ts";
import { createPaymentPostings } from "./payment-postings.ts";
import { createPaymentTerms } from "./payment-terms.ts";
import { createProviderSettlements } from "./provider-settlement.ts";
import { createRefundPostings } from "./refund-postings.ts";

/** The money side as the payment flows see it: one instance per process, shared by every service. */
export function createMoney(ctx: AppContext, options: { ledger?: Ledger; fx?: FxService } = {}) {
  const ledger = options.ledger ?? createLedger({ clock: ctx.clock, ids: ctx.ids });
  const books = createBooks(ledger, ctx.db);
  const fees = createFeeRules(ctx.db);
  return {
    ledger,
    books,
    fees,
    /** Creates the payment's ledger accounts; call before opening the transaction that posts. */
    prepare: (intent: PaymentIntentRow) => paymentAccounts(ctx.db, books, fees, intent, ctx.clock.now()),
    payments: createPaymentPostings({ books, ids: ctx.ids }),
    refunds: createRefundPostings({ books, ids: ctx.ids }),
    chargebacks: createChargebacks({ ctx, books, fees }),
    providerSettlements: createProviderSettlements({ ctx, books }),
    terms: createPaymentTerms({ fees, fx: options.fx, now: () => ctx.clock.now() }),
  };
}

export type Money = ReturnType<typeof createMoney>;
