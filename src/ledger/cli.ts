import type { Clock } from "../core/clock.ts";
import type { LedgerDb } from "./schema.ts";
import { formatVerifyReport, verifyLedger } from "./verify.ts";

export const LEDGER_USAGE = `Usage: payrail ledger verify [--json]

  Checks the live ledger: per currency total debits equal total credits, every account's balances equal the
  sum of its transfers, no flagged account breaks its constraint, every pending transfer is posted, voided,
  expired or still open. Prints a report; exits 1 on any violation.`;

const json = (value: unknown) =>
  JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);

/** `payrail ledger <subcommand>`; returns the process exit code. */
export async function runLedgerCommand(
  positionals: readonly string[],
  io: { db: LedgerDb; clock: Clock; json?: boolean; write: (text: string) => void },
): Promise<number> {
  if (positionals[0] !== "verify") {
    io.write(`${LEDGER_USAGE}\n`);
    return 2;
  }
  const result = await verifyLedger(io.db, io.clock.now());
  io.write(io.json ? `${json(result)}\n` : formatVerifyReport(result));
  return result.ok ? 0 : 1;
}
