/** What the simulated bank does with each transfer: the built-in failing test IBANs and their reasons. */

export interface Failure {
  reasonCode: string;
}

/** Valid-checksum IBANs that always fail; the account number ends with the reason's digits. */
export const TEST_FAILURES: Readonly<Record<string, Failure>> = {
  DE24370400440000000404: { reasonCode: "AC04" },
  DE02370400440000000606: { reasonCode: "AC06" },
  DE88370400440000000707: { reasonCode: "MD07" },
  NL74ABNA0000000101: { reasonCode: "AC01" },
  NL11INGB0000000404: { reasonCode: "AM04" },
};

export const REASON_TEXT: Readonly<Record<string, string>> = {
  AC01: "Account number incorrect",
  AC04: "Account closed",
  AC06: "Account blocked",
  AG01: "Transaction forbidden on this account",
  AM04: "Insufficient funds",
  BE04: "Creditor address missing",
  MD07: "End customer deceased",
  MS03: "Reason not specified",
  RC01: "Bank identifier incorrect",
  RR04: "Regulatory reason",
};

export type Outcome = { status: "paid" } | { status: "failed"; reasonCode: string };

export function createOutcomeTable() {
  const overrides = new Map<string, Outcome>();
  return {
    set(iban: string, outcome: Outcome) {
      overrides.set(iban, outcome);
    },
    clear() {
      overrides.clear();
    },
    decide(iban: string): Outcome {
      const override = overrides.get(iban);
      if (override) return override;
      const failure = TEST_FAILURES[iban];
      return failure ? { status: "failed", reasonCode: failure.reasonCode } : { status: "paid" };
    },
  };
}

export type OutcomeTable = ReturnType<typeof createOutcomeTable>;
