/** Identifiers and secrets drawn from an injectable random source, so tests can replay exactly. */
import { randomBytes } from "node:crypto";

export type RandomSource = (size: number) => Uint8Array;

export const cryptoRandom: RandomSource = (size) => randomBytes(size);

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export interface Ids {
  /** `<prefix>_<24 base62 characters>`, the shape of Stripe object ids. */
  id(prefix: string): string;
  base62(length: number): string;
  digits(length: number): string;
  /** A version-4 UUID, the shape of 3-D Secure transaction ids. */
  uuid(): string;
}

function draw(random: RandomSource, length: number, alphabet: string): string {
  // Bytes at or above the largest multiple of the alphabet size are rejected, so every symbol is equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

export function createIds(random: RandomSource): Ids {
  return {
    id: (prefix) => `${prefix}_${draw(random, 24, BASE62)}`,
    base62: (length) => draw(random, length, BASE62),
    digits: (length) => draw(random, length, "0123456789"),
    uuid() {
      const hex = draw(random, 32, "0123456789abcdef");
      const variant = "89ab"[Number.parseInt(hex[16] ?? "0", 16) % 4];
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
    },
  };
}
