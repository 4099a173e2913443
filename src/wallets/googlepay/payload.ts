import { isObject, parseJsonObject, parseMillis, requireString } from "./encoding.ts";
import { GooglePayTokenError, malformed } from "./errors.ts";
import type {
  GooglePayAuthMethod,
  GooglePayCardDetails,
  NetworkTokenCard,
  UnsealedGooglePayToken,
} from "./types.ts";

const AUTH_METHODS: readonly GooglePayAuthMethod[] = ["PAN_ONLY", "CRYPTOGRAM_3DS"];

function decodeUtf8(plaintext: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(plaintext);
  } catch {
    throw malformed("the decrypted message is not UTF-8");
  }
}

/** Google sends the month and year as JSON numbers; digit strings are accepted as well. */
function integerField(details: Record<string, unknown>, field: string, min: number, max: number): number {
  const raw = details[field];
  const value = typeof raw === "string" && /^\d{1,4}$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw malformed(`paymentMethodDetails.${field} is not valid`);
  }
  return value;
}

function optionalString(object: Record<string, unknown>, field: string, where: string): string | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length === 0) throw malformed(`${where}.${field} is not a string`);
  return value;
}

function parseCardDetails(value: unknown): GooglePayCardDetails {
  if (!isObject(value)) throw malformed("paymentMethodDetails is missing");
  const authMethod = value.authMethod;
  if (!AUTH_METHODS.includes(authMethod as GooglePayAuthMethod)) {
    throw malformed("paymentMethodDetails.authMethod is not PAN_ONLY or CRYPTOGRAM_3DS");
  }
  const pan = value.pan;
  if (typeof pan !== "string" || !/^\d{12,19}$/.test(pan)) {
    throw malformed("paymentMethodDetails.pan is not 12 to 19 digits");
  }
  const details: GooglePayCardDetails = {
    authMethod: authMethod as GooglePayAuthMethod,
    pan,
    expirationMonth: integerField(value, "expirationMonth", 1, 12),
    expirationYear: integerField(value, "expirationYear", 1000, 9999),
  };
  const cryptogram = optionalString(value, "cryptogram", "paymentMethodDetails");
  const eciIndicator = optionalString(value, "eciIndicator", "paymentMethodDetails");
  if (details.authMethod === "CRYPTOGRAM_3DS") {
    if (cryptogram === undefined) throw malformed("a CRYPTOGRAM_3DS card has no cryptogram");
    details.cryptogram = cryptogram;
    if (eciIndicator !== undefined) details.eciIndicator = eciIndicator;
  } else if (cryptogram !== undefined) {
    throw malformed("a PAN_ONLY card carries a cryptogram");
  }
  return details;
}

/** The decrypted ECv2 message, checked field by field. Expiry is checked by the caller. */
export function parseDecryptedMessage(plaintext: Buffer): UnsealedGooglePayToken {
  const message = parseJsonObject(decodeUtf8(plaintext), "the decrypted message");
  const messageExpiration = new Date(
    parseMillis(requireString(message, "messageExpiration", "message"), "messageExpiration"),
  );
  const messageId = requireString(message, "messageId", "message");
  const paymentMethod = requireString(message, "paymentMethod", "message");
  if (paymentMethod !== "CARD") {
    throw new GooglePayTokenError(
      "unsupported_payment_method",
      "the token's paymentMethod is not supported (only CARD is)",
    );
  }
  const result: UnsealedGooglePayToken = {
    messageId,
    messageExpiration,
    paymentMethod,
    paymentMethodDetails: parseCardDetails(message.paymentMethodDetails),
  };
  const gatewayMerchantId = optionalString(message, "gatewayMerchantId", "message");
  if (gatewayMerchantId !== undefined) result.gatewayMerchantId = gatewayMerchantId;
  return result;
}

/**
 * The unsealed card in the shape a card connector takes.
 *
 * CRYPTOGRAM_3DS: `number` is a network (device) token and `cryptogram`/`eci` go with it into the
 * authorization; no 3-D Secure is needed, the cryptogram is the authentication.
 *
 * PAN_ONLY: `number` is the card's real PAN saved in the Google account and there is NO cryptogram,
 * so the payment is unauthenticated: the caller must run 3-D Secure (required for SCA in the EEA and
 * wherever liability shift is wanted) before authorizing, exactly as for a card typed by hand.
 */
export function toNetworkTokenCard(result: UnsealedGooglePayToken): NetworkTokenCard {
  const details = result.paymentMethodDetails;
  const card: NetworkTokenCard = {
    number: details.pan,
    exp_month: details.expirationMonth,
    exp_year: details.expirationYear,
  };
  if (details.cryptogram !== undefined) card.cryptogram = details.cryptogram;
  if (details.eciIndicator !== undefined) card.eci = details.eciIndicator;
  return card;
}
