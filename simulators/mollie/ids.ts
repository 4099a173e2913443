/** Identifiers, all drawn from the injected random source so a seeded run replays exactly. */

export type RandomSource = (size: number) => Buffer;

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

export interface Ids {
  payment(): string;
  refund(): string;
  settlement(): string;
  profile(): string;
  balance(): string;
  /** Opaque token in the checkout URL, so a payment id alone does not open its checkout. */
  checkoutToken(): string;
  digits(length: number): string;
}

export function createIds(random: RandomSource): Ids {
  function pick(alphabet: string, length: number): string {
    // Rejection sampling keeps every symbol equally likely.
    const limit = 256 - (256 % alphabet.length);
    let out = "";
    while (out.length < length) {
      for (const byte of random(length * 2)) {
        if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
      }
    }
    return out;
  }
  return {
    payment: () => `tr_${pick(ALPHANUMERIC, 10)}`,
    refund: () => `re_${pick(ALPHANUMERIC, 10)}`,
    settlement: () => `stl_${pick(ALPHANUMERIC, 10)}`,
    profile: () => `pfl_${pick(ALPHANUMERIC, 10)}`,
    balance: () => `bal_${pick(ALPHANUMERIC, 10)}`,
    checkoutToken: () => pick(ALPHANUMERIC, 24),
    digits: (length) => pick("0123456789", length),
  };
}
