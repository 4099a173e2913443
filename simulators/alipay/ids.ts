/** Alipay-shaped identifiers, all drawn from the injected random source so a run can be replayed. */
import { beijingDate } from "./clock.ts";

export type RandomSource = (size: number) => Buffer;

export interface Ids {
  digits(length: number): string;
  /** 28 digits: the Beijing date, "22001", then 15 digits (e.g. 2019081522001468450512505578). */
  tradeNo(at: Date): string;
  /** 34 digits: the Beijing date, "00222", then 21 digits. */
  notifyId(at: Date): string;
  /** A 16-digit Alipay user id (2088...). */
  userId(): string;
  token(): string;
}

export function createIds(random: RandomSource): Ids {
  function digits(length: number): string {
    let out = "";
    while (out.length < length) {
      for (const byte of random(length * 2)) {
        // 250 is the largest multiple of 10 below 256: rejection keeps the digits uniform.
        if (byte < 250 && out.length < length) out += String(byte % 10);
      }
    }
    return out;
  }
  const compactDate = (at: Date) => beijingDate(at).replaceAll("-", "");
  return {
    digits,
    tradeNo: (at) => `${compactDate(at)}22001${digits(15)}`,
    notifyId: (at) => `${compactDate(at)}00222${digits(21)}`,
    userId: () => `2088${digits(12)}`,
    token: () => random(18).toString("base64url"),
  };
}
