/** Identifiers shaped like WeChat Pay's own, drawn from the injected random source. */
import { randomBytes } from "node:crypto";
import { beijingDigits } from "./time.ts";

export type RandomSource = (size: number) => Buffer;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const URL_SAFE = `${BASE62}-_`;

export interface Ids {
  digits(count: number): string;
  /** 28 digits: 4200000 + 3 + yyyyMMdd + 10. */
  transactionId(at: Date): string;
  /** 29 digits: 50 + 10 + yyyyMMdd + 9. */
  refundId(at: Date): string;
  /** wx + yyyyMMddHHmmss + 20 lowercase hex-ish characters. */
  prepayId(at: Date): string;
  token(length: number): string;
  openid(): string;
  nonce(): string;
  notificationId(at: Date): string;
}

export function createIds(random: RandomSource = randomBytes): Ids {
  function pick(alphabet: string, count: number): string {
    const bytes = random(count);
    let out = "";
    for (let i = 0; i < count; i++) out += alphabet[(bytes[i] ?? 0) % alphabet.length];
    return out;
  }
  const digits = (count: number) => pick("0123456789", count);
  return {
    digits,
    transactionId: (at) => `4200000${digits(3)}${beijingDigits(at).slice(0, 8)}${digits(10)}`,
    refundId: (at) => `50${digits(10)}${beijingDigits(at).slice(0, 8)}${digits(9)}`,
    prepayId: (at) => `wx${beijingDigits(at)}${pick("0123456789abcdef", 20)}`,
    token: (length) => pick(BASE62, length),
    openid: () => `o${pick(URL_SAFE, 27)}`,
    nonce: () => pick(BASE62.slice(0, 36), 32),
    notificationId: (at) => `EV-${beijingDigits(at)}${digits(6)}`,
  };
}
