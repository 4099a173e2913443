/** BTCPay-shaped identifiers (base58 of random bytes) drawn from an injectable random source. */
import { randomBytes } from "node:crypto";

export type RandomSource = (size: number) => Uint8Array;

export const cryptoRandom: RandomSource = (size) => randomBytes(size);

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export function base58(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = "";
  while (value > 0n) {
    out = BASE58[Number(value % 58n)] + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

export interface Ids {
  /** Invoice, webhook, delivery and pull payment ids: base58 of 16 random bytes (about 22 characters). */
  id(): string;
  /** Store ids: base58 of 32 random bytes (about 44 characters). */
  storeId(): string;
  /** Webhook secrets generated when the merchant gives none. */
  secret(): string;
  hex(bytes: number): string;
}

export function createIds(random: RandomSource): Ids {
  return {
    id: () => base58(random(16)),
    storeId: () => base58(random(32)),
    secret: () => base58(random(16)),
    hex: (bytes) => Buffer.from(random(bytes)).toString("hex"),
  };
}
