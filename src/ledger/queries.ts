import { sql } from "kysely";
import { LedgerError } from "./errors.ts";
import type { TransferRow } from "./repo.ts";
import type { LedgerKysely, PendingStatus } from "./schema.ts";
import type { PageOptions, Transfer, TransferPage } from "./types.ts";

type Row = TransferRow & { pending_status: PendingStatus | null; expires_at: Date | null };

function toTransfer(r: Row): Transfer {
  return {
    seq: r.seq,
    id: r.id,
    merchantId: r.merchant_id,
    livemode: r.livemode,
    currency: r.currency,
    debitAccountId: r.debit_account_id,
    creditAccountId: r.credit_account_id,
    amount: r.amount,
    pendingId: r.pending_id,
    code: r.code,
    flags: {
      linked: r.linked,
      pending: r.pending,
      postPendingTransfer: r.post_pending,
      voidPendingTransfer: r.void_pending,
    },
    timeout: r.timeout,
    userData: r.user_data,
    createdAt: r.created_at,
    pendingStatus: r.pending_status,
    expiresAt: r.expires_at,
  };
}

const COLUMNS = sql`t.*, p.status as pending_status, p.expires_at`;

/** Transfers by id, in the order of `ids` (missing ones left out). */
export async function lookupTransfers(db: LedgerKysely, ids: readonly string[]): Promise<Transfer[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<Row>`select ${COLUMNS} from ledger_transfers t
    left join ledger_pending_transfers p on p.id = t.id
    where t.id = any(${[...ids]}::text[])`.execute(db);
  const byId = new Map(rows.map((r) => [r.id, toTransfer(r)]));
  return ids.flatMap((id) => {
    const t = byId.get(id);
    return t ? [t] : [];
  });
}

/** Transfers caused by one payment, refund or payout (their `userData`), oldest first. */
export async function transfersByUserData(db: LedgerKysely, userData: string): Promise<Transfer[]> {
  const { rows } = await sql<Row>`select ${COLUMNS} from ledger_transfers t
    left join ledger_pending_transfers p on p.id = t.id
    where t.user_data = ${userData} order by t.seq`.execute(db);
  return rows.map(toTransfer);
}

/**
 * One page of the transfers that debit or credit an account, newest first by default. Each side is read
 * through its own (account, seq) index and the two are merged, so a page costs two short index scans.
 */
export async function getAccountTransfers(
  db: LedgerKysely,
  accountId: string,
  page: PageOptions = {},
): Promise<TransferPage> {
  const limit = page.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new LedgerError("invalid_limit", "limit is a whole number from 1 to 100.");
  }
  const desc = (page.order ?? "desc") === "desc";
  let cursor: bigint | null = null;
  if (page.startingAfter !== undefined) {
    const row = await db
      .selectFrom("ledger_transfers")
      .select("seq")
      .where("id", "=", page.startingAfter)
      .executeTakeFirst();
    if (!row) throw new LedgerError("invalid_cursor", `No such transfer: ${page.startingAfter}.`);
    cursor = row.seq;
  }
  const after =
    cursor === null
      ? sql`true`
      : desc
        ? sql`t.seq < ${cursor.toString()}::int8`
        : sql`t.seq > ${cursor.toString()}::int8`;
  const direction = desc ? sql`desc` : sql`asc`;
  const take = limit + 1;
  const { rows } = await sql<Row>`
    select * from (
      (select ${COLUMNS} from ledger_transfers t left join ledger_pending_transfers p on p.id = t.id
        where t.debit_account_id = ${accountId} and ${after} order by t.seq ${direction} limit ${take})
      union all
      (select ${COLUMNS} from ledger_transfers t left join ledger_pending_transfers p on p.id = t.id
        where t.credit_account_id = ${accountId} and ${after} order by t.seq ${direction} limit ${take})
    ) as both_sides order by seq ${direction} limit ${take}`.execute(db);
  return { data: rows.slice(0, limit).map(toTransfer), hasMore: rows.length > limit };
}
