/** Detached CMS SignedData as Apple signs payment tokens: ecdsa-with-SHA256 over signed attributes. */
import { createHash } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { cryptoEngine, type IssuedCertificate } from "./pki.ts";

const DATA = "1.2.840.113549.1.7.1";
const SIGNED_DATA = "1.2.840.113549.1.7.2";
const CONTENT_TYPE_ATTRIBUTE = "1.2.840.113549.1.9.3";
const MESSAGE_DIGEST_ATTRIBUTE = "1.2.840.113549.1.9.4";
const SIGNING_TIME_ATTRIBUTE = "1.2.840.113549.1.9.5";

export interface DetachedSignatureOptions {
  signer: IssuedCertificate;
  /** Certificates to embed, signer first (Apple embeds leaf and intermediate). */
  certificates: pkijs.Certificate[];
  /** Omitted: no signingTime attribute (a fault Apple never produces). */
  signingTime?: Date;
}

function attribute(type: string, value: asn1js.BaseBlock): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

export async function signDetached(content: Uint8Array, options: DetachedSignatureOptions): Promise<Buffer> {
  const digest = createHash("sha256").update(content).digest();
  const attributes = [
    attribute(CONTENT_TYPE_ATTRIBUTE, new asn1js.ObjectIdentifier({ value: DATA })),
    ...(options.signingTime
      ? [attribute(SIGNING_TIME_ATTRIBUTE, new asn1js.UTCTime({ valueDate: options.signingTime }))]
      : []),
    attribute(MESSAGE_DIGEST_ATTRIBUTE, new asn1js.OctetString({ valueHex: new Uint8Array(digest).buffer })),
  ];
  const signerCertificate = options.signer.certificate;
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: DATA }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({
          issuer: signerCertificate.issuer,
          serialNumber: signerCertificate.serialNumber,
        }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
      }),
    ],
    certificates: options.certificates,
  });
  await signedData.sign(
    options.signer.privateKey,
    0,
    "SHA-256",
    new Uint8Array(content).buffer,
    cryptoEngine(),
  );
  const contentInfo = new pkijs.ContentInfo({ contentType: SIGNED_DATA, content: signedData.toSchema(true) });
  return Buffer.from(contentInfo.toSchema().toBER(false));
}
