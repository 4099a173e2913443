/** WeChat Pay speaks Beijing time (UTC+8): RFC 3339 with +08:00 in JSON, yyyy-MM-dd for bill dates. */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** 2024-06-01T18:00:00+08:00; milliseconds are dropped, so the order never outlives the instant asked. */
export function beijingRfc3339(at: Date): string {
  const wall = new Date(Math.floor(at.getTime() / 1000) * 1000 + BEIJING_OFFSET_MS).toISOString();
  return `${wall.slice(0, 19)}+08:00`;
}

/** The Beijing calendar day of an instant, yyyy-MM-dd: the day a trade bill is named after. */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

export function isBillDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}
