import { lookupBin } from "../vault/bin/lookup.ts";

export interface CardFacts {
  brand: string;
  funding: "credit" | "debit" | "prepaid" | "unknown";
  country: string | null;
}

/** Brand, funding and issuing country from the BIN table shipped with the project. */
export function cardFacts(digits: string): CardFacts {
  const found = lookupBin(digits);
  return { brand: found.brand, funding: found.funding, country: found.country || null };
}
