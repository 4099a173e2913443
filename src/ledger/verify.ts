import { sql } from "kysely";
import { accountCodeInfo } from "./codes.ts";
import { type LedgerDb, type LedgerKysely, ledgerTables } from "./schema.ts";

/**
 * `payrail ledger verify`: recomputes the ledger from its transfers on one consistent snapshot and reports
 * every place where stored state disagrees. Sums are done in SQL (numeric, no overflow) and compared as text.
 */

export type ViolationCheck =
  | "currency_unbalanced"
  | "account_totals_mismatch"
  | "unknown_account"
  | "flag_violated"
  | "negative_balance"
  | "transfer_accounts_mismatch"
  | "pending_inconsistent"
  | "shards_inconsistent";

export interface Violation {
  check: ViolationCheck;
  /** account id, transfer id or "<currency>/<live|test>" */
  subject: string;
  detail: string;
}

export interface CurrencySummary {
  currency: string;
  livemode: boolean;
  accounts: number;
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
}

export interface VerifyResult {
  ok: boolean;
  violations: Violation[];
  /** true when a check found more violations than it lists */
  truncated: boolean;
  summary: {
    checkedAt: Date;
    accounts: number;
    transfers: number;
    pendingOpen: number;
    /** open pending transfers past their timeout, waiting for the expiry job (not a violation) */
    pendingOverdue: number;
    currencies: CurrencySummary[];
  };
}

/** Violations listed per check at most; the rest is counted as truncated. */
const LIMIT = 200;

const TOTALS = sql`
  select a.id, a.currency, a.livemode, a.code, a.shards, a.debits_must_not_exceed_credits as dmnec,
    a.credits_must_not_exceed_debits as cmned,
    a.debits_pending::numeric + coalesce(sum(s.debits_pending), 0) as dpe,
    a.debits_posted::numeric + coalesce(sum(s.debits_posted), 0) as dpo,
    a.credits_pending::numeric + coalesce(sum(s.credits_pending), 0) as cpe,
    a.credits_posted::numeric + coalesce(sum(s.credits_posted), 0) as cpo
  from ledger_accounts a left join ledger_account_shards s on s.account_id = a.id
  group by a.id`;

const EXPECTED = sql`
  select x.account_id, sum(x.dpe) as dpe, sum(x.dpo) as dpo, sum(x.cpe) as cpe, sum(x.cpo) as cpo
  from ledger_transfers t
  left join ledger_pending_transfers p on p.id = t.id and t.pending
  cross join lateral (
    select not t.pending and not t.void_pending as posts, t.pending and p.status = 'pending' as holds
  ) k
  cross join lateral (values
    (t.debit_account_id, case when k.holds then t.amount else 0 end, case when k.posts then t.amount else 0 end,
      0::int8, 0::int8),
    (t.credit_account_id, 0::int8, 0::int8, case when k.holds then t.amount else 0 end,
      case when k.posts then t.amount else 0 end)
  ) as x(account_id, dpe, dpo, cpe, cpo)
  group by x.account_id`;

type Text = string | null;

