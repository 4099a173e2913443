/** Alipay's wall clock: Beijing time (UTC+8, no daylight saving), "yyyy-MM-dd HH:mm:ss". */

const OFFSET_MS = 8 * 3_600_000;

function parts(date: Date) {
  const shifted = new Date(date.getTime() + OFFSET_MS);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return {
    date: `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`,
    time: `${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}`,
    millis: pad(shifted.getUTCMilliseconds(), 3),
  };
}

export function beijingDateTime(date: Date): string {
  const p = parts(date);
  return `${p.date} ${p.time}`;
}

/** The millisecond form Alipay uses for `gmt_refund` in notifications. */
export function beijingDateTimeMillis(date: Date): string {
  const p = parts(date);
  return `${p.date} ${p.time}.${p.millis}`;
}

export function beijingDate(date: Date): string {
  return parts(date).date;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export function parseBeijingDateTime(text: string): Date | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) - OFFSET_MS;
  const date = new Date(utc);
  return beijingDateTime(date) === text ? date : null;
}

/** Midnight (Beijing) that starts the given "yyyy-MM-dd" day, or null when it is not a real date. */
export function beijingDayStart(day: string): Date | null {
  return parseBeijingDateTime(`${day} 00:00:00`);
}

export function nextBeijingMidnight(date: Date): Date {
  const start = beijingDayStart(beijingDate(date))!;
  return new Date(start.getTime() + 86_400_000);
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * `timeout_express`: 1m to 15d in m(inutes), h(ours), d(ays); "1c" closes at the coming midnight.
 * Returns the moment the unpaid trade closes, or null when the value is not valid.
 */
export function expiryFromTimeoutExpress(value: string, from: Date): Date | null {
  if (value === "1c") return nextBeijingMidnight(from);
  const m = /^([1-9]\d*)([mhd])$/.exec(value);
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  if (ms < UNIT_MS.m || ms > 15 * UNIT_MS.d) return null;
  return new Date(from.getTime() + ms);
}
