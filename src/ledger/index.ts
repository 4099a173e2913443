export { runLedgerCommand } from "./cli.ts";
export * from "./codes.ts";
export { LedgerConflictError, LedgerError } from "./errors.ts";
export type { LedgerDatabase, LedgerDb } from "./schema.ts";
export { createLedger, type Ledger, type LedgerDeps } from "./service.ts";
export type * from "./types.ts";
export { formatVerifyReport, type VerifyResult, type Violation, verifyLedger } from "./verify.ts";
