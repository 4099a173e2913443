import * as pkijs from "pkijs";
import { ApplePayTokenError } from "./errors.ts";
import { cryptoEngine } from "./signature.ts";

export const LEAF_OID = "1.2.840.113635.100.6.29";
export const INTERMEDIATE_OID = "1.2.840.113635.100.6.2.14";
const BASIC_CONSTRAINTS_OID = "2.5.29.19";

const hasExtension = (certificate: pkijs.Certificate, oid: string) =>
  certificate.extensions?.some((e) => e.extnID === oid) ?? false;

function isCertificateAuthority(certificate: pkijs.Certificate): boolean {
  const extension = certificate.extensions?.find((e) => e.extnID === BASIC_CONSTRAINTS_OID);
  return extension?.parsedValue instanceof pkijs.BasicConstraints && extension.parsedValue.cA === true;
}

function validAt(certificate: pkijs.Certificate, at: Date): boolean {
  const time = at.getTime();
  return certificate.notBefore.value.getTime() <= time && time <= certificate.notAfter.value.getTime();
}

async function signedBy(subject: pkijs.Certificate, issuer: pkijs.Certificate): Promise<boolean> {
  if (!subject.issuer.isEqual(issuer.subject)) return false;
  try {
    return await subject.verify(issuer, cryptoEngine());
  } catch {
    return false;
  }
}

const chainError = (message: string) => new ApplePayTokenError("certificate_chain_invalid", message);

/**
 * Apple's chain: the signer (leaf, OID 1.2.840.113635.100.6.29) issued by an intermediate (OID
 * 1.2.840.113635.100.6.2.14) from the token's certificates, issued by the trusted root; all valid at `at`.
 */
export async function verifyAppleChain(
  signer: pkijs.Certificate,
  certificates: pkijs.Certificate[],
  trustedRoot: pkijs.Certificate,
  at: Date,
): Promise<void> {
  if (!hasExtension(signer, LEAF_OID)) {
    throw new ApplePayTokenError("missing_apple_oid", `signing certificate lacks OID ${LEAF_OID}`);
  }
  const issuers = certificates.filter((c) => c !== signer && signer.issuer.isEqual(c.subject));
  if (issuers.length === 0) throw chainError("signature carries no issuer of the signing certificate");
  const intermediate = issuers.find((c) => hasExtension(c, INTERMEDIATE_OID));
  if (!intermediate) {
    throw new ApplePayTokenError(
      "missing_apple_oid",
      `intermediate certificate lacks OID ${INTERMEDIATE_OID}`,
    );
  }
  if (!isCertificateAuthority(intermediate)) throw chainError("intermediate certificate is not a CA");
  if (!(await signedBy(signer, intermediate))) {
    throw chainError("signing certificate is not signed by the intermediate");
  }
  if (!(await signedBy(intermediate, trustedRoot))) {
    throw chainError("intermediate certificate is not signed by the trusted root");
  }
  for (const [name, certificate] of [
    ["signing", signer],
    ["intermediate", intermediate],
    ["root", trustedRoot],
  ] as const) {
    if (!validAt(certificate, at)) throw chainError(`${name} certificate is not valid at the signing time`);
  }
}
