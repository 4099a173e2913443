/**
 * PayPal's webhook signature: SHA256withRSA over `<transmission id>|<transmission time>|<webhook id>|<CRC32
 * of the raw body as an unsigned decimal>`, base64 in PAYPAL-TRANSMISSION-SIG, verifiable with the public
 * key of the X.509 certificate served at PAYPAL-CERT-URL. The simulator's certificate is self-made at start.
 */
import { createPrivateKey, createSign, createVerify, type KeyObject, X509Certificate } from "node:crypto";
import { crc32 } from "node:zlib";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

export const AUTH_ALGO = "SHA256withRSA";

export interface SigningIdentity {
  certificatePem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface Transmission {
  transmissionId: string;
  transmissionTime: string;
  webhookId: string;
  body: Buffer | string;
}

export function crc32Decimal(body: Buffer | string): string {
  // zlib.crc32 already answers an unsigned 32-bit number.
  return String(crc32(typeof body === "string" ? Buffer.from(body, "utf8") : body));
}

export function signedMessage(t: Transmission): string {
  return `${t.transmissionId}|${t.transmissionTime}|${t.webhookId}|${crc32Decimal(t.body)}`;
}

export function signTransmission(key: KeyObject, t: Transmission): string {
  return createSign("RSA-SHA256").update(signedMessage(t), "utf8").sign(key, "base64");
}

export function verifyTransmission(publicKey: KeyObject, t: Transmission, signature: string): boolean {
  try {
    return createVerify("RSA-SHA256").update(signedMessage(t), "utf8").verify(publicKey, signature, "base64");
  } catch {
    return false;
  }
}

function toPem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der).toString("base64");
  return `-----BEGIN ${label}-----\n${base64.replace(/.{64}/g, "$&\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;
}

function distinguishedName(attributes: Array<[string, string]>): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: attributes.map(
      ([type, value]) =>
        new pkijs.AttributeTypeAndValue({
          type,
          value:
            type === "2.5.4.6" ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
        }),
    ),
  });
}

/** An RSA-2048 key and a self-signed certificate naming the PayPal webhook signer. */
export async function createSigningIdentity(now: Date, serial: Buffer): Promise<SigningIdentity> {
  const subtle = globalThis.crypto.subtle;
  const algorithm = {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  };
  const keys = (await subtle.generateKey(algorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const engine = new pkijs.CryptoEngine({ name: "paypal-simulator", crypto: globalThis.crypto });

  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  const serialBytes = Uint8Array.from(serial);
  serialBytes[0] = (serialBytes[0] ?? 1) & 0x7f || 1;
  certificate.serialNumber = new asn1js.Integer({ valueHex: serialBytes.buffer });
  const name = [
    ["2.5.4.6", "US"],
    ["2.5.4.8", "California"],
    ["2.5.4.7", "San Jose"],
    ["2.5.4.10", "PayPal, Inc. (simulator)"],
    ["2.5.4.3", "messageverificationcerts.sandbox.paypal.com"],
  ] as Array<[string, string]>;
  certificate.subject = distinguishedName(name);
  certificate.issuer = distinguishedName(name);
  certificate.notBefore.value = new Date(now.getTime() - 24 * 3600_000);
  certificate.notAfter.value = new Date(now.getTime() + 5 * 365 * 24 * 3600_000);
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  await certificate.sign(keys.privateKey, "SHA-256", engine);

  const certificatePem = toPem("CERTIFICATE", certificate.toSchema(true).toBER(false));
  const pkcs8 = await subtle.exportKey("pkcs8", keys.privateKey);
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" });
  return { certificatePem, privateKey, publicKey: new X509Certificate(certificatePem).publicKey };
}
