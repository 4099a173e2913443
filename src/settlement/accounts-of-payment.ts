import type { Db } from "../db/index.ts";
import type { PaymentIntentRow } from "../db/schema.ts";
import { type Books, type HolderAccounts, holderKey } from "./books.ts";
import type { FeeRules } from "./fees.ts";
import { loadHolder } from "./holders.ts";
import { type PaymentShape, paymentShape } from "./payment-shape.ts";
import type { BalanceHolderRow, FeeRuleRow } from "./schema.ts";

/**
 * Every ledger account a payment's movements can touch, created before the posting transaction opens (see
 * `createBooks`), with the settings of each holder.
 */
export interface PaymentAccounts {
  shape: PaymentShape;
  holders: Map<string, { accounts: HolderAccounts; settings: BalanceHolderRow }>;
  providerClearing: { presentment: string; settlement: string };
  fxPosition: { presentment: string; settlement: string } | null;
  fxGainLoss: string | null;
  feeRevenue: string;
  refundsPayable: string;
  chargebacks: string;
  operating: string;
  /** Fee rules as of now, read before the posting transaction. */
  feeRules: FeeRuleRow[];
}

export async function paymentAccounts(
  db: Db,
  books: Books,
  fees: FeeRules,
  intent: PaymentIntentRow,
  now: Date,
): Promise<PaymentAccounts> {
  const shape = paymentShape(intent);
  const { livemode } = intent;
  const holders = new Map<string, { accounts: HolderAccounts; settings: BalanceHolderRow }>();
  for (const part of shape.parts) {
    const key = holderKey(part.holder);
    if (holders.has(key)) continue;
    holders.set(key, {
      accounts: await books.holderAccounts(part.holder, shape.settlement),
      settings: await loadHolder(db, part.holder, now),
    });
  }
  const connectorAccount = intent.connector_account_id ?? "none";
  const fx = shape.rate !== null;
  return {
    shape,
    holders,
    providerClearing: {
      presentment: await books.platform("provider_clearing", livemode, shape.presentment, connectorAccount),
      settlement: await books.platform("provider_clearing", livemode, shape.settlement, connectorAccount),
    },
    fxPosition: fx
      ? {
          presentment: await books.platform("fx_position", livemode, shape.presentment),
          settlement: await books.platform("fx_position", livemode, shape.settlement),
        }
      : null,
    fxGainLoss: fx ? await books.platform("fx_gain_loss", livemode, shape.settlement) : null,
    feeRevenue: await books.platform("platform_fee_revenue", livemode, shape.settlement),
    refundsPayable: await books.platform("refunds_payable", livemode, shape.settlement),
    chargebacks: await books.platform("chargebacks", livemode, shape.settlement),
    operating: await books.platform("platform_operating", livemode, shape.settlement),
    feeRules: await fees.all(),
  };
}

export function accountsOf(pa: PaymentAccounts, holder: PaymentShape["merchant"]) {
  const entry = pa.holders.get(holderKey(holder));
  if (!entry) throw new Error(`no accounts prepared for ${holderKey(holder)}`);
  return entry;
}
