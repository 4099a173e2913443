import { ApplePayTokenError } from "./errors.ts";
import type {
  ApplePayPaymentDataPart,
  DecryptedApplePayToken,
  DecryptedCommon,
  NetworkTokenCard,
} from "./types.ts";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const malformed = (field: string) =>
  new ApplePayTokenError("malformed_payload", `decrypted payload has an invalid ${field}`);

function text(object: Json, field: string, pattern?: RegExp, prefix = ""): string {
  const value = object[field];
  if (typeof value !== "string" || value.length === 0 || (pattern && !pattern.test(value))) {
    throw malformed(prefix + field);
  }
  return value;
}

function optionalText(object: Json, field: string, prefix = ""): string | undefined {
  return object[field] === undefined ? undefined : text(object, field, undefined, prefix);
}

// YYMMDD with a real month and day-of-month range.
const EXPIRY = /^\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;

function parsePaymentData(type: string, paymentData: unknown): ApplePayPaymentDataPart {
  if (!isObject(paymentData)) throw malformed("paymentData");
  const prefix = "paymentData.";
  if (type === "3DSecure") {
    const eciIndicator = optionalText(paymentData, "eciIndicator", prefix);
    return {
      paymentDataType: "3DSecure",
      paymentData: {
        onlinePaymentCryptogram: text(paymentData, "onlinePaymentCryptogram", undefined, prefix),
        ...(eciIndicator === undefined ? {} : { eciIndicator }),
      },
    };
  }
  if (type === "EMV") {
    const encryptedPINData = optionalText(paymentData, "encryptedPINData", prefix);
    return {
      paymentDataType: "EMV",
      paymentData: {
        emvData: text(paymentData, "emvData", undefined, prefix),
        ...(encryptedPINData === undefined ? {} : { encryptedPINData }),
      },
    };
  }
  throw malformed("paymentDataType");
}

/** Parses the decrypted JSON. Errors name the field only: the plaintext holds the card number. */
export function parseDecryptedPayload(plaintext: Buffer): DecryptedApplePayToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(plaintext.toString("utf8"));
  } catch {
    // The JSON.parse message quotes the input, so it is not passed on.
    throw new ApplePayTokenError("malformed_payload", "decrypted payload is not JSON");
  }
  if (!isObject(parsed))
    throw new ApplePayTokenError("malformed_payload", "decrypted payload is not an object");
  const amount = parsed.transactionAmount;
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount < 0) {
    throw malformed("transactionAmount");
  }
  const cardholderName = optionalText(parsed, "cardholderName");
  const merchantTokenIdentifier = optionalText(parsed, "merchantTokenIdentifier");
  const common: DecryptedCommon = {
    applicationPrimaryAccountNumber: text(parsed, "applicationPrimaryAccountNumber", /^\d{12,19}$/),
    applicationExpirationDate: text(parsed, "applicationExpirationDate", EXPIRY),
    currencyCode: text(parsed, "currencyCode", /^\d{3}$/),
    transactionAmount: BigInt(amount),
    deviceManufacturerIdentifier: text(parsed, "deviceManufacturerIdentifier"),
    ...(cardholderName === undefined ? {} : { cardholderName }),
    ...(merchantTokenIdentifier === undefined ? {} : { merchantTokenIdentifier }),
  };
  const payment = parsePaymentData(text(parsed, "paymentDataType"), parsed.paymentData);
  return payment.paymentDataType === "3DSecure" ? { ...common, ...payment } : { ...common, ...payment };
}

/** The network token (device PAN) with its cryptogram, as a card processor takes it. 3DSecure tokens only. */
export function toNetworkTokenCard(decrypted: DecryptedApplePayToken): NetworkTokenCard {
  if (decrypted.paymentDataType !== "3DSecure") {
    throw new ApplePayTokenError(
      "unsupported_payment_data_type",
      `${decrypted.paymentDataType} tokens carry EMV data, not a network token cryptogram`,
    );
  }
  const expiry = decrypted.applicationExpirationDate;
  const card: NetworkTokenCard = {
    number: decrypted.applicationPrimaryAccountNumber,
    exp_month: Number(expiry.slice(2, 4)),
    exp_year: 2000 + Number(expiry.slice(0, 2)),
    cryptogram: decrypted.paymentData.onlinePaymentCryptogram,
  };
  if (decrypted.paymentData.eciIndicator !== undefined) card.eci = decrypted.paymentData.eciIndicator;
  return card;
}
