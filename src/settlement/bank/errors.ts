/** Errors of the bank side of payouts. Each says whether the caller should retry or give up on the file. */

/** Our own file is wrong (building it, or reading one back): a bug or bad data, never worth a retry. */
export class BankFileError extends Error {
  override name = "BankFileError";
}

/** The bank could not be reached or answered 5xx/429: nothing is known about the file, retry later. */
export class BankUnavailableError extends Error {
  override name = "BankUnavailableError";
  readonly status: number | null;
  constructor(message: string, status: number | null = null, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}

/** The bank looked at the file and refused all of it: none of its transfers will be executed. */
export class BankRejectedFileError extends Error {
  override name = "BankRejectedFileError";
  readonly status: number;
  readonly code: string;
  /** ISO 20022 status reason code (FF01, AM10, DUPL, ...) when the bank gave one. */
  readonly reasonCode: string | null;
  constructor(message: string, status: number, code: string, reasonCode: string | null) {
    super(message);
    this.status = status;
    this.code = code;
    this.reasonCode = reasonCode;
  }
}
