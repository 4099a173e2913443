/** PayPal-shaped identifiers, all drawn from one injectable random source so a seeded run replays exactly. */

export type RandomSource = (size: number) => Buffer;

const UPPER_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** PayPal payer ids use a Base32 variant without 0, 1, I and O (`^[2-9A-HJ-NP-Z]{13}$`). */
const PAYER_ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const HEX = "0123456789abcdef";

export interface Ids {
  /** Orders, captures, authorizations and refunds: 17 upper-case alphanumerics, e.g. 5O190127TN364715T. */
  resource(): string;
  payerId(): string;
  debugId(): string;
  webhookId(): string;
  eventId(): string;
  uuid(): string;
  accessToken(): string;
  appId(): string;
  hex(length: number): string;
}

export function createIds(random: RandomSource): Ids {
  function draw(length: number, alphabet: string): string {
    const bytes = random(length);
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[(bytes[i] ?? 0) % alphabet.length];
    return out;
  }
  const resource = () => draw(17, UPPER_ALNUM);
  return {
    resource,
    payerId: () => draw(13, PAYER_ID_ALPHABET),
    debugId: () => draw(13, HEX),
    webhookId: resource,
    eventId: () => `WH-${resource()}-${resource()}`,
    uuid() {
      const h = draw(32, HEX);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
    accessToken: () => `A21AA${random(60).toString("base64url")}`,
    appId: () => `APP-${resource()}`,
    hex: (length) => draw(length, HEX),
  };
}
