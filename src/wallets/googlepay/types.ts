export type GooglePayProtocolVersion = "ECv1" | "ECv2" | "ECv2SigningOnly";

/** How Google names the party a token is for: the merchant id, or the gateway id for gateway tokens. */
export type GooglePayRecipientId = `merchant:${string}` | `gateway:${string}`;

/** One entry of Google's root signing keys JSON (`{ "keys": [...] }`). */
export interface GoogleRootSigningKey {
  /** Base64 of the DER SubjectPublicKeyInfo of a P-256 key. */
  keyValue: string;
  protocolVersion: string;
  /** Milliseconds since the epoch, as a decimal string. Absent means no expiry (ECv1 keys). */
  keyExpiration?: string;
}

export interface UnsealGooglePayTokenOptions {
  recipientId: GooglePayRecipientId;
  /** Every private key whose public key may have been given to Google (several during a rotation). */
  merchantPrivateKeysPkcs8Base64: readonly string[];
  /** The trust anchor, e.g. from Google's keys URL; fetching and caching it is the caller's job. */
  googleRootSigningKeys: readonly GoogleRootSigningKey[];
  now: Date;
}

export type GooglePayAuthMethod = "PAN_ONLY" | "CRYPTOGRAM_3DS";

export interface GooglePayCardDetails {
  authMethod: GooglePayAuthMethod;
  /** The card number (PAN_ONLY) or the device/network token number (CRYPTOGRAM_3DS). */
  pan: string;
  expirationMonth: number;
  expirationYear: number;
  /** Only with CRYPTOGRAM_3DS. */
  cryptogram?: string;
  /** Only with CRYPTOGRAM_3DS, and not for every network (often absent for Mastercard). */
  eciIndicator?: string;
}

export interface UnsealedGooglePayToken {
  messageId: string;
  messageExpiration: Date;
  paymentMethod: "CARD";
  paymentMethodDetails: GooglePayCardDetails;
  /** Present on gateway tokens: the merchant id the gateway gave in the tokenization specification. */
  gatewayMerchantId?: string;
}

/** The card fields a card connector needs, in Payrail's (Stripe-shaped) names. */
export interface NetworkTokenCard {
  number: string;
  exp_month: number;
  exp_year: number;
  cryptogram?: string;
  eci?: string;
}
