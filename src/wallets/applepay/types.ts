/** The `paymentData` object of an Apple Pay payment token, as the device hands it over. */
export interface ApplePayPaymentData {
  version: "EC_v1" | "RSA_v1";
  /** Base64 ciphertext; its last 16 bytes are the AES-GCM tag. */
  data: string;
  /** Base64 DER of a detached CMS SignedData. */
  signature: string;
  header: ApplePayTokenHeader;
}

export interface ApplePayTokenHeader {
  /** EC_v1: base64 DER SubjectPublicKeyInfo of the ephemeral P-256 key. */
  ephemeralPublicKey?: string;
  /** RSA_v1: base64 of the RSA-OAEP wrapped symmetric key. */
  wrappedKey?: string;
  /** Base64 SHA-256 of the merchant public key (SubjectPublicKeyInfo DER). */
  publicKeyHash: string;
  /** Hex. */
  transactionId: string;
  /** Hex SHA-256 of the applicationData the merchant passed to the payment request, when it did. */
  applicationData?: string;
}

export interface DecryptApplePayTokenOptions {
  /** Merchant (payment processing) private key: EC P-256 for EC_v1, RSA for RSA_v1. */
  privateKeyPem: string;
  /** The root the signing chain must end in: Apple Root CA - G3 in production, read from configuration. */
  trustedRootPem: string;
  /** The moment the token is checked against (signing time window). */
  now: Date;
  /** Hex of the 32-byte merchant id; when absent it is read from the certificate below. */
  merchantId?: string;
  /** Certificate carrying the merchant id extension (1.2.840.113635.100.6.32). */
  merchantIdentityOrProcessingCertificatePem?: string;
  /** Largest allowed distance between the CMS signing time and `now`. Default 5 minutes. */
  signingTimeToleranceMs?: number;
}

export interface DecryptedCommon {
  applicationPrimaryAccountNumber: string;
  /** YYMMDD. */
  applicationExpirationDate: string;
  /** ISO 4217 numeric, e.g. "840". */
  currencyCode: string;
  /** Minor units. */
  transactionAmount: bigint;
  deviceManufacturerIdentifier: string;
  cardholderName?: string;
  merchantTokenIdentifier?: string;
}

export interface ThreeDSecurePaymentData {
  onlinePaymentCryptogram: string;
  eciIndicator?: string;
}

export interface EmvPaymentData {
  emvData: string;
  encryptedPINData?: string;
}

export type ApplePayPaymentDataPart =
  | { paymentDataType: "3DSecure"; paymentData: ThreeDSecurePaymentData }
  | { paymentDataType: "EMV"; paymentData: EmvPaymentData };

export type DecryptedApplePayToken = DecryptedCommon & ApplePayPaymentDataPart;

/** What a card processor needs to authorize a network token (DPAN) payment. */
export interface NetworkTokenCard {
  number: string;
  exp_month: number;
  exp_year: number;
  cryptogram: string;
  eci?: string;
}
