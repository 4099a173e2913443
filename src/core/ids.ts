import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export type RandomSource = (size: number) => Buffer;

/**
 * Cryptographic randomness served from a refilled pool: one system call per 4 KiB instead of one per id
 * (ids and keys are made on every request).
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = 0;
export const cryptoRandom: RandomSource = (size) => {
  if (size > POOL_SIZE) return randomBytes(size);
  if (offset + size > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + size));
  pool.fill(0, offset, offset + size);
  offset += size;
  return out;
};

/** Base62 text of `bytes` random bytes; 16 bytes give 128 bits in 22 characters. */
export function randomToken(random: RandomSource, bytes = 16): string {
  let n = BigInt(`0x${random(bytes).toString("hex")}`);
  const length = Math.ceil((bytes * 8) / Math.log2(62));
  let out = "";
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

export type IdPrefix =
  | "acct"
  | "key"
  | "pi"
  | "pa"
  | "re"
  | "cus"
  | "evt"
  | "we"
  | "wd"
  | "wa"
  | "ih"
  | "mca"
  | "la"
  | "req"
  | "txn"
  | "dp"
  | "po"
  | "pb"
  | "fr"
  | "tr"
  | "trr"
  | "fxq"
  | "pm"
  | "aud"
  | "cs"
  | "pkey"
  | "pkch";

export interface IdGenerator {
  next(prefix: IdPrefix): string;
}

/**
 * Ids are prefix + 10 characters of millisecond time + 16 random characters, so they sort roughly by
 * creation time (index locality) and cannot be guessed (about 95 random bits).
 */
export function createIdGenerator(
  random: RandomSource = cryptoRandom,
  now: () => number = Date.now,
): IdGenerator {
  return {
    next(prefix) {
      let t = now();
      let time = "";
      for (let i = 0; i < 8; i++) {
        time = ALPHABET[t % 62] + time;
        t = Math.floor(t / 62);
      }
      return `${prefix}_${time}${randomToken(random, 12).slice(0, 16)}`;
    },
  };
}
