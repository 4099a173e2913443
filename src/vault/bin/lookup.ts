import { readFileSync } from "node:fs";
import { type BinInfo, type BinTable, createBinTable, parseBinRanges } from "./table.ts";

const RANGES_FILE = new URL("./ranges.csv", import.meta.url);

let shipped: BinTable | undefined;

/** The table shipped in `ranges.csv`, read and indexed on first use. */
export function shippedBinTable(): BinTable {
  shipped ??= createBinTable(parseBinRanges(readFileSync(RANGES_FILE, "utf8"), "ranges.csv"));
  return shipped;
}

/** Brand, funding and issuing country of a card number (digits only) from the shipped table. */
export function lookupBin(pan: string): BinInfo {
  return shippedBinTable().lookup(pan);
}

/** As-you-type brand detection for the checkout: "unknown" until the digits decide it. */
export function brandFromPrefix(partialNumber: string): string {
  return shippedBinTable().brandFromPrefix(partialNumber);
}
