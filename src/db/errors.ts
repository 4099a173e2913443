/** A PostgreSQL unique violation (both drivers report SQLSTATE 23505), optionally of one constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; message?: string } | undefined;
  if (e?.code !== "23505") return false;
  return constraint === undefined || e.constraint === constraint || (e.message ?? "").includes(constraint);
}

/**
 * Concurrency, not a fault: a deadlock or serialization failure PostgreSQL broke (40P01, 40001), a lock
 * that could not be had (55P03), or the ledger noticing a concurrent writer (`ledger_conflict`). The
 * transaction was rolled back; running it again is safe.
 */
export function isContention(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === "40P01" || code === "40001" || code === "55P03" || code === "ledger_conflict";
}

/** Runs a transaction-shaped function again (a few times, with jitter) when it lost to a concurrent one. */
export async function retryOnContention<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isContention(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
