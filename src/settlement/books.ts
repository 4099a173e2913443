import type { Db } from "../db/index.ts";
import {
  AccountCode,
  type AccountCodeName,
  type CreateTransferResult,
  type Ledger,
  LedgerError,
  type TransferInput,
} from "../ledger/index.ts";

/** A balance owner: a merchant itself (holder '') or one of its connected accounts (holder acct_…). */
export interface Holder {
  merchantId: string;
  livemode: boolean;
  holder: string;
}

export const holderOf = (merchantId: string, livemode: boolean, holder = ""): Holder => ({
  merchantId,
  livemode,
  holder,
});

export const holderKey = (h: Holder) => `${h.merchantId}/${h.livemode ? "live" : "test"}/${h.holder}`;

export interface HolderAccounts {
  pending: string;
  available: string;
  reserve: string;
}

/** Platform accounts every payment touches get shards, so concurrent payments do not queue on one row. */
const HOT_SHARDS = 8;

type PlatformAccount =
  | "platform_fee_revenue"
  | "provider_clearing"
  | "bank_clearing"
  | "refunds_payable"
  | "chargebacks"
  | "fx_position"
  | "fx_gain_loss"
  | "platform_operating";

const PLATFORM_SHARDS: Record<PlatformAccount, number> = {
  platform_fee_revenue: HOT_SHARDS,
  provider_clearing: HOT_SHARDS,
  bank_clearing: HOT_SHARDS,
  refunds_payable: HOT_SHARDS,
  chargebacks: 1,
  fx_position: HOT_SHARDS,
  fx_gain_loss: HOT_SHARDS,
  platform_operating: 1,
};

export class PostingError extends Error {
  constructor(
    readonly results: CreateTransferResult[],
    readonly transfers: TransferInput[],
  ) {
    super(
      `ledger refused: ${results
        .filter((r) => r.result !== "ok" && r.result !== "exists")
        .map((r) => `${r.id} ${r.result}`)
        .join(", ")}`,
    );
  }
}

/**
 * Names and creates the ledger accounts of balance holders and of the platform. Account ids are derived
 * from what the account is, so a posting knows its accounts without a lookup; each is created once per
 * process (get-or-create, safe under concurrency) and remembered.
 */
export function createBooks(ledger: Ledger, db: Db) {
  const ensured = new Set<string>();

  /**
   * Accounts are created in their own committed transaction, so a posting transaction that rolls back never
   * leaves this process believing in an account that does not exist. Call before opening the posting
   * transaction (on PGlite a nested transaction would wait for the connection the caller holds).
   */
  async function ensure(
    id: string,
    spec: Omit<Parameters<Ledger["createAccount"]>[1], "id">,
  ): Promise<string> {
    if (ensured.has(id)) return id;
    await db.transaction().execute((tx) => ledger.createAccount(tx, { ...spec, id }));
    ensured.add(id);
    return id;
  }

  const mode = (livemode: boolean) => (livemode ? "live" : "test");

  return {
    ledger,

    async holderAccounts(h: Holder, currency: string): Promise<HolderAccounts> {
      const base = `la_${mode(h.livemode)}_${currency}_${h.merchantId}_${h.holder || "self"}`;
      const spec = (code: AccountCodeName) => ({
        merchantId: h.merchantId,
        livemode: h.livemode,
        currency,
        code: AccountCode[code],
        reference: h.holder,
        flags: { debitsMustNotExceedCredits: true },
      });
      return {
        pending: await ensure(`${base}_pending`, spec("merchant_pending")),
        available: await ensure(`${base}_available`, spec("merchant_available")),
        reserve: await ensure(`${base}_reserve`, spec("merchant_reserve")),
      };
    },

    /** `reference` tells accounts of one kind apart: the connector account for provider clearing. */
    platform(kind: PlatformAccount, livemode: boolean, currency: string, reference = ""): Promise<string> {
      const id = `la_${mode(livemode)}_${currency}_platform_${kind}${reference ? `_${reference}` : ""}`;
      return ensure(id, {
        merchantId: null,
        livemode,
        currency,
        code: AccountCode[kind],
        reference,
        shards: PLATFORM_SHARDS[kind],
      });
    },

    /** Applies transfers that must all succeed (they are linked by the caller where it matters). */
    async post(tx: Db, transfers: TransferInput[]): Promise<void> {
      if (transfers.length === 0) return;
      const results = await ledger.createTransfers(tx, transfers);
      if (results.some((r) => r.result !== "ok" && r.result !== "exists")) {
        throw new PostingError(results, transfers);
      }
    },

    /** Like `post`, but returns the refusal instead of throwing (balance checks a caller can answer). */
    async tryPost(tx: Db, transfers: TransferInput[]): Promise<CreateTransferResult[] | null> {
      const results = await ledger.createTransfers(tx, transfers);
      return results.some((r) => r.result !== "ok" && r.result !== "exists") ? results : null;
    },

    async balances(db: Db, accounts: HolderAccounts) {
      const rows = await ledger.lookupAccounts(db, [accounts.pending, accounts.available, accounts.reserve]);
      const net = (id: string) => {
        const a = rows.find((r) => r.id === id);
        if (!a) throw new LedgerError("account_missing", `ledger account ${id} is missing`);
        return a.creditsPosted - a.debitsPosted;
      };
      return {
        pending: net(accounts.pending),
        available: net(accounts.available),
        reserve: net(accounts.reserve),
        /** What holds (refunds and payouts in flight) keep from being spent again. */
        availableHeld: (() => {
          const a = rows.find((r) => r.id === accounts.available);
          return a ? a.debitsPending : 0n;
        })(),
      };
    },
  };
}

export type Books = ReturnType<typeof createBooks>;

/** Links a list of transfers into one chain: all succeed or none does. */
export function linked(transfers: TransferInput[]): TransferInput[] {
  return transfers.map((t, i) => ({
    ...t,
    flags: { ...t.flags, linked: i < transfers.length - 1 },
  }));
}
