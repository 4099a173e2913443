/** Batches for the bank tests: valid accounts and a builder with overridable parts. */
import type { CreditTransfer, CreditTransferBatch } from "./pain001.ts";

export const DEBTOR = { name: "Payrail Platform GmbH", iban: "DE89370400440532013000", bic: "COBADEFFXXX" };

export function transfer(overrides: Partial<CreditTransfer> = {}): CreditTransfer {
  return {
    endToEndId: "po_0000000001",
    amount: 1000n,
    currency: "eur",
    creditor: { name: "Erika Mustermann", iban: "NL91ABNA0417164300", bic: "ABNANL2A" },
    remittanceInformation: "Payout po_0000000001",
    ...overrides,
  };
}

export function batch(overrides: Partial<CreditTransferBatch> = {}): CreditTransferBatch {
  return {
    messageId: "MSG-20240501-0001",
    createdAt: new Date("2024-05-01T10:15:30.123Z"),
    initiatingParty: { name: "Payrail" },
    debtor: DEBTOR,
    requestedExecutionDate: "2024-05-02",
    payments: [transfer()],
    ...overrides,
  };
}