async function runChecks(db: LedgerKysely, now: Date): Promise<VerifyResult> {
  const violations: Violation[] = [];
  let truncated = false;
  const add = (rows: Violation[]) => {
    if (rows.length > LIMIT) truncated = true;
    violations.push(...rows.slice(0, LIMIT));
  };
  const big = (v: Text) => BigInt(v ?? "0");

  const currencies = (
    await sql<{
      currency: string;
      livemode: boolean;
      accounts: bigint;
      dpe: Text;
      dpo: Text;
      cpe: Text;
      cpo: Text;
    }>`
      with totals as (${TOTALS})
      select currency, livemode, count(*)::int8 as accounts, sum(dpe)::text as dpe, sum(dpo)::text as dpo,
        sum(cpe)::text as cpe, sum(cpo)::text as cpo
      from totals group by currency, livemode order by currency, livemode`.execute(db)
  ).rows.map(
    (r): CurrencySummary => ({
      currency: r.currency,
      livemode: r.livemode,
      accounts: Number(r.accounts),
      debitsPending: big(r.dpe),
      debitsPosted: big(r.dpo),
      creditsPending: big(r.cpe),
      creditsPosted: big(r.cpo),
    }),
  );
  for (const c of currencies) {
    const subject = `${c.currency}/${c.livemode ? "live" : "test"}`;
    if (c.debitsPosted !== c.creditsPosted) {
      add([
        {
          check: "currency_unbalanced",
          subject,
          detail: `posted debits ${c.debitsPosted} ≠ posted credits ${c.creditsPosted}`,
        },
      ]);
    }
    if (c.debitsPending !== c.creditsPending) {
      add([
        {
          check: "currency_unbalanced",
          subject,
          detail: `pending debits ${c.debitsPending} ≠ pending credits ${c.creditsPending}`,
        },
      ]);
    }
  }

  const mismatches = await sql<{
    id: string;
    known: boolean;
    a_dpe: Text;
    a_dpo: Text;
    a_cpe: Text;
    a_cpo: Text;
    e_dpe: Text;
    e_dpo: Text;
    e_cpe: Text;
    e_cpo: Text;
  }>`
    with totals as (${TOTALS}), expected as (${EXPECTED})
    select coalesce(a.id, e.account_id) as id, a.id is not null as known,
      a.dpe::text as a_dpe, a.dpo::text as a_dpo, a.cpe::text as a_cpe, a.cpo::text as a_cpo,
      e.dpe::text as e_dpe, e.dpo::text as e_dpo, e.cpe::text as e_cpe, e.cpo::text as e_cpo
    from totals a full join expected e on e.account_id = a.id
    where a.id is null or a.dpe <> coalesce(e.dpe, 0) or a.dpo <> coalesce(e.dpo, 0)
      or a.cpe <> coalesce(e.cpe, 0) or a.cpo <> coalesce(e.cpo, 0)
    order by 1 limit ${LIMIT + 1}`.execute(db);
  add(
    mismatches.rows.map((r) => {
      if (!r.known) {
        return {
          check: "unknown_account",
          subject: r.id,
          detail: "transfers reference an account that does not exist",
        };
      }
      const parts: string[] = [];
      const cmp = (name: string, actual: Text, expected: Text) => {
        if (big(actual) !== big(expected))
          parts.push(`${name} ${big(actual)} (transfers say ${big(expected)})`);
      };
      cmp("debits_pending", r.a_dpe, r.e_dpe);
      cmp("debits_posted", r.a_dpo, r.e_dpo);
      cmp("credits_pending", r.a_cpe, r.e_cpe);
      cmp("credits_posted", r.a_cpo, r.e_cpo);
      return { check: "account_totals_mismatch", subject: r.id, detail: parts.join(", ") };
    }),
  );

  const flagged = await sql<{
    id: string;
    code: number;
    kind: string;
    dpe: Text;
    dpo: Text;
    cpe: Text;
    cpo: Text;
  }>`
    with totals as (${TOTALS})
    select id, code, case
        when dpe < 0 or dpo < 0 or cpe < 0 or cpo < 0 then 'negative_balance'
        when dmnec and dpe + dpo > cpo then 'debits_must_not_exceed_credits'
        else 'credits_must_not_exceed_debits' end as kind,
      dpe::text as dpe, dpo::text as dpo, cpe::text as cpe, cpo::text as cpo
    from totals
    where dpe < 0 or dpo < 0 or cpe < 0 or cpo < 0 or (dmnec and dpe + dpo > cpo) or (cmned and cpe + cpo > dpo)
    order by id limit ${LIMIT + 1}`.execute(db);
  add(
    flagged.rows.map((r) => ({
      check: r.kind === "negative_balance" ? "negative_balance" : "flag_violated",
      subject: r.id,
      detail: `${accountCodeInfo(r.code)?.name ?? `code ${r.code}`}: ${r.kind}; debits ${r.dpe} pending + ${r.dpo} posted, credits ${r.cpe} pending + ${r.cpo} posted`,
    })),
  );

  const crossing = await sql<{ id: string; detail: string }>`
    select t.id, case
        when d.id is null then 'debit account ' || t.debit_account_id || ' does not exist'
        when c.id is null then 'credit account ' || t.credit_account_id || ' does not exist'
        when d.currency <> t.currency or c.currency <> t.currency then
          'currency ' || t.currency || ' but accounts in ' || d.currency || ' and ' || c.currency
        else 'livemode differs from its accounts' end as detail
    from ledger_transfers t
    left join ledger_accounts d on d.id = t.debit_account_id
    left join ledger_accounts c on c.id = t.credit_account_id
    where d.id is null or c.id is null or d.currency <> t.currency or c.currency <> t.currency
      or d.livemode <> t.livemode or c.livemode <> t.livemode
    order by t.id limit ${LIMIT + 1}`.execute(db);
  add(crossing.rows.map((r) => ({ check: "transfer_accounts_mismatch", subject: r.id, detail: r.detail })));

  const pending = await sql<{ id: string; detail: string }>`
    select t.id, case
        when p.id is null then 'pending transfer has no pending state'
        when p.status = 'pending' and r.id is not null then 'still pending but resolved by ' || r.id
        when p.status = 'posted' and (r.id is null or not r.post_pending or p.resolved_by <> r.id)
          then 'posted without its post transfer'
        when p.status = 'voided' and (r.id is null or not r.void_pending or p.resolved_by <> r.id)
          then 'voided without its void transfer'
        when p.status = 'expired' and r.id is not null then 'expired but resolved by ' || r.id
        else 'resolved by ' || r.id || ' with other accounts, currency or a larger amount' end as detail
    from ledger_transfers t
    left join ledger_pending_transfers p on p.id = t.id
    left join ledger_transfers r on r.pending_id = t.id
    where t.pending and (
      p.id is null
      or (p.status = 'pending' and r.id is not null)
      or (p.status = 'posted' and (r.id is null or not r.post_pending or p.resolved_by <> r.id))
      or (p.status = 'voided' and (r.id is null or not r.void_pending or p.resolved_by <> r.id))
      or (p.status = 'expired' and r.id is not null)
      or (r.id is not null and (r.debit_account_id <> t.debit_account_id or r.credit_account_id <> t.credit_account_id
        or r.currency <> t.currency or r.amount > t.amount or (r.void_pending and r.amount <> t.amount))))
    union all
    select r.id, 'resolves ' || r.pending_id || ', which is not a pending transfer'
    from ledger_transfers r left join ledger_transfers t on t.id = r.pending_id
    where r.pending_id is not null and (t.id is null or not t.pending)
    union all
    select p.id, 'pending state without a pending transfer'
    from ledger_pending_transfers p left join ledger_transfers t on t.id = p.id
    where t.id is null or not t.pending
    order by 1 limit ${LIMIT + 1}`.execute(db);
  add(pending.rows.map((r) => ({ check: "pending_inconsistent", subject: r.id, detail: r.detail })));

  const shards = await sql<{ id: string; detail: string }>`
    select a.id, case when count(s.shard) <> a.shards - 1 then
        'has ' || count(s.shard) || ' extra balance rows, expected ' || (a.shards - 1)
      else 'a shard disagrees on closed' end as detail
    from ledger_accounts a left join ledger_account_shards s on s.account_id = a.id
    group by a.id
    having count(s.shard) <> a.shards - 1 or bool_or(s.closed <> a.closed)
    order by a.id limit ${LIMIT + 1}`.execute(db);
  add(shards.rows.map((r) => ({ check: "shards_inconsistent", subject: r.id, detail: r.detail })));

  const counts = (
    await sql<{ accounts: bigint; transfers: bigint; open: bigint; overdue: bigint }>`
      select (select count(*) from ledger_accounts) as accounts,
        (select count(*) from ledger_transfers) as transfers,
        (select count(*) from ledger_pending_transfers where status = 'pending') as open,
        (select count(*) from ledger_pending_transfers where status = 'pending' and expires_at <= ${now}) as overdue`.execute(
      db,
    )
  ).rows[0]!;

  return {
    ok: violations.length === 0,
    violations,
    truncated,
    summary: {
      checkedAt: now,
      accounts: Number(counts.accounts),
      transfers: Number(counts.transfers),
      pendingOpen: Number(counts.open),
      pendingOverdue: Number(counts.overdue),
      currencies,
    },
  };
}

