/**
 * Just enough X.509 to stand in for Apple's PKI: P-256 keys (WebCrypto) and certificates built and signed
 * with pkijs.
 */
import { createHash, randomBytes } from "node:crypto";
import { isIPv4 } from "node:net";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

export const cryptoEngine = () =>
  new pkijs.CryptoEngine({ name: "applepay-simulator", crypto: globalThis.crypto });

export interface IssuedCertificate {
  certificate: pkijs.Certificate;
  certificatePem: string;
  privateKey: CryptoKey;
  privateKeyPem: string;
}

export type NameAttributes = Array<[oid: string, value: string]>;

export const OID = {
  commonName: "2.5.4.3",
  country: "2.5.4.6",
  organization: "2.5.4.10",
  organizationalUnit: "2.5.4.11",
  userId: "0.9.2342.19200300.100.1.1",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;

export interface CertificateSpec {
  subject: NameAttributes;
  /** Absent: self-signed. */
  issuer?: IssuedCertificate;
  notBefore: Date;
  notAfter: Date;
  /** ca: keyCertSign + cRLSign and basicConstraints cA; signing: digitalSignature; tls: + keyAgreement. */
  role: "ca" | "signing" | "tls";
  extendedKeyUsage?: string[];
  subjectAltNames?: string[];
  extensions?: pkijs.Extension[];
}

export function toPem(label: string, der: ArrayBuffer | Uint8Array): string {
  const base64 = Buffer.from(der instanceof ArrayBuffer ? new Uint8Array(der) : der).toString("base64");
  return `-----BEGIN ${label}-----\n${base64.replace(/.{64}/g, "$&\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;
}

function name(attributes: NameAttributes): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: attributes.map(
      ([type, value]) =>
        new pkijs.AttributeTypeAndValue({
          type,
          value:
            type === OID.country ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
        }),
    ),
  });
}

export function extension(extnID: string, value: asn1js.BaseBlock | pkijs.PkiObject, critical = false) {
  const schema = value instanceof pkijs.PkiObject ? value.toSchema() : value;
  return new pkijs.Extension({ extnID, critical, extnValue: schema.toBER(false) });
}

function keyUsage(role: CertificateSpec["role"]): asn1js.BitString {
  // Bit 0 is the most significant: digitalSignature 0x80, keyAgreement 0x08, keyCertSign 0x04, cRLSign 0x02.
  const [bits, unused] = role === "ca" ? [0x06, 1] : role === "tls" ? [0x88, 3] : [0x80, 7];
  return new asn1js.BitString({ valueHex: new Uint8Array([bits]).buffer, unusedBits: unused });
}

function altName(entry: string): pkijs.GeneralName {
  if (isIPv4(entry)) {
    const bytes = new Uint8Array(entry.split(".").map(Number));
    return new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: bytes.buffer }) });
  }
  return new pkijs.GeneralName({ type: 2, value: entry });
}

function serialNumber(): asn1js.Integer {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01; // positive, no leading zero byte
  return new asn1js.Integer({ valueHex: new Uint8Array(bytes).buffer });
}

const keyId = (certificate: pkijs.Certificate) =>
  createHash("sha1")
    .update(certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
    .digest();

async function generateSigningKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
}

async function buildCertificate(
  spec: CertificateSpec,
  publicKeyInfo: pkijs.PublicKeyInfo,
  signingKey: CryptoKey,
): Promise<pkijs.Certificate> {
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  certificate.serialNumber = serialNumber();
  certificate.subject = name(spec.subject);
  certificate.issuer = spec.issuer ? spec.issuer.certificate.subject : certificate.subject;
  certificate.notBefore.value = spec.notBefore;
  certificate.notAfter.value = spec.notAfter;
  certificate.subjectPublicKeyInfo = publicKeyInfo;

  const issuerKeyId = keyId(spec.issuer ? spec.issuer.certificate : certificate);
  const extensions = [
    extension("2.5.29.19", new pkijs.BasicConstraints({ cA: spec.role === "ca" }), true),
    extension("2.5.29.15", keyUsage(spec.role), true),
    extension("2.5.29.14", new asn1js.OctetString({ valueHex: new Uint8Array(keyId(certificate)).buffer })),
    extension(
      "2.5.29.35",
      new pkijs.AuthorityKeyIdentifier({
        keyIdentifier: new asn1js.OctetString({ valueHex: new Uint8Array(issuerKeyId).buffer }),
      }),
    ),
  ];
  if (spec.extendedKeyUsage) {
    extensions.push(extension("2.5.29.37", new pkijs.ExtKeyUsage({ keyPurposes: spec.extendedKeyUsage })));
  }
  if (spec.subjectAltNames) {
    extensions.push(
      extension("2.5.29.17", new pkijs.AltName({ altNames: spec.subjectAltNames.map(altName) })),
    );
  }
  certificate.extensions = [...extensions, ...(spec.extensions ?? [])];
  await certificate.sign(spec.issuer ? spec.issuer.privateKey : signingKey, "SHA-256", cryptoEngine());
  return certificate;
}

const certificatePem = (certificate: pkijs.Certificate) =>
  toPem("CERTIFICATE", certificate.toSchema().toBER(false));

/** A new P-256 key and its certificate (self-signed when the spec names no issuer). */
export async function issueCertificate(spec: CertificateSpec): Promise<IssuedCertificate> {
  const keyPair = await generateSigningKeys();
  const publicKeyInfo = new pkijs.PublicKeyInfo();
  await publicKeyInfo.importKey(keyPair.publicKey, cryptoEngine());
  const certificate = await buildCertificate(spec, publicKeyInfo, keyPair.privateKey);
  return {
    certificate,
    certificatePem: certificatePem(certificate),
    privateKey: keyPair.privateKey,
    privateKeyPem: toPem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", keyPair.privateKey)),
  };
}

/** A certificate for a public key held elsewhere (any algorithm), e.g. a merchant's processing key. */
export async function certifyPublicKey(
  spec: CertificateSpec & { issuer: IssuedCertificate },
  spkiDer: Uint8Array,
): Promise<{ certificate: pkijs.Certificate; certificatePem: string }> {
  const certificate = await buildCertificate(
    spec,
    pkijs.PublicKeyInfo.fromBER(new Uint8Array(spkiDer)),
    spec.issuer.privateKey,
  );
  return { certificate, certificatePem: certificatePem(certificate) };
}
