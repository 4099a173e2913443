/** A request the ledger refuses outright (bad account spec, no transaction); transfer outcomes are values. */
export class LedgerError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "LedgerError";
    this.code = code;
  }
}

/**
 * Another transaction wrote a transfer with one of this batch's ids (or resolved one of its pending
 * transfers) while this batch was being applied. The batch's writes are in the caller's transaction:
 * roll it back and retry; the retry then sees the other write (`exists`, `pending_transfer_already_posted`).
 */
export class LedgerConflictError extends Error {
  readonly code = "ledger_conflict";
  constructor(message: string) {
    super(message);
    this.name = "LedgerConflictError";
  }
}
