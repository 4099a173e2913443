import { X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { ApplePayTokenError } from "./errors.ts";

export const MERCHANT_ID_OID = "1.2.840.113635.100.6.32";
const MERCHANT_ID_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * The merchant id (hex of 32 bytes, as Apple writes it: the SHA-256 of the merchant identifier) from a merchant
 * identity or payment processing certificate.
 */
export function extractMerchantId(certPem: string): string {
  let certificate: pkijs.Certificate;
  try {
    certificate = pkijs.Certificate.fromBER(new X509Certificate(certPem).raw);
  } catch {
    throw new ApplePayTokenError(
      "merchant_id_unavailable",
      "merchant certificate is not a valid certificate",
    );
  }
  const extension = certificate.extensions?.find((e) => e.extnID === MERCHANT_ID_OID);
  if (!extension) {
    throw new ApplePayTokenError(
      "merchant_id_unavailable",
      `merchant certificate has no merchant id extension (${MERCHANT_ID_OID})`,
    );
  }
  const inner = asn1js.fromBER(extension.extnValue.valueBlock.valueHexView);
  const value =
    inner.offset !== -1 &&
    (inner.result instanceof asn1js.Utf8String ||
      inner.result instanceof asn1js.IA5String ||
      inner.result instanceof asn1js.PrintableString)
      ? inner.result.valueBlock.value
      : "";
  if (!MERCHANT_ID_HEX.test(value)) {
    throw new ApplePayTokenError("merchant_id_unavailable", "merchant id extension is not 64 hex characters");
  }
  return value;
}

export function merchantIdBytes(merchantIdHex: string): Buffer {
  if (!MERCHANT_ID_HEX.test(merchantIdHex)) {
    throw new ApplePayTokenError(
      "merchant_id_unavailable",
      "merchantId must be 64 hex characters (32 bytes)",
    );
  }
  return Buffer.from(merchantIdHex, "hex");
}
