/** Alipay amounts are yuan with at most two decimals on the wire ("88.88"); here they are bigint fen. */

const YUAN = /^(0|[1-9]\d{0,8})(?:\.(\d{1,2}))?$/;

/** A JSON number (the SDK may send 88.88) or string; null when it is not a valid Price. */
export function parseYuan(value: unknown): bigint | null {
  const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== "string") return null;
  const match = YUAN.exec(text.trim());
  if (!match) return null;
  return BigInt(match[1]!) * 100n + BigInt((match[2] ?? "0").padEnd(2, "0"));
}

export function formatYuan(fen: bigint): string {
  const sign = fen < 0n ? "-" : "";
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

export const MIN_AMOUNT_FEN = 1n;
export const MAX_AMOUNT_FEN = 100_000_000_00n;
