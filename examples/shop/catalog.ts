/** What the demo shop sells. Amounts are integers in the currency's minor unit (cents), as Payrail takes them. */
export interface Item {
  id: string;
  name: string;
  description: string;
  amount: number;
  currency: string;
}

export const ITEMS: readonly Item[] = [
  {
    id: "mug",
    name: "Ceramic mug",
    description: "Stoneware, glazed by hand, holds 350 ml.",
    amount: 1800,
    currency: "eur",
  },
  {
    id: "tote",
    name: "Linen tote bag",
    description: "Undyed linen with long handles; fits a laptop.",
    amount: 2450,
    currency: "eur",
  },
];

export function findItem(id: string | null | undefined): Item | undefined {
  return ITEMS.find((item) => item.id === id);
}

/** 1800 "eur" → "€18.00": Intl knows how many decimals each currency has. */
export function formatAmount(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  const format = new Intl.NumberFormat("en", { style: "currency", currency: code });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}
