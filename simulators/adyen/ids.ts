/** Identifiers and secrets, all drawn from the injected random source so tests can replay them. */

export type RandomSource = (size: number) => Buffer;

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export interface Ids {
  /** Adyen's 16-character, upper-case alphanumeric PSP reference. */
  pspReference(): string;
  digits(length: number): string;
  /** URL-safe opaque token (challenge pages, redirectResult). */
  token(): string;
  /** 32 random bytes in upper-case hex, the form of the keys Adyen's Customer Area shows. */
  hmacKey(): string;
  webhookId(): string;
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
    pspReference: () => pick(ALPHANUMERIC, 16),
    digits: (length) => pick("0123456789", length),
    token: () => random(24).toString("base64url"),
    hmacKey: () => random(32).toString("hex").toUpperCase(),
    webhookId: () => `WBHK${pick(ALPHANUMERIC, 20)}`,
  };
}
