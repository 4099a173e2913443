export type Funding = "credit" | "debit" | "prepaid" | "unknown";

export interface BinInfo {
  /** Stripe's brand vocabulary (visa, mastercard, amex, ...) plus maestro, mir, elo, rupay; or "unknown". */
  brand: string;
  funding: Funding;
  /** ISO 3166-1 alpha-2 of the issuer, or null when not known. */
  country: string | null;
  /** How many leading digits the matched row covers; 0 when nothing matched. */
  binLength: number;
}

export interface BinRange {
  low: string;
  high: string;
  brand: string;
  funding: Funding;
  country: string | null;
}

export interface BinTable {
  readonly size: number;
  /** Longest-prefix match of a card number (digits only). */
  lookup(pan: string): BinInfo;
  /** The brand a partly typed number already shows, or "unknown" while it is still ambiguous. */
  brandFromPrefix(partial: string): string;
}

const HEADER = "low,high,brand,funding,country";
const FUNDING = new Set<Funding>(["credit", "debit", "prepaid", "unknown"]);
const UNKNOWN: BinInfo = { brand: "unknown", funding: "unknown", country: null, binLength: 0 };
const DIGITS = /^[0-9]+$/;

/** Parses the CSV format of `ranges.csv` (documented in its header); errors name the line. */
export function parseBinRanges(text: string, source = "BIN table"): BinRange[] {
  const rows: BinRange[] = [];
  let headerSeen = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `${source} line ${index + 1}`;
    if (!headerSeen) {
      if (line !== HEADER) throw new Error(`${where}: expected the header '${HEADER}'`);
      headerSeen = true;
      return;
    }
    const cells = line.split(",").map((cell) => cell.trim());
    if (cells.length !== 5) throw new Error(`${where}: expected 5 columns, found ${cells.length}`);
    const [low, high, brand, funding, country] = cells as [string, string, string, string, string];
    if (!DIGITS.test(low) || !DIGITS.test(high) || low.length !== high.length || low.length > 19) {
      throw new Error(`${where}: low and high must be digit prefixes of the same length (at most 19)`);
    }
    if (low > high) throw new Error(`${where}: low is above high`);
    if (!/^[a-z][a-z_]*$/.test(brand) || brand === "unknown") throw new Error(`${where}: bad brand`);
    if (!FUNDING.has(funding as Funding)) throw new Error(`${where}: funding must be one of ${[...FUNDING]}`);
    if (country !== "" && !/^[A-Z]{2}$/.test(country)) throw new Error(`${where}: bad country code`);
    rows.push({ low, high, brand, funding: funding as Funding, country: country || null });
  });
  if (!headerSeen) throw new Error(`${source}: no header row`);
  return rows;
}

/** A reverse-sorted list of prefix lengths, each with its ranges sorted by `low` for binary search. */
export function createBinTable(ranges: readonly BinRange[]): BinTable {
  const byLength = new Map<number, BinRange[]>();
  for (const range of ranges) {
    const list = byLength.get(range.low.length) ?? [];
    list.push(range);
    byLength.set(range.low.length, list);
  }
  // Same-length prefixes compare as strings exactly as they compare as numbers.
  for (const [length, list] of byLength) {
    list.sort((a, b) => (a.low < b.low ? -1 : a.low > b.low ? 1 : 0));
    for (let i = 1; i < list.length; i++) {
      const previous = list[i - 1] as BinRange;
      const current = list[i] as BinRange;
      if (current.low <= previous.high) {
        throw new Error(
          `BIN ranges ${previous.low}-${previous.high} and ${current.low}-${current.high} overlap`,
        );
      }
    }
    byLength.set(length, list);
  }
  const lengths = [...byLength.keys()].sort((a, b) => b - a);

  const find = (list: readonly BinRange[], prefix: string): BinRange | undefined => {
    let lo = 0;
    let hi = list.length - 1;
    let candidate: BinRange | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const range = list[mid] as BinRange;
      if (range.low <= prefix) {
        candidate = range;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return candidate && prefix <= candidate.high ? candidate : undefined;
  };

  const longestMatch = (digits: string): { range: BinRange; length: number } | undefined => {
    for (const length of lengths) {
      if (length > digits.length) continue;
      const range = find(byLength.get(length) as BinRange[], digits.slice(0, length));
      if (range) return { range, length };
    }
    return undefined;
  };

  return {
    size: ranges.length,
    lookup(pan) {
      if (!DIGITS.test(pan)) return { ...UNKNOWN };
      const match = longestMatch(pan);
      if (!match) return { ...UNKNOWN };
      const { brand, funding, country } = match.range;
      return { brand, funding, country, binLength: match.length };
    },
    brandFromPrefix(partial) {
      const digits = partial.replace(/[ -]/g, "");
      if (!DIGITS.test(digits)) return "unknown";
      const match = longestMatch(digits);
      if (match) return match.range.brand;
      // Not decided yet: a brand only if every longer range the number could still enter agrees.
      const brands = new Set<string>();
      for (const length of lengths) {
        if (length <= digits.length) continue;
        const floor = digits.padEnd(length, "0");
        const ceiling = digits.padEnd(length, "9");
        for (const range of byLength.get(length) as BinRange[]) {
          if (range.low <= ceiling && range.high >= floor) brands.add(range.brand);
        }
      }
      return brands.size === 1 ? ([...brands][0] as string) : "unknown";
    },
  };
}
