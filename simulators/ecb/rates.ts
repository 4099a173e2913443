/**
 * A realistic euro reference table for the simulator (late-2025 levels, printed with the ECB's own
 * precision: five significant digits, two decimals for the large ones). This is the ECB's list: it
 * publishes no rate for TWD, KWD, VND and most other currencies, and none for BGN since Bulgaria
 * joined the euro on 1 January 2026, so quotes involving those must fail.
 */
export const DEFAULT_RATES: Readonly<Record<string, string>> = {
  USD: "1.1720",
  JPY: "182.45",
  CZK: "24.270",
  DKK: "7.4690",
  GBP: "0.87630",
  HUF: "385.20",
  PLN: "4.2210",
  RON: "5.0910",
  SEK: "10.8950",
  CHF: "0.93150",
  ISK: "148.20",
  NOK: "11.8400",
  TRY: "50.1500",
  AUD: "1.7650",
  BRL: "6.3500",
  CAD: "1.6150",
  CNY: "8.2600",
  HKD: "9.1200",
  IDR: "19520.75",
  ILS: "3.7800",
  INR: "105.30",
  KRW: "1725.40",
  MXN: "21.2800",
  MYR: "4.8100",
  NZD: "2.0250",
  PHP: "68.750",
  SGD: "1.5150",
  THB: "37.250",
  ZAR: "19.8500",
};

/** The newest weekday on or before `now` (UTC), as YYYY-MM-DD: the ECB publishes no rates on weekends. */
export function latestBusinessDay(now: Date = new Date()): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}
