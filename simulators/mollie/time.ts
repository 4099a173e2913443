/** Mollie's timestamp format and the Europe/Amsterdam calendar that settlements and reports use. */

export function isoTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

const AMSTERDAM = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Amsterdam",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function wallClock(date: Date): WallClock {
  const parts: Record<string, string> = {};
  for (const part of AMSTERDAM.formatToParts(date)) parts[part.type] = part.value;
  return {
    year: parts.year ?? "",
    month: parts.month ?? "",
    day: parts.day ?? "",
    hour: parts.hour ?? "",
    minute: parts.minute ?? "",
    second: parts.second ?? "",
  };
}

/** "YYYY-MM-DD" in Amsterdam. */
export function amsterdamDay(date: Date): string {
  const w = wallClock(date);
  return `${w.year}-${w.month}-${w.day}`;
}

/** "YYYY-MM-DD HH:MM:SS" in Amsterdam, as the dashboard exports show it. */
export function amsterdamDateTime(date: Date): string {
  const w = wallClock(date);
  return `${w.year}-${w.month}-${w.day} ${w.hour}:${w.minute}:${w.second}`;
}

function offsetMs(instant: number): number {
  const w = wallClock(new Date(instant));
  const wallAsUtc = Date.UTC(+w.year, +w.month - 1, +w.day, +w.hour, +w.minute, +w.second);
  return wallAsUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant a "YYYY-MM-DD" day starts in Amsterdam. */
export function startOfAmsterdamDay(day: string): Date {
  const [year, month, date] = day.split("-").map(Number);
  const midnightUtc = Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1);
  let instant = midnightUtc - offsetMs(midnightUtc);
  // Once more in case the first guess fell on the other side of a DST change.
  instant = midnightUtc - offsetMs(instant);
  return new Date(instant);
}

export function nextDay(day: string): string {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (date ?? 1) + 1)).toISOString().slice(0, 10);
}

export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