/**
 * Verifies the whole ledger. Given the database, it reads one repeatable-read snapshot, so concurrent
 * writers never show up as half-applied; given a transaction, it checks what that transaction sees.
 */
export async function verifyLedger(db: LedgerDb, now: Date): Promise<VerifyResult> {
  if (db.isTransaction) return runChecks(ledgerTables(db), now);
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute((tx) => runChecks(ledgerTables(tx), now));
}

export function formatVerifyReport(result: VerifyResult): string {
  const s = result.summary;
  const lines = [
    `ledger verify at ${s.checkedAt.toISOString()}: ${result.ok ? "OK" : `${result.violations.length} violation(s)`}`,
    `  ${s.accounts} accounts, ${s.transfers} transfers, ${s.pendingOpen} pending open (${s.pendingOverdue} past timeout)`,
  ];
  for (const c of s.currencies) {
    const balanced = c.debitsPosted === c.creditsPosted && c.debitsPending === c.creditsPending;
    lines.push(
      `  ${c.currency} ${c.livemode ? "live" : "test"}: ${c.accounts} accounts, posted ${c.debitsPosted} dr / ${c.creditsPosted} cr, pending ${c.debitsPending} dr / ${c.creditsPending} cr ${balanced ? "balanced" : "UNBALANCED"}`,
    );
  }
  for (const v of result.violations) lines.push(`  VIOLATION ${v.check} ${v.subject}: ${v.detail}`);
  if (result.truncated) lines.push(`  (more violations not listed; at most ${LIMIT} per check)`);
  return `${lines.join("\n")}\n`;
}
