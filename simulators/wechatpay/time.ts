/** WeChat Pay speaks Beijing time (UTC+8) everywhere: RFC 3339 in JSON, "yyyy-MM-dd HH:mm:ss" in bills. */
const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

function beijingParts(at: Date): string[] {
  const shifted = new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString();
  // "2021-01-28T09:07:11.000Z" shifted to Beijing wall time
  return [shifted.slice(0, 10), shifted.slice(11, 19)];
}

/** 2021-01-28T17:07:11+08:00 */
export function rfc3339(at: Date): string {
  const [day, time] = beijingParts(at);
  return `${day}T${time}+08:00`;
}

/** 2021-01-28 17:07:11 */
export function billTime(at: Date): string {
  const [day, time] = beijingParts(at);
  return `${day} ${time}`;
}

/** The Beijing calendar day, yyyy-MM-dd. */
export function beijingDay(at: Date): string {
  return beijingParts(at)[0] ?? "";
}

/** yyyyMMddHHmmss */
export function beijingDigits(at: Date): string {
  const [day, time] = beijingParts(at);
  return `${day}${time}`.replace(/[-:]/g, "");
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Null unless the text is a full RFC 3339 date-time with an explicit offset. */
export function parseRfc3339(text: string): Date | null {
  const match = RFC3339.exec(text);
  if (!match) return null;
  const [, , mo, d, h, mi, s] = match.map(Number) as number[];
  if ((mo ?? 0) < 1 || (mo ?? 0) > 12 || (d ?? 0) < 1 || (d ?? 0) > 31 || (h ?? 0) > 23 || (mi ?? 0) > 59) {
    return null;
  }
  if ((s ?? 0) > 60) return null;
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** The UTC instants bounding a Beijing calendar day given as yyyy-MM-dd. */
export function beijingDayBounds(day: string): { start: Date; end: Date } | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const midnightUtc = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(midnightUtc.getTime()) || midnightUtc.toISOString().slice(0, 10) !== day) return null;
  const start = new Date(midnightUtc.getTime() - BEIJING_OFFSET_MS);
  return { start, end: new Date(start.getTime() + 24 * 3600 * 1000) };
}
