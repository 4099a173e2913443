/** iDEAL specifics: the issuers (banks) a shopper picks from, and the consumer details of a paid payment. */
import type { ConsumerDetails } from "./store.ts";

export const IDEAL_ISSUERS: ReadonlyArray<{ id: string; name: string }> = [
  { id: "ideal_ABNANL2A", name: "ABN AMRO" },
  { id: "ideal_ASNBNL21", name: "ASN Bank" },
  { id: "ideal_BUNQNL2A", name: "bunq" },
  { id: "ideal_INGBNL2A", name: "ING" },
  { id: "ideal_KNABNL2H", name: "Knab" },
  { id: "ideal_NTSBDEB1", name: "N26" },
  { id: "ideal_NNBANL2G", name: "Nationale-Nederlanden" },
  { id: "ideal_RABONL2U", name: "Rabobank" },
  { id: "ideal_RBRBNL21", name: "RegioBank" },
  { id: "ideal_REVOLT21", name: "Revolut" },
  { id: "ideal_SNSBNL2A", name: "SNS" },
  { id: "ideal_TRIONL2U", name: "Triodos Bank" },
  { id: "ideal_FVLBNL22", name: "Van Lanschot Kempen" },
  { id: "ideal_BITSNL2A", name: "Yoursafe" },
];

export const DEFAULT_ISSUER = "ideal_INGBNL2A";

export function isIdealIssuer(id: unknown): id is string {
  return typeof id === "string" && IDEAL_ISSUERS.some((issuer) => issuer.id === id);
}

/** A Dutch IBAN with correct check digits for the issuer's bank code. */
export function dutchIban(bankCode: string, accountDigits: string): string {
  const rearranged = `${bankCode}${accountDigits}NL00`;
  const numeric = [...rearranged].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join("");
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  const check = String(98 - remainder).padStart(2, "0");
  return `NL${check}${bankCode}${accountDigits}`;
}

/** Test mode shows "T. TEST" as the consumer, with an account at the chosen bank. */
export function testConsumer(issuer: string, accountDigits: string): ConsumerDetails {
  const bic = issuer.replace(/^ideal_/, "");
  return {
    consumerName: "T. TEST",
    consumerAccount: dutchIban(bic.slice(0, 4), accountDigits),
    consumerBic: bic,
  };
}
