import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { toArrayBuffer } from "./encoding.ts";
import { ApplePayTokenError } from "./errors.ts";

const SIGNED_DATA_OID = "1.2.840.113549.1.7.2";
const SIGNING_TIME_OID = "1.2.840.113549.1.9.5";
const SHA256_OID = "2.16.840.1.101.3.4.2.1";
// Apple documents the token signature as ecdsa-with-SHA256; nothing else is accepted.
const ECDSA_WITH_SHA256_OID = "1.2.840.10045.4.3.2";

export interface VerifiedSignature {
  signer: pkijs.Certificate;
  certificates: pkijs.Certificate[];
  signingTime: Date;
}

export function cryptoEngine(): pkijs.ICryptoEngine {
  return new pkijs.CryptoEngine({ name: "node", crypto: globalThis.crypto });
}

function parseSignedData(signatureDer: Uint8Array): pkijs.SignedData {
  const asn1 = asn1js.fromBER(signatureDer);
  if (asn1.offset === -1) throw new ApplePayTokenError("malformed_token", "signature is not valid BER");
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: asn1.result });
    if (contentInfo.contentType !== SIGNED_DATA_OID) {
      throw new ApplePayTokenError("malformed_token", "signature is not a CMS SignedData");
    }
    return new pkijs.SignedData({ schema: contentInfo.content });
  } catch (error) {
    if (error instanceof ApplePayTokenError) throw error;
    throw new ApplePayTokenError("malformed_token", "signature is not a CMS SignedData");
  }
}

function readSigningTime(signerInfo: pkijs.SignerInfo): Date {
  const attribute = signerInfo.signedAttrs?.attributes.find((a) => a.type === SIGNING_TIME_OID);
  const value = attribute?.values.length === 1 ? attribute.values[0] : undefined;
  if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) return value.toDate();
  throw new ApplePayTokenError("missing_signing_time", "signature has no signingTime attribute");
}

/**
 * Verifies the detached CMS signature over `signedContent`: message digest attribute, then the signer's
 * ECDSA signature over the signed attributes. Certificates are returned unchecked; the chain is checked apart.
 */
export async function verifyDetachedSignature(
  signatureDer: Uint8Array,
  signedContent: Uint8Array,
): Promise<VerifiedSignature> {
  const signedData = parseSignedData(signatureDer);
  if (signedData.encapContentInfo.eContent) {
    throw new ApplePayTokenError("signature_invalid", "signature must be detached but embeds content");
  }
  const [signerInfo, ...others] = signedData.signerInfos;
  if (!signerInfo || others.length > 0) {
    throw new ApplePayTokenError("signature_invalid", "signature must have exactly one signer");
  }
  if (!signerInfo.signedAttrs) {
    throw new ApplePayTokenError("signature_invalid", "signature has no signed attributes");
  }
  if (
    signerInfo.digestAlgorithm.algorithmId !== SHA256_OID ||
    signerInfo.signatureAlgorithm.algorithmId !== ECDSA_WITH_SHA256_OID
  ) {
    throw new ApplePayTokenError("signature_invalid", "signature is not ecdsa-with-SHA256");
  }
  const certificates = (signedData.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  let result: pkijs.SignedDataVerifyResult;
  try {
    result = await signedData.verify(
      { signer: 0, data: toArrayBuffer(signedContent), checkChain: false, extendedMode: true },
      cryptoEngine(),
    );
  } catch (error) {
    const reason = error instanceof pkijs.SignedDataVerifyError ? error.message : "verification error";
    throw new ApplePayTokenError("signature_invalid", `signature does not verify: ${reason}`);
  }
  if (!result.signatureVerified || !result.signerCertificate) {
    throw new ApplePayTokenError("signature_invalid", "signature does not verify over the token content");
  }
  return { signer: result.signerCertificate, certificates, signingTime: readSigningTime(signerInfo) };
}
